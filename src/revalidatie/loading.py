"""Reading client profiles (and later session logs) from TOML or JSON files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ._documents import read_document, validate
from .errors import ProfileError
from .model.log import SessionLog, SessionLogs
from .model.profile import ClientProfile


def load_profile(path: str | Path) -> ClientProfile:
    """Read a client profile from a ``.toml`` or ``.json`` file.

    Raises:
        ProfileError: The file cannot be read or parsed, or a field is missing or wrong; the message
            names the file, the field, the value and what is expected.

    """
    path = Path(path)
    return parse_profile(read_document(path, ProfileError), str(path))


def parse_profile(data: Mapping[str, Any], source: str = "<profile>") -> ClientProfile:
    """Validate an already parsed profile (e.g. from a practice system's JSON) into a ClientProfile.

    Raises:
        ProfileError: A field is missing or wrong.

    """
    return validate(ClientProfile, data, source, "", ProfileError)


def load_session_logs(path: str | Path) -> tuple[SessionLog, ...]:
    """Read session logs from a ``.toml`` (``[[log]]`` tables) or ``.json`` (``{"log": [...]}``) file.

    Raises:
        ProfileError: The file cannot be read, or a log is missing a field or has a wrong value.

    """
    path = Path(path)
    return validate(SessionLogs, read_document(path, ProfileError), str(path), "", ProfileError).log
