"""Files that are not what they claim: FIFOs, devices behind symlinks, huge files, thousands of mistakes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie._documents import MAX_DOCUMENT_BYTES
from revalidatie.errors import MAX_SHOWN_PROBLEMS, problem_lines

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")


def only_message(error: rv.InputError) -> str:
    assert len(error.problems) == 1, error.problems
    return str(error.problems[0])


@needs_fifo
def test_a_fifo_profile_is_refused_instead_of_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "client.toml"
    os.mkfifo(fifo)
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(fifo)
    assert only_message(info.value) == (
        f"{fifo}: is a FIFO (named pipe), not a regular file; give the path of a saved file"
    )


@needs_fifo
def test_a_symlink_to_a_fifo_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "logs.toml"
    link.symlink_to(fifo)
    with pytest.raises(rv.ProfileError, match="is a FIFO"):
        rv.load_session_logs(link)


@needs_dev_zero
def test_a_symlink_to_dev_zero_is_refused_instead_of_filling_the_memory(tmp_path: Path) -> None:
    link = tmp_path / "client.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(link)
    assert only_message(info.value) == f"{link}: is a device, not a regular file; give the path of a saved file"


def test_a_symlink_to_a_regular_file_is_read(data_dir: Path, tmp_path: Path) -> None:
    link = tmp_path / "client.toml"
    link.symlink_to(data_dir / "profiles" / "full.toml")
    assert rv.load_profile(link).name == "Anna de Vries"


def test_a_profile_of_exactly_the_size_limit_is_read(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "profiles" / "full.toml").read_bytes()
    padded = tmp_path / "client.toml"
    padded.write_bytes(text + b"\n#" + b"x" * (MAX_DOCUMENT_BYTES - len(text) - 3) + b"\n")
    assert padded.stat().st_size == MAX_DOCUMENT_BYTES
    assert rv.load_profile(padded).name == "Anna de Vries"


def test_a_profile_over_the_size_limit_is_refused(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "profiles" / "full.toml").read_bytes()
    padded = tmp_path / "client.toml"
    padded.write_bytes(text + b"\n#" + b"x" * (MAX_DOCUMENT_BYTES - len(text) - 2) + b"\n")
    with pytest.raises(rv.ProfileError) as info:
        rv.load_profile(padded)
    assert only_message(info.value) == (
        f"{padded}: is larger than 1 MiB, more than a file of this kind needs; check that it is the right file "
        f"(got {MAX_DOCUMENT_BYTES + 1:,} bytes)"
    )


def test_a_catalog_file_over_the_size_limit_is_refused(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", folder)
    (folder / "huge.toml").write_bytes(b"#" * (MAX_DOCUMENT_BYTES + 1))
    with pytest.raises(rv.CatalogError, match=r"huge\.toml: is larger than 1 MiB"):
        rv.load_catalog(folder)


@needs_fifo
def test_a_fifo_in_a_catalog_folder_is_refused(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", folder)
    os.mkfifo(folder / "exercises.toml")
    with pytest.raises(rv.CatalogError, match=r"exercises\.toml: is a FIFO"):
        rv.load_catalog(folder)


def test_fifty_thousand_duplicate_logs_are_refused_as_too_large(tmp_path: Path) -> None:
    path = tmp_path / "logs.json"
    log = {"session_id": "20270118-run", "date": "2027-01-18"}
    path.write_text(json.dumps({"log": [log] * 50_000}), encoding="utf-8")
    with pytest.raises(rv.ProfileError) as info:
        rv.load_session_logs(path)
    assert "is larger than 1 MiB" in only_message(info.value)


def test_fifty_thousand_broken_logs_give_a_short_message(tmp_path: Path) -> None:
    path = tmp_path / "logs.json"
    path.write_text(json.dumps({"log": [{}] * 50_000}), encoding="utf-8")
    with pytest.raises(rv.ProfileError) as info:
        rv.load_session_logs(path)
    error = info.value
    assert len(error.problems) == 100_000  # every problem is kept for a program to read
    lines = str(error).splitlines()
    assert lines[0] == "100,000 problems:"
    assert len(lines) == 1 + MAX_SHOWN_PROBLEMS + 1
    assert lines[-1] == "  ... and 99,990 more"


def test_problem_lines_count_what_they_leave_out() -> None:
    problems = [rv.Problem("logs.toml", f"log[{n}].session_id", "is logged twice") for n in range(1, 50_001)]
    lines = problem_lines(problems)
    assert lines[:2] == [
        "logs.toml: log[1].session_id: is logged twice",
        "logs.toml: log[2].session_id: is logged twice",
    ]
    assert lines[-1] == "... and 49,990 more"
    assert problem_lines(problems[:10]) == [str(problem) for problem in problems[:10]]
    assert problem_lines(problems[:11])[-1] == "... and 1 more"
