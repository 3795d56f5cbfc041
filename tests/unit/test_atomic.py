"""Writing files and sets of files atomically, owner-only whatever the umask."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie import _atomic
from revalidatie._atomic import write_all_atomically, write_atomically


@pytest.fixture(params=[0o022, 0o000, 0o077], ids=["umask-022", "umask-000", "umask-077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _old_set(folder: Path) -> dict[Path, bytes]:
    folder.mkdir()
    old = {folder / "a.pdf": b"old handout", folder / "a.ics": b"old calendar", folder / "a.json": b"old plan"}
    for path, data in old.items():
        path.write_bytes(data)
    return old


def _contents(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.iterdir())}


def test_written_files_are_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    path = write_atomically(tmp_path / "client.json", b"{}")
    assert _mode(path) == 0o600
    # Replacing a file that was world-readable also leaves it owner-only.
    path.chmod(0o644)
    write_atomically(path, b"{ }")
    assert _mode(path) == 0o600


def test_created_folders_are_owner_only_and_existing_ones_keep_their_mode(tmp_path: Path, umask: int) -> None:
    tmp_path.chmod(0o755)
    write_atomically(tmp_path / "out" / "client" / "client.ics", b"BEGIN:VCALENDAR")
    assert _mode(tmp_path / "out") == 0o700
    assert _mode(tmp_path / "out" / "client") == 0o700
    assert _mode(tmp_path) == 0o755


def test_a_set_is_written_in_full(tmp_path: Path) -> None:
    old = _old_set(tmp_path / "out")
    new = {path: data.replace(b"old", b"new") for path, data in old.items()}
    assert write_all_atomically(new) == list(new)
    assert _contents(tmp_path / "out") == dict(sorted(new.items()))


def test_a_failed_write_in_a_set_changes_no_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _old_set(tmp_path / "out")
    real = _atomic._write_temporary
    calls = []

    def third_fails(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise rv.ExportError(str(path), "cannot be written (No space left on device)")
        return real(path, data)

    monkeypatch.setattr(_atomic, "_write_temporary", third_fails)
    with pytest.raises(rv.ExportError, match="No space left"):
        write_all_atomically({path: b"new " + data for path, data in old.items()})
    assert len(calls) == 3
    assert _contents(tmp_path / "out") == dict(sorted(old.items()))


def test_a_disk_full_while_writing_changes_no_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _old_set(tmp_path / "out")
    real_fsync = os.fsync
    calls = []

    def second_fails(handle: int) -> None:
        calls.append(handle)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", second_fails)
    with pytest.raises(rv.ExportError, match=r"a\.ics: cannot be written"):
        write_all_atomically({path: b"new " + data for path, data in old.items()})
    assert _contents(tmp_path / "out") == dict(sorted(old.items()))


def test_a_failed_rename_in_a_set_puts_back_the_files_already_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = _old_set(tmp_path / "out")
    new_file = tmp_path / "out" / "a.txt"  # not there before: removed again on failure
    real = os.replace
    renames = []

    def last_fails(source: Path, target: Path) -> None:
        renames.append(target)
        if Path(target).name == "a.json" and str(source).endswith(".tmp"):
            raise OSError(21, "Is a directory")
        real(source, target)

    monkeypatch.setattr(os, "replace", last_fails)
    files = {new_file: b"new text", **{path: b"new " + data for path, data in old.items()}}
    with pytest.raises(rv.ExportError, match=r"a\.json: cannot be put in place .*no file was changed"):
        write_all_atomically(files)
    assert _contents(tmp_path / "out") == dict(sorted(old.items()))


def test_the_set_is_renamed_only_after_every_file_is_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(handle: int) -> None:
        events.append("fsync")
        real_fsync(handle)

    def replace(source: Path, target: Path) -> None:
        events.append("rename")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_all_atomically({tmp_path / f"{n}.bin": b"x" for n in range(3)})
    assert events[:4] == ["fsync", "fsync", "fsync", "rename"]
    assert events.count("rename") == 3
