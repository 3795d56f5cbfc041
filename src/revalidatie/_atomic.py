"""Atomic file writes: temporary files in the same folder, then renames, so readers never see half a file.

Everything written here holds health data, so files are created readable by their owner only (0600) and the
folders created on the way owner-only too (0700), whatever the umask (docs/decisions/0013).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import ExportError, error_message

FILE_MODE = 0o600
"""Permissions of every file written: read and write for the owner only."""
FOLDER_MODE = 0o700
"""Permissions of every folder created on the way to a file: for the owner only."""


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new content, never a mix.

    The file is created 0600 (owner only) whatever the umask; missing folders are created 0700.

    Raises:
        ExportError: The folder is missing or not writable, or the disk is full.

    """
    return write_all_atomically({path: data})[0]


def write_all_atomically(files: Mapping[Path, bytes]) -> list[Path]:
    """Write a set of files so that either every file has its new content or none of them changed.

    Every file is first written in full to a temporary file beside it and flushed to disk; only then are
    they renamed into place, one after the other. When writing any of them fails, the temporary files are
    removed and the old files stay as they were. When a rename fails (rare: the target became a folder), the
    files already renamed get their old content back. Files are created 0600 and missing folders 0700,
    whatever the umask.

    Args:
        files: The content of each file, by path.

    Returns:
        The paths, in the order given.

    Raises:
        ExportError: A folder cannot be created, or a file cannot be written or renamed; nothing changed.

    """
    temporaries: dict[Path, Path] = {}
    try:
        for path, data in files.items():
            temporaries[path] = _write_temporary(path, data)
    except BaseException:
        # Also on KeyboardInterrupt: no temporary file is left behind.
        _remove(temporaries.values())
        raise
    _rename_all(temporaries)
    for folder in {path.parent for path in temporaries}:
        _sync_folder(folder)
    return list(files)


def _write_temporary(path: Path, data: bytes) -> Path:
    folder = path.parent
    temporary = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        make_private_folder(folder)
        # O_EXCL: never write through a file or link someone else put there.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    except OSError as exc:
        raise ExportError(str(path), error_message("error.write-create", reason=exc.strerror or str(exc))) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            # The umask may have taken bits away (0o277 leaves the owner unable to write); set them exactly.
            _set_mode(stream.fileno())
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException as exc:
        temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ExportError(str(path), error_message("error.write-failed", reason=exc.strerror or str(exc))) from None
        raise
    return temporary


def _rename_all(temporaries: Mapping[Path, Path]) -> None:
    # A hard link to each old file keeps its content, so a failed rename can put back what it replaced.
    backups: dict[Path, Path | None] = {}
    renamed: list[Path] = []
    for path, temporary in temporaries.items():
        backups[path] = _keep_old(path)
        try:
            os.replace(temporary, path)
        except OSError as exc:
            for done in renamed:
                backup = backups[done]
                with contextlib.suppress(OSError):
                    if backup is None:
                        done.unlink()
                    else:
                        os.replace(backup, done)
            _remove(temporaries.values())
            _remove(backup for backup in backups.values() if backup is not None)
            reason = error_message("error.write-rename", reason=exc.strerror or str(exc))
            raise ExportError(str(path), reason) from None
        renamed.append(path)
    _remove(backup for backup in backups.values() if backup is not None)


def _keep_old(path: Path) -> Path | None:
    backup = path.parent / f".{path.name}.{secrets.token_hex(6)}.old"
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        # No old file (the usual case for a new client), or a file system without hard links.
        return None
    return backup


def _remove(paths: Iterable[Path]) -> None:
    for path in list(paths):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _set_mode(handle: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(handle, FILE_MODE)


def _sync_folder(folder: Path) -> None:
    # The renames themselves reach the disk only when the folder is flushed (POSIX; not possible on Windows).
    try:
        handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and any missing parents as 0700 (owner only), whatever the umask.

    Folders that exist already keep their permissions.

    Raises:
        OSError: A folder cannot be created.

    """
    missing: list[Path] = []
    current = folder
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue
        path.chmod(FOLDER_MODE)
