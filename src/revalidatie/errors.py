"""The exceptions revalidatie raises.

Every error the library raises on purpose derives from :class:`RevalidatieError`. Each subclass also
inherits the built-in exception that matches its meaning, so ``except ValueError`` keeps working, and
carries its context as attributes from which the message is built.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

_MAX_VALUE_CHARS = 80
MAX_SHOWN_PROBLEMS = 10
"""How many problems an error message lists; the rest are counted ("... and 49,989 more")."""


def error_message(msgid: str, /, **fields: object) -> str:
    """The text of the error message ``msgid`` in the interface language, with ``{fields}`` filled in.

    Error messages are for whoever runs the library (the physio, a practice's script): Dutch or English as
    :func:`revalidatie.i18n.interface_language` says (``REVALIDATIE_LANG``, else the locale, else English).
    """
    from .i18n import interface_texts

    return interface_texts()(msgid, **fields)


def show_value(value: object) -> str:
    """Return a short, single-line representation of a bad value for an error message."""
    try:
        text = repr(value)
    except ValueError:
        # Python refuses to print integers of thousands of digits; say what it is instead.
        text = f"<an integer of {value.bit_length()} bits>" if isinstance(value, int) else f"<{type(value).__name__}>"
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 3] + "..."
    return text


@attrs.frozen
class Problem:
    """One thing wrong in a file a person wrote.

    Attributes:
        source: The file (or other origin, such as ``"<profile>"``) the problem is in.
        field: Dotted path to the field, for example ``exercise[3].dose.sets``; empty for the whole file.
        message: What is wrong and what is expected instead.
        value: Short representation of the offending value, or ``None`` when there is none to show.

    """

    source: str
    field: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.source}: {self.field}" if self.field else self.source
        got = " " + error_message("error.got", value=self.value) if self.value is not None else ""
        return f"{where}: {self.message}{got}"


def problem_lines(problems: Sequence[Problem], limit: int = MAX_SHOWN_PROBLEMS) -> list[str]:
    """One line per problem, at most ``limit`` of them, then a line that counts the rest.

    A file with 50,000 copies of one mistake gives eleven lines, not 50,000.
    """
    lines = [str(problem) for problem in problems[:limit]]
    if len(problems) > limit:
        rest = len(problems) - limit
        lines.append(_plural("error.and-more", rest, n=f"{rest:,}"))
    return lines


def _plural(msgid: str, count: int, /, **fields: object) -> str:
    from .i18n import interface_texts

    return interface_texts().plural(msgid, count, **fields)


class RevalidatieError(Exception):
    """Root of every error revalidatie raises on purpose."""


class InputError(RevalidatieError, ValueError):
    """A file or object a person wrote is not valid.

    Attributes:
        problems: Every problem found, each with its file, field, value and what is expected.

    """

    kind = "input"

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("an InputError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._message())

    def _message(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = problem_lines(self.problems)
        count = _plural("error.problems", len(self.problems), n=f"{len(self.problems):,}")
        return count + "\n" + "\n".join(f"  {line}" for line in lines)


class CatalogError(InputError):
    """A catalog file (exercise, condition, red flag, protocol) is not valid."""

    kind = "catalog"


class ProfileError(InputError):
    """A client profile or session log is not valid, or does not fit the catalog."""

    kind = "profile"


class ReferralRequired(RevalidatieError):
    """Red-flag screening found signs that need a doctor before any programme.

    Attributes:
        client: Name of the client who was screened.
        findings: One entry per red flag answered "yes" and not cleared, with urgency and advice.
        language: Language of the texts in ``findings``.

    """

    def __init__(self, client: str, findings: Sequence[Finding], language: str) -> None:
        self.client = client
        self.findings: tuple[Finding, ...] = tuple(findings)
        self.language = language
        super().__init__(self._message())

    def _message(self) -> str:
        # The header is the error's (the interface language); the findings are in the client's language.
        header = error_message("error.referral", client=self.client)
        lines = [f"{header} ({len(self.findings)}):"]
        lines.extend(f"  [{f.urgency}] {f.question} -> {f.action}" for f in self.findings)
        return "\n".join(lines)


@attrs.frozen
class Finding:
    """A red flag that was answered "yes" during screening.

    Attributes:
        flag_id: Id of the red flag in the catalog.
        urgency: ``"emergency"`` (same day) or ``"urgent"`` (doctor or physio within days).
        question: The screening question, in the requested language.
        suspicion: What the sign may point to, in the requested language.
        action: What the client should do now, in the requested language.

    """

    flag_id: str
    urgency: str
    question: str
    suspicion: str
    action: str


class ExportError(RevalidatieError, OSError):
    """Writing an export (PDF, calendar, JSON) failed.

    Attributes:
        path: The file that could not be written.
        reason: Why, in words.

    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class FeedError(RevalidatieError):
    """A subscription feed cannot be published, revised, revoked or served as asked.

    Attributes:
        message: What went wrong and what to do about it.

    """

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class FeedNotFound(FeedError, LookupError):
    """No feed (or no published plan) matches the token, token prefix or plan id that was given.

    Attributes:
        key: The token, prefix or plan id that was looked up.
        what: What kind of key it is (``"token"``, ``"token prefix"`` or ``"plan"``).

    """

    def __init__(self, key: str, what: str = "token", hint: str | None = None) -> None:
        self.key = key
        self.what = what
        shown = f"{key[:8]}..." if what == "token" and len(key) > 8 else key
        words = error_message(_NOT_FOUND.get(what, "error.feed-not-found-token"), key=repr(shown))
        super().__init__(f"{words}; {hint or error_message('error.feed-see-list')}")


_NOT_FOUND = {
    "token": "error.feed-not-found-token",
    "token prefix": "error.feed-not-found-prefix",
    "plan": "error.feed-not-found-plan",
    "revision": "error.feed-not-found-revision",
}


class FeedConflict(FeedError, ValueError):
    """The change does not fit what the store holds: an older revision, or a plan that is already published."""


class FeedStoreError(FeedError, OSError):
    """The feed database cannot be opened, read or written.

    Attributes:
        path: The database file.
        reason: Why, in words, with what to do about it.

    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
