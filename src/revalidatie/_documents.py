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

from .errors import InputError, Problem, error_message, show_value

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
        raise error([Problem(source, "", error_message("error.file-type"), path.suffix or None)])
    raw = read_file(path, MAX_DOCUMENT_BYTES, error)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error([Problem(source, "", error_message("error.file-not-utf8", offset=exc.start))]) from None
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
        raise error([Problem(source, "", error_message("error.file-not-found"))]) from None
    except IsADirectoryError:
        raise error([Problem(source, "", error_message("error.file-is-folder"))]) from None
    except OSError as exc:
        raise error([Problem(source, "", unreadable(exc))]) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise error([Problem(source, "", error_message("error.file-is-folder"))])
        if not stat.S_ISREG(info.st_mode):
            kind = error_message(_KINDS.get(stat.S_IFMT(info.st_mode), "error.file-kind-special"))
            raise error([Problem(source, "", error_message("error.file-not-regular", kind=kind))])
        if info.st_size > limit:
            raise error([Problem(source, "", _too_large(limit), error_message("error.bytes", n=f"{info.st_size:,}"))])
        with os.fdopen(handle, "rb", closefd=False) as stream:
            # A file that grows while it is read stops at the limit instead of filling the memory.
            raw = stream.read(limit + 1)
    except OSError as exc:
        raise error([Problem(source, "", unreadable(exc))]) from None
    finally:
        os.close(handle)
    if len(raw) > limit:
        raise error([Problem(source, "", _too_large(limit), error_message("error.more-bytes", n=f"{limit:,}"))])
    return raw


def unreadable(exc: OSError) -> str:
    """The message for a file the system would not let us read, with the system's reason."""
    return error_message("error.file-unreadable", reason=exc.strerror or str(exc))


_KINDS = {
    stat.S_IFIFO: "error.file-kind-fifo",
    stat.S_IFCHR: "error.file-kind-device",
    stat.S_IFBLK: "error.file-kind-device",
    stat.S_IFSOCK: "error.file-kind-socket",
}


def _too_large(limit: int) -> str:
    return error_message("error.file-too-large", size=_size(limit))


def _size(count: int) -> str:
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MiB"
    return error_message("error.bytes", n=f"{count:,}")


def parse_document(text: str, fmt: str, source: str, error: type[InputError]) -> dict[str, Any]:
    """Parse ``text`` as ``fmt`` (``"toml"`` or ``"json"``) into a dict; see :func:`read_document`."""
    try:
        data: object = tomllib.loads(text) if fmt == "toml" else json.loads(text, object_pairs_hook=_unique_keys)
    except tomllib.TOMLDecodeError as exc:
        raise error([Problem(source, "", error_message("error.not-valid", format="TOML", detail=str(exc)))]) from None
    except json.JSONDecodeError as exc:
        message = error_message("error.not-valid-json-at", detail=exc.msg, line=exc.lineno, column=exc.colno)
        raise error([Problem(source, "", message)]) from None
    except _DuplicateKeyError as exc:
        raise error([Problem(source, "", error_message("error.json-duplicate-key", key=repr(exc.key)))]) from None
    except RecursionError:
        raise error([Problem(source, "", error_message("error.nested-too-deeply"))]) from None
    except ValueError as exc:
        # json raises a plain ValueError for numbers with more digits than Python converts.
        message = error_message("error.not-valid", format=fmt.upper(), detail=str(exc))
        raise error([Problem(source, "", message)]) from None
    if not isinstance(data, dict):
        raise error([Problem(source, "", error_message("error.not-a-table", kind=type(data).__name__))])
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
        raise error([Problem(source, prefix, error_message("error.nested-too-deeply-to-validate"))]) from None


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
    """What pydantic found wrong, as an error message; a type of error not listed keeps pydantic's English."""
    ctx: dict[str, Any] = detail.get("ctx") or {}
    match detail["type"]:
        case "missing":
            return error_message("error.field-missing")
        case "extra_forbidden":
            return error_message("error.field-unknown")
        case "int_parsing" | "int_type":
            return error_message("error.field-int")
        case "int_from_float":
            return error_message("error.field-int-fraction")
        case "float_parsing" | "float_type":
            return error_message("error.field-number")
        case "bool_parsing" | "bool_type":
            return error_message("error.field-bool")
        case "string_type":
            return error_message("error.field-string")
        case "dict_type" | "model_type" | "model_attributes_type":
            return error_message("error.field-table")
        case "list_type" | "tuple_type" | "set_type" | "frozen_set_type":
            return error_message("error.field-list")
        case "greater_than_equal":
            return error_message("error.field-ge", limit=_shown(ctx.get("ge")))
        case "less_than_equal":
            return error_message("error.field-le", limit=_shown(ctx.get("le")))
        case "greater_than":
            return error_message("error.field-gt", limit=_shown(ctx.get("gt")))
        case "less_than":
            return error_message("error.field-lt", limit=_shown(ctx.get("lt")))
        case "string_too_long" if "max_length" in ctx:
            return _plural("error.field-string-too-long", ctx["max_length"])
        case "string_too_short" if "min_length" in ctx:
            return _plural("error.field-string-too-short", ctx["min_length"])
        case "too_long" if "max_length" in ctx:
            return _plural("error.field-too-long", ctx["max_length"], actual=ctx.get("actual_length", "?"))
        case "too_short" if "min_length" in ctx:
            return _plural("error.field-too-short", ctx["min_length"], actual=ctx.get("actual_length", "?"))
        case "literal_error" | "enum" if "expected" in ctx:
            # pydantic lists the choices as "'a', 'b' or 'c'": its last "or" is a word of the message.
            choices = str(ctx["expected"]).rsplit(" or ", 1)
            expected = (" " + error_message("error.or") + " ").join(choices)
            return error_message("error.field-one-of", expected=expected)
        case "date_parsing" | "date_from_datetime_parsing" | "date_from_datetime_inexact" | "date_type":
            return error_message("error.field-date")
        case "time_parsing" | "time_type":
            return error_message("error.field-time")
        case "string_pattern_mismatch" if "pattern" in ctx:
            return error_message("error.field-pattern", pattern=ctx["pattern"])
        case _:
            # pydantic words custom validator errors as "Value error, ..."; the prefix adds nothing for a reader.
            return str(detail["msg"]).removeprefix("Value error, ")


def _shown(limit: object) -> object:
    # pydantic prints the bound 0.0 of a float field as 0, and so do we.
    return int(limit) if isinstance(limit, float) and limit.is_integer() else limit


def _plural(msgid: str, count: object, **fields: object) -> str:
    from .i18n import interface_texts

    number = count if isinstance(count, int) else 0
    return interface_texts().plural(msgid, number, n=count, **fields)
