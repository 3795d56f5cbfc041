"""Atomic file writes: a temporary file in the same folder, then a rename, so readers never see half a file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from .errors import ExportError


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new content, never a mix.

    The file gets the permissions a plain ``open()`` would give it (0666 less the umask).

    Raises:
        ExportError: The folder is missing or not writable, or the disk is full.

    """
    folder = path.parent
    temporary = folder / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # O_EXCL: never write through a file or link someone else put there; the kernel applies the umask.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise ExportError(str(path), f"cannot create the file ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(str(path), f"cannot be written ({exc.strerror or exc})") from None
    return path
