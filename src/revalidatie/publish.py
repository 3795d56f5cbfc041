"""Every output of one plan revision, rendered together: the one place that says what a revision publishes.

The command line's ``plan`` and ``revise`` write this set; a failure while rendering leaves nothing
written, and the set is written as one (``write_all_atomically``), so handout, calendar and plan never
show different revisions.
"""

from __future__ import annotations

from pathlib import Path

from .model.common import Language
from .model.plan import Plan


def render_outputs(
    plan: Plan,
    *,
    language: Language | str | None = None,
    subscription_url: str | None = None,
    all_day: bool = False,
    alarm_minutes: int | None = None,
) -> dict[str, bytes]:
    """The handout (``.pdf``), calendar (``.ics``) and plan (``.json``) of ``plan``, by file suffix.

    Raises:
        InputError: An option is not valid (as :func:`render_pdf` and :func:`render_ics`).

    """
    from .export.ics import render_ics
    from .export.json import render_json
    from .export.pdf import render_pdf

    return {
        ".pdf": render_pdf(plan, language=language, subscription_url=subscription_url),
        ".ics": render_ics(plan, language=language, all_day=all_day, alarm_minutes=alarm_minutes),
        ".json": render_json(plan),
    }


def output_paths(outputs: dict[str, bytes], folder: Path, stem: str) -> dict[Path, bytes]:
    """The files ``outputs`` go to: ``folder/stem`` plus each suffix."""
    return {folder / f"{stem}{suffix}": data for suffix, data in outputs.items()}
