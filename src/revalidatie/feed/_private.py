"""Files and folders only their owner can read: the feed store's database, backups and static export.

They hold health information about clients, so they are created 0600 (folders 0700) whatever the umask:
the mode is given when the file is created and set again with ``fchmod``/``chmod``, because a umask can only
take permissions away and a restrictive one could leave the owner without them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700; folders that exist are left as they are.

    Raises:
        OSError: A folder cannot be created.

    """
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, FOLDER_MODE)
        except FileExistsError:
            if not path.is_dir():
                raise
            continue  # made by another process meanwhile: it is that process's folder
        os.chmod(path, FOLDER_MODE)


def create_private_file(path: Path) -> bool:
    """Create ``path`` as an empty 0600 file unless something is there already; return whether it was made.

    Raises:
        OSError: The file cannot be created.

    """
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    except FileExistsError:
        return False
    try:
        _restrict(handle)
    finally:
        os.close(handle)
    return True


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (a temporary file, then a rename) as a 0600 file.

    Raises:
        OSError: The folder cannot be created or the file cannot be written.

    """
    folder = path.parent
    make_private_folder(folder)
    temporary = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # O_EXCL: never write through a file or link someone else put there.
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        with os.fdopen(handle, "wb") as stream:
            _restrict(stream.fileno())
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def tighten(path: Path) -> None:
    """Make an existing file 0600 when it is readable or writable by others (its owner keeps it).

    Raises:
        OSError: Its mode cannot be changed.

    """
    if path.stat().st_mode & 0o077:
        os.chmod(path, FILE_MODE)


def _restrict(handle: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(handle, FILE_MODE)
