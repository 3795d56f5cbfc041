"""Reading TOML and JSON documents a person wrote, and turning every failure into a precise Problem."""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem, show_value

M = TypeVar("M", bound=BaseModel)

FORMATS = {".toml": "toml", ".json": "json"}


MAX_DOCUMENT_BYTES = 1024 * 1024
"""Largest profile, session log or catalog file read (1 MiB): a year of logs is under 100 KiB."""


def read_document(path: Path, error: type[InputError]) -> dict[str, Any]:
    """Read a TOML or JSON file (told apart by its suffix) into a dict.

    Raises:
        InputError: ``error`` (a subclass) when the file cannot be read or parsed, naming the file,
            the line and column where the parser stopped, and what to do.

    """
    source = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise error([Problem(source, "", "unknown file type; use a .toml or .json file", path.suffix or None)])
    raw = read_file(path, MAX_DOCUMENT_BYTES, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            [Problem(source, "", f"is not UTF-8 text (bad byte at offset {exc.start}); save the file as UTF-8")]
        ) from None
    return parse_document(text, fmt, source, error)


def read_file(path: Path, limit: int, error: type[InputError]) -> bytes:
    """Read a regular file of at most ``limit`` bytes; refuse anything else with one clear Problem.

    A FIFO, device or socket (also behind a symlink) would block or never end, so only regular files are
    read; the file is opened without blocking and checked again once open, so it cannot be swapped for a
    FIFO in between.

    Raises:
        InputError: ``error`` (a subclass) when the file is missing, a folder, not a regular file, larger
            than ``limit`` or unreadable.

    """
    source = str(path)
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise error([Problem(source, "", "file not found; check the path")]) from None
    except IsADirectoryError:
        raise error([Problem(source, "", "is a folder; give the path of a file")]) from None
    except OSError as exc:
        raise error([Problem(source, "", f"cannot be read ({exc.strerror or exc})")]) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise error([Problem(source, "", "is a folder; give the path of a file")])
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "special file")
            raise error([Problem(source, "", f"is a {kind}, not a regular file; give the path of a saved file")])
        if info.st_size > limit:
            raise error([Problem(source, "", _too_large(limit), f"{info.st_size:,} bytes")])
        with os.fdopen(handle, "rb", closefd=False) as stream:
            # A file that grows while it is read stops at the limit instead of filling the memory.
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise error([Problem(source, "", f"cannot be read ({exc.strerror or exc})")]) from None
    finally:
        os.close(handle)
    if len(raw) > limit:
        raise error([Problem(source, "", _too_large(limit), f"more than {limit:,} bytes")])
    return raw


_KINDS = {
    stat.S_IFIFO: "FIFO (named pipe)",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFSOCK: "socket",
}


def _too_large(limit: int) -> str:
    return f"is larger than {_size(limit)}, more than a file of this kind needs; check that it is the right file"


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count % (1024 * 1024) == 0 else f"{count:,} bytes"


def parse_document(text: str, fmt: str, source: str, error: type[InputError]) -> dict[str, Any]:
    """Parse ``text`` as ``fmt`` (``"toml"`` or ``"json"``) into a dict; see :func:`read_document`."""
    try:
        data: object = tomllib.loads(text) if fmt == "toml" else json.loads(text, object_pairs_hook=_unique_keys)
    except tomllib.TOMLDecodeError as exc:
        raise error([Problem(source, "", f"is not valid TOML: {exc}")]) from None
    except json.JSONDecodeError as exc:
        raise error(
            [Problem(source, "", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
        ) from None
    except _DuplicateKeyError as exc:
        raise error([Problem(source, "", f"is not valid JSON: key {exc.key!r} appears twice in one object")]) from None
    except RecursionError:
        raise error([Problem(source, "", "is nested too deeply to read; flatten the structure")]) from None
    except ValueError as exc:
        # json raises a plain ValueError for numbers with more digits than Python converts.
        raise error([Problem(source, "", f"is not valid {fmt.upper()}: {exc}")]) from None
    if not isinstance(data, dict):
        raise error([Problem(source, "", f"must hold a table of fields at the top, not a {type(data).__name__}")])
    return data


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def validate(model: type[M], data: object, source: str, prefix: str, error: type[InputError]) -> M:
    """Validate ``data`` as ``model``; on failure raise ``error`` with one Problem per wrong field.

    Args:
        model: The pydantic model to validate against.
        data: The parsed document or part of it.
        source: The file name for messages.
        prefix: Path of ``data`` inside the document (``exercise[bridge-offset]``), or ``""``.
        error: The InputError subclass to raise.

    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(validation_problems(exc, source, prefix, data)) from None
    except RecursionError:
        raise error([Problem(source, prefix, "is nested too deeply to validate")]) from None


def validation_problems(exc: ValidationError, source: str, prefix: str = "", data: object = None) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems with a dotted field path and the bad value.

    With the validated ``data`` the path leaves out the names pydantic gives the members of a union, which
    are not keys a person wrote.
    """
    details = exc.errors(include_url=False)
    problems = []
    for detail in details:
        loc = _written_path(detail["loc"], data)
        if detail["type"] == "too_short" and any(_under(other["loc"], detail["loc"]) for other in details):
            # A list with a broken item is also "too short" once the item is dropped; the item's error says it.
            continue
        message = _expectation(detail)
        value = None if detail["type"] == "missing" else show_value(detail.get("input"))
        problems.append(Problem(source, _dotted(prefix, loc), message, value))
    return problems


def _under(loc: Sequence[int | str], parent: Sequence[int | str]) -> bool:
    return len(loc) > len(parent) and tuple(loc[: len(parent)]) == tuple(parent)


def _written_path(loc: Sequence[int | str], data: object) -> list[int | str]:
    """The part of ``loc`` that names keys and positions of ``data``; union member names are dropped."""
    if data is None:
        return list(loc)
    path: list[int | str] = []
    node = data
    for n, part in enumerate(loc):
        if isinstance(part, int):
            path.append(part)
            node = node[part] if isinstance(node, list | tuple) and -len(node) <= part < len(node) else None
        elif isinstance(node, dict) and n < len(loc) - 1 and _is_member_name(node, part, loc[n + 1]):
            continue  # the name of a union member, not a key in the document
        else:
            path.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return path


def _is_member_name(node: dict[Any, Any], part: str, following: int | str) -> bool:
    if part not in node:
        return True
    # A member name that is also a key here ("stages"): the next step of the path is a key of this table.
    inner = node[part]
    return isinstance(following, str) and following in node and not (isinstance(inner, dict) and following in inner)


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _dotted(prefix: str, loc: Sequence[int | str]) -> str:
    parts = [prefix] if prefix else []
    for part in loc:
        if isinstance(part, int):
            if parts:
                parts[-1] += f"[{part + 1}]"
            else:
                parts.append(f"[{part + 1}]")
        elif _PLAIN_KEY.fullmatch(part):
            parts.append(part)
        else:
            # Keys with dots, spaces or line breaks are quoted so the path stays one readable line.
            parts.append(json.dumps(part))
    return ".".join(parts)


def _expectation(detail: Any) -> str:
    kind = detail["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field; check the spelling (see `revalidatie catalog schema`)"
    message = str(detail["msg"])
    # pydantic words custom validator errors as "Value error, ..."; the prefix adds nothing for a reader.
    return message.removeprefix("Value error, ")
