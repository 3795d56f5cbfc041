"""Every output of one plan revision, rendered together: the one place that says what a revision publishes.

The command line (``plan``, ``revise``), the batch and the feed stores render a revision's files here; a failure while
rendering leaves nothing written, and the set is then written as one (``write_all_atomically``), so the
handout, the calendar and the plan never show different revisions.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .export._ical import DEFAULT_ALARM_MINUTES

if TYPE_CHECKING:
    from .model.common import Language
    from .model.plan import Plan

FORMATS = ("pdf", "ics", "json", "summary.pdf", "summary.md")
"""Every output a revision has: handout, calendar, plan, and the physio's summary as PDF and as text."""


def render_outputs(
    plan: Plan,
    *,
    formats: Collection[str] = FORMATS,
    language: Language | str | None = None,
    subscription_url: str | None = None,
    all_day: bool = False,
    alarm_minutes: int | None = DEFAULT_ALARM_MINUTES,
    checkin_url: str | None = None,
) -> dict[str, bytes]:
    """The outputs of ``plan`` by format, the physio's summary included.

    ``pdf`` is the handout, ``ics`` the calendar, ``json`` the plan, and ``summary.pdf`` and ``summary.md`` the
    physio's summary with the plan's warnings and revision history.

    Args:
        plan: The plan (any revision).
        formats: Which outputs, some of :data:`FORMATS`.
        language: ``nl``, ``en``, ``tr``, ``pl`` or ``ar`` for every output (the summary stays ``nl``/``en``);
            ``None`` is the client's language.
        subscription_url: The client's feed address, for the handout's QR code.
        all_day: Calendar sessions as all-day events.
        alarm_minutes: Calendar reminder before each session (0 or ``None``: none).
        checkin_url: The client's check-in page: every calendar event links to it, the handout's QR code leads
            there and the handout has no paper pain diary.

    Raises:
        InputError: An option is not valid (as :func:`render_pdf` and :func:`render_ics`).
        ValueError: A format this library does not know.

    """
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"formats must be some of {', '.join(FORMATS)}, not {', '.join(unknown)}")
    from .export.ics import render_ics
    from .export.json import render_json
    from .export.pdf import render_pdf
    from .export.summary import render_summary_markdown, render_summary_pdf

    outputs: dict[str, bytes] = {}
    for fmt in (fmt for fmt in FORMATS if fmt in formats):
        if fmt == "pdf":
            outputs[fmt] = render_pdf(
                plan, language=language, subscription_url=subscription_url, checkin_url=checkin_url
            )
        elif fmt == "ics":
            outputs[fmt] = render_ics(
                plan, language=language, all_day=all_day, alarm_minutes=alarm_minutes, page_url=checkin_url
            )
        elif fmt == "json":
            outputs[fmt] = render_json(plan)
        elif fmt == "summary.pdf":
            outputs[fmt] = render_summary_pdf(plan, language=language)
        else:
            outputs[fmt] = render_summary_markdown(plan, language=language).encode()
    return outputs


def output_paths(outputs: Mapping[str, bytes], folder: Path, stem: str) -> dict[Path, bytes]:
    """The files ``outputs`` go to: ``folder/stem.pdf``, ``folder/stem.ics``, ``folder/stem.summary.md``..."""
    return {folder / f"{stem}.{fmt}": data for fmt, data in outputs.items()}
