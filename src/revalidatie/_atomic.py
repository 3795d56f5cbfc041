"""Atomic file writes: a temporary file in the same folder, then a rename, so readers never see half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import ExportError


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` so that ``path`` holds either the old or the new content, never a mix.

    Raises:
        ExportError: The folder is missing or not writable, or the disk is full.

    """
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(str(path), f"cannot create the file ({exc.strerror or exc})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise ExportError(str(path), f"cannot be written ({exc.strerror or exc})") from None
    return path
