"""The command-line tool: parse arguments, load, plan, export and print. The only module that prints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._naming import file_stem
from .errors import InputError, ReferralRequired, RevalidatieError

if TYPE_CHECKING:
    from rich.console import Console

    from .batch import BatchResult
    from .catalog import Catalog
    from .model.exercise import Exercise
    from .model.plan import Plan

F = TypeVar("F", bound=Callable[..., Any])

_LANG = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of the output (default: the profile's language, else nl).",
)


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="revalidatie")
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder with the practice's own catalog files, merged over the bundled catalog.",
)
@click.option("--debug", is_flag=True, help="Show the full traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, catalog_dir: Path | None, debug: bool) -> None:
    r"""Hip rehab and return-to-running programmes for runners.

    \b
    Examples:
      revalidatie check examples/profiles/gluteal-tendinopathy.toml
      revalidatie plan examples/profiles/gluteal-tendinopathy.toml --out out/
      revalidatie catalog list --lang en
    """
    ctx.ensure_object(dict)
    ctx.obj["catalog_dir"] = catalog_dir
    ctx.obj["debug"] = debug


def _catalog(ctx: click.Context) -> Catalog:
    from .catalog import load_catalog

    return load_catalog(ctx.obj["catalog_dir"])


# --- catalog --------------------------------------------------------------------------------------------


@cli.group()
def catalog() -> None:
    r"""Browse the exercise catalog, conditions, red flags and protocols.

    \b
    Examples:
      revalidatie catalog list
      revalidatie catalog show bridge-single-leg --lang en
      revalidatie catalog schema > schema.json
    """


@catalog.command("list")
@click.option(
    "--kind",
    type=click.Choice(["exercises", "conditions", "red-flags", "protocols"]),
    default="exercises",
    show_default=True,
    help="What to list.",
)
@_LANG
@click.pass_context
def catalog_list(ctx: click.Context, kind: str, lang: str | None) -> None:
    r"""List the catalog's exercises (or conditions, red flags, protocols) as a table.

    \b
    Example:
      revalidatie catalog list --kind protocols --lang en
    """
    from rich.table import Table

    from .export.text import category_label

    language = lang or "nl"
    cat = _catalog(ctx)
    heading = {"nl": "Naam", "en": "Name"}[language]
    if kind == "exercises":
        table = Table(
            "id",
            heading,
            {"nl": "Soort", "en": "Kind"}[language],
            {"nl": "Makkelijker / zwaarder", "en": "Easier / harder"}[language],
            title=f"{len(cat.exercises)} " + {"nl": "oefeningen", "en": "exercises"}[language],
        )
        for ex in sorted(cat.exercises.values(), key=lambda e: (e.category, e.id)):
            table.add_row(
                ex.id,
                ex.name(language),
                category_label(ex.category, language),
                f"{ex.easier or '-'} / {ex.harder or '-'}",
            )
    elif kind == "conditions":
        table = Table(
            "id",
            heading,
            {"nl": "Standaardprotocol", "en": "Default protocol"}[language],
            {"nl": "Ook bekend als", "en": "Also known as"}[language],
        )
        for cond in cat.conditions.values():
            table.add_row(cond.id, cond.name(language), cond.default_protocol, ", ".join(cond.aliases))
        table.title = {"nl": "Aandoeningen", "en": "Conditions"}[language]
    elif kind == "red-flags":
        table = Table(
            "id",
            {"nl": "Urgentie", "en": "Urgency"}[language],
            {"nl": "Vraag", "en": "Question"}[language],
            title="Red flags",
        )
        for flag in cat.red_flags.values():
            table.add_row(flag.id, flag.urgency.value, flag.question(language))
    else:
        table = Table("id", heading, {"nl": "Fasen", "en": "Phases"}[language], title="Protocols")
        for protocol in cat.protocols.values():
            phases = cat.phases(protocol.id)
            table.add_row(protocol.id, protocol.name(language), " > ".join(p.id for p in phases))
    _console().print(table)


@catalog.command("show")
@click.argument("item_id")
@_LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def catalog_show(ctx: click.Context, item_id: str, lang: str | None, fmt: str) -> None:
    r"""Show one exercise, condition, red flag or protocol by its id.

    \b
    Example:
      revalidatie catalog show side-plank --lang en
    """
    cat = _catalog(ctx)
    language = lang or "nl"
    found = (
        cat.exercises.get(item_id)
        or cat.find_condition(item_id)
        or cat.red_flags.get(item_id)
        or cat.protocols.get(item_id)
    )
    if found is None:
        raise click.ClickException(f"{item_id!r} is not an id in the catalog; see `revalidatie catalog list`")
    if fmt == "json":
        click.echo(found.model_dump_json(indent=2))
        return
    from .model.exercise import Exercise

    if isinstance(found, Exercise):
        _show_exercise(found, language)
    else:
        click.echo(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))


def _show_exercise(ex: Exercise, language: str) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from .export.text import category_label

    label = {
        "nl": ("Doel", "Zo doe je het", "Let op", "Veelgemaakte fouten", "Spieren", "Bron", "Soort"),
        "en": ("Purpose", "How to do it", "Tips", "Common mistakes", "Muscles", "Source", "Kind"),
    }[language]
    body = Text()
    body.append(f"{label[6]}: {category_label(ex.category, language)}\n")
    body.append(f"{label[0]}: ", style="bold")
    body.append(ex.purpose(language) + "\n\n")
    body.append(label[1] + "\n", style="bold")
    for n, step in enumerate(ex.steps(language), start=1):
        body.append(f"  {n}. {step}\n")
    body.append("\n" + label[2] + "\n", style="bold")
    for cue in ex.cues(language):
        body.append(f"  - {cue}\n")
    body.append("\n" + label[3] + "\n", style="bold")
    for mistake in ex.mistakes(language):
        body.append(f"  - {mistake}\n")
    if ex.muscles:
        body.append(f"\n{label[4]}: {', '.join(ex.muscles)}\n")
    body.append(f"{label[5]}: {ex.source}")
    _console().print(Panel(body, title=f"{ex.name(language)} ({ex.id})", expand=False))


@catalog.command("schema")
@click.option(
    "--kind",
    type=click.Choice(["all", "exercises", "conditions", "red-flags", "protocol", "profile", "logs"]),
    default="all",
    show_default=True,
)
def catalog_schema(kind: str) -> None:
    r"""Print the JSON Schema of the files a person writes, for editor completion and validation.

    \b
    Example:
      revalidatie catalog schema --kind profile > profile.schema.json
    """
    from .schema import schemas

    all_schemas = schemas()
    click.echo(json.dumps(all_schemas if kind == "all" else all_schemas[kind], ensure_ascii=False, indent=2))


# --- check, plan, revise --------------------------------------------------------------------------------


@cli.command()
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@_LANG
@click.pass_context
def check(ctx: click.Context, profile_path: Path, lang: str | None) -> None:
    r"""Validate a client profile and run the red-flag screening.

    Exits 0 when a plan can be made, 1 when the profile is invalid or a referral is required.

    \b
    Example:
      revalidatie check examples/profiles/itbs.toml
    """
    from .loading import load_profile
    from .planning.screening import require_clear, resolve

    cat = _catalog(ctx)
    profile = load_profile(profile_path)
    language = lang or profile.language.value
    condition, protocol = resolve(profile, cat, source=str(profile_path))
    result = require_clear(profile, cat, source=str(profile_path))
    words = {
        "nl": ("Profiel in orde", "aandoening", "protocol", "red flags: geen", "vrijgegeven door"),
        "en": ("Profile OK", "condition", "protocol", "red flags: none", "cleared by"),
    }[language]
    click.echo(f"{words[0]}: {profile.name}")
    click.echo(f"  {words[1]}: {condition.name(language)} ({condition.id})")
    click.echo(f"  {words[2]}: {protocol.name(language)} ({protocol.id})")
    click.echo(f"  {words[3]} ({len(cat.red_flags)})")
    for finding, clearance in result.cleared:
        click.echo(f"  {finding.flag_id}: {words[4]} {clearance.by}, {clearance.date.isoformat()}: {clearance.note}")


@cli.command()
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder to write to.")
@click.option(
    "--subscription-url",
    default=None,
    metavar="URL",
    help="Address of the client's calendar feed; the handout then carries a QR code to subscribe.",
)
@_LANG
@click.option("--all-day", is_flag=True, help="Calendar: sessions as all-day events instead of at the set time.")
@click.option(
    "--alarm",
    "alarm",
    type=click.IntRange(0, 10080),
    default=None,
    metavar="MINUTES",
    help="Calendar: a reminder this many minutes before each session.",
)
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
    r"""Make a programme for a client and write it to a folder.

    Writes NAME.pdf (the client's handout), NAME.ics (the calendar) and NAME.json (the plan, which
    `revalidatie revise` reads back).

    \b
    Example:
      revalidatie plan examples/profiles/gluteal-tendinopathy.toml --out out/
    """
    from .export.ics import write_ics
    from .export.json import write_json
    from .export.pdf import write_pdf
    from .loading import load_profile
    from .planning.engine import plan_programme

    cat = _catalog(ctx)
    profile = load_profile(profile_path)
    result = plan_programme(profile, cat, source=str(profile_path))
    stem = file_stem(result)
    handout = write_pdf(result, out_dir / f"{stem}.pdf", language=lang, subscription_url=subscription_url)
    calendar = write_ics(result, out_dir / f"{stem}.ics", language=lang, all_day=all_day, alarm_minutes=alarm)
    written = write_json(result, out_dir / f"{stem}.json")
    _print_plan(result, lang or profile.language.value)
    click.echo(str(handout))
    click.echo(str(calendar))
    click.echo(str(written))


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.argument("logs_path", metavar="LOGS", type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First day that may change (YYYY-MM-DD), usually today.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write to (default: next to PLAN, replacing it).",
)
@_LANG
def revise(plan_path: Path, logs_path: Path, as_of: dt.datetime, out_dir: Path | None, lang: str | None) -> None:
    r"""Adapt a plan (NAME.json) to the client's session logs and write the next revision.

    \b
    Example:
      revalidatie revise out/anna-de-vries.json examples/logs/anna-week-3.toml --as-of 2027-01-04
    """
    from .export.json import plan_from_json, write_json
    from .loading import load_session_logs
    from .planning.engine import revise as revise_plan

    try:
        text = plan_path.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"{plan_path}: cannot be read ({exc.strerror or exc})") from None
    current = plan_from_json(text, source=str(plan_path))
    logs = load_session_logs(logs_path)
    new = revise_plan(current, logs, as_of.date(), source=str(logs_path))
    target = (out_dir / plan_path.name) if out_dir is not None else plan_path
    write_json(new, target)
    note = new.history[-1]
    language = lang or new.profile.language.value
    words = {
        "nl": "Revisie {n}: {c} sessies gewijzigd, {x} vervallen",
        "en": "Revision {n}: {c} sessions changed, {x} cancelled",
    }[language]
    click.echo(words.format(n=note.number, c=note.changed, x=note.cancelled))
    click.echo(str(target))


@cli.command()
@click.argument("profiles_dir", metavar="PROFILES_DIR", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder to write to.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Clients planned at the same time, in separate processes (default: the number of CPUs).",
)
@click.option("--force", is_flag=True, help="Redo every client, even when nothing changed since the last run.")
@_LANG
@click.option("--all-day", is_flag=True, help="Calendar: sessions as all-day events instead of at the set time.")
@click.option(
    "--alarm",
    "alarm",
    type=click.IntRange(0, 10080),
    default=None,
    metavar="MINUTES",
    help="Calendar: a reminder this many minutes before each session.",
)
@click.pass_context
def batch(
    ctx: click.Context,
    profiles_dir: Path,
    out_dir: Path,
    jobs: int | None,
    force: bool,
    lang: str | None,
    all_day: bool,
    alarm: int | None,
) -> None:
    r"""Plan every client profile (*.toml, *.json) in a folder: NAME.pdf, NAME.ics and NAME.json each.

    Only clients whose profile, catalog or library version changed since the last run are redone. A
    referral is reported and is not a failure; the exit code is 1 when any profile could not be planned.

    \b
    Example:
      revalidatie batch examples/profiles --out out/ --jobs 2
    """
    import os
    from concurrent.futures import Executor, ProcessPoolExecutor

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .batch import BatchStatus, render_batch

    if not profiles_dir.is_dir():
        raise click.ClickException(f"{profiles_dir}: is not a folder; give the folder with the client profiles")
    paths = sorted(p for p in profiles_dir.iterdir() if p.suffix.lower() in {".toml", ".json"} and p.is_file())
    paths = [p for p in paths if not p.name.startswith(".")]
    if not paths:
        raise click.ClickException(f"{profiles_dir}: holds no client profiles (*.toml, *.json)")
    cat = _catalog(ctx)
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    console = _console()
    words = {
        "nl": ("Cliënten", "Cliënt", "Status", "Bestanden / reden", "ongewijzigd", "klaar", "verwijzing", "fout"),
        "en": ("Clients", "Client", "Status", "Files / reason", "unchanged", "ok", "referral", "error"),
    }[lang or "nl"]
    # No refresh thread: the worker processes are forked while the bar is shown, and forking a process that
    # runs other threads can deadlock the child. The bar is redrawn each time a client finishes instead.
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        auto_refresh=False,
    ) as progress:
        task = progress.add_task(words[0], total=len(paths))

        def advance(_: BatchResult) -> None:
            progress.advance(task)
            progress.refresh()

        executor: Executor | None = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
        try:
            results = render_batch(
                paths,
                out_dir,
                catalog=cat,
                language=lang,
                executor=executor,
                all_day=all_day,
                alarm_minutes=alarm,
                force=force,
                on_result=advance,
            )
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
    _print_batch(results, words, console)
    failed = sum(result.status is BatchStatus.ERROR for result in results)
    if failed:
        ctx.exit(1)


def _print_batch(results: Sequence[BatchResult], words: tuple[str, ...], console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    from .batch import BatchStatus

    label = {BatchStatus.OK: words[5], BatchStatus.REFERRAL: words[6], BatchStatus.ERROR: words[7]}
    style = {BatchStatus.OK: "green", BatchStatus.REFERRAL: "yellow", BatchStatus.ERROR: "red"}
    table = Table(words[1], words[2], words[3])
    for result in results:
        if result.status is BatchStatus.OK:
            detail = ", ".join(path.name for path in result.files)
            status = label[result.status] + (f" ({words[4]})" if result.reused else "")
        elif result.status is BatchStatus.REFERRAL:
            detail = "\n".join(f"[{f.urgency}] {f.question} -> {f.action}" for f in result.findings)
            status = label[result.status]
        else:
            detail = "\n".join(str(problem) for problem in result.problems)
            status = label[result.status]
        # Text, not markup: a client's name or a finding such as "[urgent] ..." must print as written.
        table.add_row(
            Text(result.client or Path(result.source).name), Text(status, style=style[result.status]), Text(detail)
        )
    counts = {status: sum(r.status is status for r in results) for status in BatchStatus}
    table.caption = ", ".join(f"{counts[status]} {label[status]}" for status in BatchStatus)
    console.print(table)


def _print_plan(result: Plan, language: str) -> None:
    from rich.table import Table

    from .export.text import format_date

    head = {"nl": ("Fase", "Van", "Tot", "Weken"), "en": ("Phase", "From", "To", "Weeks")}[language]
    table = Table(*head, title=f"{result.profile.name}: {result.protocol.name(language)}")
    for placed in result.phases:
        table.add_row(
            placed.phase.name(language),
            format_date(placed.start, language),
            format_date(placed.end, language),
            str(placed.weeks),
        )
    console = _console()
    console.print(table)
    for warning in result.warnings:
        console.print(f"! {warning.message(language)}", markup=False)


# --- entry point ----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="revalidatie", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except ReferralRequired as exc:
        if debug:
            raise
        click.echo(str(exc), err=True)
        return 1
    except InputError as exc:
        if debug:
            raise
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        return 1
    except RevalidatieError as exc:
        if debug:
            raise
        click.echo(f"error: {exc}", err=True)
        return 1
    # A command that ends with ctx.exit(code) returns its code here; the others return None.
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
