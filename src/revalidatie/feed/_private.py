"""Files only their owner can read, beside the atomic writer's: the feed store's database and backups.

They hold health information about clients, so they are created 0600 whatever the umask: the mode is given
when the file is created and set again with ``fchmod``, because a umask can only take permissions away and a
restrictive one could leave the owner without them. Folders and whole files go through ``_atomic``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .._atomic import FILE_MODE


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
