"""The PDF handout: everything a client needs to follow the programme alone, printed or on screen.

``render_pdf`` and ``write_pdf`` are light; reportlab is imported only when a handout is made.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from ..._atomic import write_atomically
from ...errors import InputError, Problem, error_message
from ...model.common import LANGUAGES, Language
from ...model.plan import Plan
from ..layout import layout, stretch_of

_MAX_URL = 1000
_URL_SCHEMES = ("https", "http", "webcal", "webcals")


def _language(plan: Plan, language: Language | str | None) -> str:
    chosen = plan.profile.language.value if language is None else str(getattr(language, "value", language))
    if chosen not in LANGUAGES:
        raise InputError(
            [
                Problem(
                    "<render_pdf>",
                    "language",
                    error_message("error.language", allowed=", ".join(LANGUAGES)),
                    repr(language),
                )
            ]
        )
    return chosen


def _url(url: str | None, field: str) -> str | None:
    if url is None:
        return None
    problem = None
    if not isinstance(url, str) or not url.strip():
        problem = error_message("error.url-empty")
    elif len(url) > _MAX_URL:
        problem = error_message("error.url-too-long", limit=_MAX_URL)
    elif any(ch.isspace() or ord(ch) < 32 for ch in url):
        problem = error_message("error.url-spaces")
    else:
        parts = urlsplit(url)
        if parts.scheme.lower() not in _URL_SCHEMES or not parts.netloc:
            problem = error_message("error.url-scheme-subscription")
    if problem is not None:
        raise InputError([Problem("<render_pdf>", field, problem, repr(url)[:80])])
    return url


def render_pdf(
    plan: Plan,
    *,
    language: Language | str | None = None,
    subscription_url: str | None = None,
    checkin_url: str | None = None,
    weeks: str | tuple[int, int] | None = None,
    phase: int | None = None,
) -> bytes:
    """The client's handout as PDF bytes (A4), or a short sheet for some weeks or one phase.

    The handout opens with the week the client is in (the first week of a new plan, the week of the
    revision's ``as_of`` after a revision), then the traffic light and when to stop and call, one section per
    phase, an exercise card for each exercise the plan uses and a pain diary. A sheet (``weeks`` or
    ``phase``) shows its weeks day by day, the rules and the cards of those weeks.

    Args:
        plan: The plan to print.
        language: ``nl``, ``en``, ``tr``, ``pl`` or ``ar`` (laid out right to left); ``None`` uses the language of
            the client's profile.
        subscription_url: Address of the client's calendar feed; when given, the first page has a QR code and
            subscription steps for iPhone, Android and Outlook (or, with ``checkin_url``, the address).
        checkin_url: Address of the client's check-in page; when given, the QR code leads there (the client
            reports each session and finds the calendar on it) and the booklet has no paper pain diary.
        weeks: A sheet for these programme weeks: ``"5-6"``, ``"7"`` or ``(5, 6)``.
        phase: A sheet for this phase (1 is the first).

    Returns:
        The PDF; the same plan and options always give the same bytes.

    Raises:
        InputError: ``language`` is not a client language, an address is not a web address, or
            ``weeks``/``phase`` is not in the plan (or both are given).

    """
    return _render(plan, language, subscription_url, weeks, phase, checkin_url)[0]


def _render(
    plan: Plan,
    language: Language | str | None,
    subscription_url: str | None,
    weeks: str | tuple[int, int] | None,
    phase: int | None,
    checkin_url: str | None = None,
) -> tuple[bytes, list[float]]:
    """The PDF and the scale of each of its slots (for the tests: 1 where content fits as it is)."""
    chosen = _language(plan, language)
    from ._document import Links, build

    links = Links(_url(subscription_url, "subscription_url"), _url(checkin_url, "checkin_url"))
    stretch = stretch_of(plan, weeks=weeks, phase=phase)
    return build(plan, layout(plan, stretch, diary=links.checkin is None), chosen, links)


def write_pdf(
    plan: Plan,
    path: str | Path,
    *,
    language: Language | str | None = None,
    subscription_url: str | None = None,
    checkin_url: str | None = None,
    weeks: str | tuple[int, int] | None = None,
    phase: int | None = None,
) -> Path:
    """Write the handout (or a sheet) to ``path`` atomically (never half a file) and return the path.

    Raises:
        InputError: As :func:`render_pdf`.
        ExportError: The file cannot be written.

    """
    data = render_pdf(
        plan,
        language=language,
        subscription_url=subscription_url,
        checkin_url=checkin_url,
        weeks=weeks,
        phase=phase,
    )
    return write_atomically(Path(path), data)
