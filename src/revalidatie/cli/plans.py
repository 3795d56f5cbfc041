"""`revalidatie check`, `plan`, `revise` and `handout`: one client's programme from profile to files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .._naming import file_stem
from ..i18n import interface_language, texts_for
from ._common import (
    ALARM,
    ALL_DAY,
    AS_OF,
    LANG,
    RESUME,
    catalog_of,
    cell,
    cli,
    new_console,
    plain,
    print_catalog_warnings,
    words,
)

if TYPE_CHECKING:
    from ..model.plan import Plan


@cli.command()
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@LANG
@click.pass_context
def check(ctx: click.Context, profile_path: Path, lang: str | None) -> None:
    """Validate a client profile and run the red-flag screening.

    Exits 0 when a plan can be made, 1 when the profile is invalid or a referral is required.

    \b
    Example:
      revalidatie check examples/profiles/itbs.toml
    """
    from ..loading import load_profile
    from ..planning.screening import require_clear, resolve

    cat = catalog_of(ctx)
    print_catalog_warnings(cat)
    profile = load_profile(profile_path)
    language = lang or profile.language.value
    condition, protocol = resolve(profile, cat, source=str(profile_path))
    result = require_clear(profile, cat, source=str(profile_path), language=language)
    # The physio reads this: the tool's words and the catalog's names in the interface language.
    t, physio = words(), interface_language()
    click.echo(plain(t("cli.check-ok", client=profile.name)))
    click.echo(plain("  " + t("cli.check-condition", name=condition.name(physio), id=condition.id)))
    click.echo(plain("  " + t("cli.check-protocol", name=protocol.name(physio), id=protocol.id)))
    click.echo("  " + t("cli.check-no-red-flags", n=len(cat.red_flags)))
    for finding, clearance in result.cleared:
        cleared = t(
            "cli.check-cleared",
            flag=finding.flag_id,
            by=clearance.by,
            date=clearance.date.isoformat(),
            note=clearance.note,
        )
        click.echo(plain("  " + cleared))


@cli.command()
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder to write to.")
@click.option(
    "--subscription-url",
    default=None,
    metavar="URL",
    help="Address of the client's calendar feed; the handout then carries a QR code to subscribe.",
)
@LANG
@ALL_DAY
@ALARM
@click.pass_context
def plan(
    ctx: click.Context,
    profile_path: Path,
    out_dir: Path,
    subscription_url: str | None,
    lang: str | None,
    all_day: bool,
    alarm: int | None,
) -> None:
    """Make a programme for a client and write it to a folder.

    Writes NAME.pdf (the client's handout), NAME.ics (the calendar), NAME.json (the plan, which
    `revalidatie revise` reads back) and the physio's summary, NAME.summary.pdf and NAME.summary.md (warnings,
    why the plan is as long as it is, revisions).

    \b
    Example:
      revalidatie plan examples/profiles/gluteal-tendinopathy.toml --out out/
    """
    from .._atomic import write_all_atomically
    from ..loading import load_profile
    from ..planning.engine import plan_programme
    from ..publish import output_paths, render_outputs

    cat = catalog_of(ctx)
    profile = load_profile(profile_path)
    result = plan_programme(profile, cat, source=str(profile_path))
    stem = file_stem(result)
    # Every file is rendered before any is written, and all are written as one set: a failure leaves the
    # previous revision's files as they were, never a new handout beside an old calendar.
    outputs = render_outputs(
        result, language=lang, subscription_url=subscription_url, all_day=all_day, alarm_minutes=alarm
    )
    written = write_all_atomically(output_paths(outputs, out_dir, stem))
    # What the command prints is for the physio: in the interface language, whatever the client reads.
    _print_plan(result, interface_language())
    for path in written:
        click.echo(plain(str(path)))


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.argument("logs_path", metavar="LOGS", type=click.Path(path_type=Path))
@AS_OF
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write to (default: next to PLAN, replacing it).",
)
@LANG
@ALL_DAY
@ALARM
@RESUME
def revise(
    plan_path: Path,
    logs_path: Path,
    as_of: dt.datetime,
    out_dir: Path | None,
    lang: str | None,
    all_day: bool,
    alarm: int | None,
    resume: bool,
) -> None:
    """Adapt a plan (NAME.json) to the client's session logs and write the next revision.

    Writes the revised NAME.json, NAME.ics, NAME.pdf and the physio's summary beside it (or into --out):
    the calendar updates changed sessions in place and marks removed ones as cancelled, the handout says which
    revision it is, and the summary lists the logs behind each revision. A plan paused after red-flag signs is
    revised only with --resume, once you have seen the client.

    \b
    Example:
      revalidatie revise out/sule-yilmaz-de-vries.json examples/logs/gluteal-tendinopathy-week-3.toml \\
        --as-of 2027-01-25
    """
    from .._atomic import write_all_atomically
    from ..export.json import read_plan
    from ..loading import load_session_logs
    from ..planning.engine import resume as resume_plan
    from ..planning.engine import revise as revise_plan
    from ..publish import output_paths, render_outputs

    current = read_plan(plan_path)
    logs = load_session_logs(logs_path)
    step = resume_plan if resume else revise_plan
    new = step(current, logs, as_of.date(), source=str(logs_path))
    target = (out_dir / plan_path.name) if out_dir is not None else plan_path
    # Plan, calendar and handout are one set: either all show the new revision or all keep the old one.
    outputs = render_outputs(new, language=lang, all_day=all_day, alarm_minutes=alarm)
    written = write_all_atomically(output_paths(outputs, target.parent, target.stem))
    note = new.history[-1]
    click.echo(words()("cli.revised", n=note.number, changed=note.changed, cancelled=note.cancelled))
    for path in written:
        click.echo(plain(str(path)))


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True, help="PDF file to write.")
@click.option("--weeks", default=None, metavar="A-B", help="A short sheet for these weeks, such as 5-6 or 7.")
@click.option("--phase", type=int, default=None, metavar="N", help="A short sheet for phase N (1 is the first).")
@click.option("--this-week", is_flag=True, help="A short sheet for the week that holds today's date.")
@click.option("--subscription-url", default=None, metavar="URL", help="Address of the client's calendar feed.")
@click.option(
    "--checkin-url",
    default=None,
    metavar="URL",
    help="Address of the client's check-in page: the QR code leads there and the booklet has no paper diary.",
)
@LANG
def handout(
    plan_path: Path,
    out_path: Path,
    weeks: str | None,
    phase: int | None,
    this_week: bool,
    subscription_url: str | None,
    checkin_url: str | None,
    lang: str | None,
) -> None:
    """Print the handout of a plan (NAME.json) again, or a short sheet for some weeks or one phase.

    \b
    Example:
      revalidatie handout out/sule-yilmaz-de-vries.json --weeks 5-6 --out out/weeks-5-6.pdf
    """
    from ..export.json import read_plan
    from ..export.layout import week_of
    from ..export.pdf import write_pdf

    current = read_plan(plan_path)
    if this_week:
        if weeks is not None or phase is not None:
            raise click.UsageError(words()("cli.handout-one-selection"))
        weeks = str(week_of(current, dt.date.today()))
    written = write_pdf(
        current,
        out_path,
        language=lang,
        subscription_url=subscription_url,
        checkin_url=checkin_url,
        weeks=weeks,
        phase=phase,
    )
    click.echo(plain(str(written)))


def _print_plan(result: Plan, language: str) -> None:
    from rich.table import Table

    from ..export.text import format_date, warning_text

    t = texts_for(language)
    head = (t("cli.plan-phase"), t("cli.plan-from"), t("cli.plan-to"), t("cli.plan-weeks"))
    table = Table(*head, title=cell(f"{result.profile.name}: {result.protocol.name(language)}"))
    for placed in result.phases:
        table.add_row(
            cell(placed.phase.name(language)),
            format_date(placed.start, language),
            format_date(placed.end, language),
            str(placed.weeks),
        )
    console = new_console()
    console.print(table)
    for warning in result.warnings:
        console.print(cell(f"! {warning_text(warning, result, language)}"))
