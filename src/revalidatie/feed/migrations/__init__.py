"""Schema migrations of the feed stores: ordered SQL files, one folder per database, applied on opening.

A file is named ``NNNN_what.sql``; its number is the schema version it brings the database to. The SQLite
store records the version in ``PRAGMA user_version``, the PostgreSQL store in the table
``revalidatie_schema``. Files are never edited once released: a change of schema is a new file.
"""

from __future__ import annotations

import re
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migrations(database: str) -> tuple[tuple[int, str], ...]:
    """Every migration of ``database`` (``"sqlite"`` or ``"postgresql"``) as (version, SQL), in order.

    Raises:
        AssertionError: The folder's numbering has a gap or a repeat (a packaging mistake, caught by tests).

    """
    found: list[tuple[int, str]] = []
    for item in resources.files(__name__).joinpath(database).iterdir():
        match = _NAME.match(item.name)
        if match:
            found.append((int(match.group(1)), item.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _ in found]
    assert versions == list(range(1, len(found) + 1)), f"{database} migrations are numbered {versions}"
    return tuple(found)


def statements(script: str) -> list[str]:
    """The statements of a migration file, split at semicolons that end a line (the files keep to that)."""
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in re.split(r";\s*$", "\n".join(lines), flags=re.MULTILINE) if part.strip()]
