"""Babel extraction of message ids: every string literal in the source that has the shape of an id.

Ids are written in full where they are used (``t("handout.doc-title")``) or in a table of ids, so a literal of
the form ``<area>.<key>`` is a message wherever it stands; the first argument of a ``.plural(...)`` call is a
message with plural forms. Babel's own Python extractor only sees the arguments of named functions, which
would miss the tables.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

AREAS = ("handout", "calendar", "rules", "dose", "page", "checkin", "warning", "summary", "error", "feed", "cli")
"""The first part of every message id, naming where the text is shown."""
ID = re.compile(r"^(?:" + "|".join(AREAS) + r")\.(?!(?:md|pdf|json|ics|toml|txt)$)[a-z0-9][a-z0-9_.-]*$")


def extract_ids(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Yield ``(line, function, message, comments)`` for every id in a Python file, as Babel expects."""
    tree = ast.parse(fileobj.read())
    plural: set[int] = set()
    formatted: set[int] = set()  # the literal parts of an f-string are pieces of a text, never an id
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            formatted.update(id(part) for part in node.values)
        if isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0]
            if name.endswith("plural") and isinstance(first, ast.Constant) and isinstance(first.value, str):
                plural.add(id(first))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in formatted
            and ID.match(node.value)
        ):
            if id(node) in plural:
                yield node.lineno, "plural", (node.value, node.value), []
            else:
                yield node.lineno, "", node.value, []
