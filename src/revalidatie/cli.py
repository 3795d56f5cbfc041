"""The command-line tool: parse arguments, load, plan, export and print. The only module that prints."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._bidi import DROP_BIDI_CONTROLS
from ._naming import file_stem
from .errors import InputError, ReferralRequired, RevalidatieError, problem_lines

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from .batch import BatchResult
    from .catalog import Catalog
    from .feed.port import FeedStorePort
    from .feed.store import FeedEntry
    from .model.exercise import Exercise
    from .model.plan import Plan

F = TypeVar("F", bound=Callable[..., Any])

_LANG = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of the output (default: the profile's language, else nl).",
)
_ALL_DAY = click.option(
    "--all-day", is_flag=True, help="Calendar: sessions as all-day events instead of at the set time."
)
_ALARM = click.option(
    "--alarm",
    "alarm",
    type=click.IntRange(0, 10080),
    default=30,
    show_default=True,
    metavar="MINUTES",
    help="Calendar: a reminder this many minutes before each session; 0 turns reminders off.",
)


def _sane_day(ctx: click.Context, param: click.Parameter, value: dt.datetime) -> dt.datetime:
    from .model.common import EARLIEST_DATE, LATEST_DATE

    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise click.BadParameter(
            f"{value.date().isoformat()} is not a date from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"
            "; check the year",
            ctx=ctx,
            param=param,
        )
    return value


_AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    callback=_sane_day,
    help="First day that may change (YYYY-MM-DD), usually today.",
)


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


# Control characters (ESC starts a terminal command) shown as escapes; tab and line feed print as they are.
_CONTROLS: dict[int, str | None] = {
    code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (0x09, 0x0A)
}
# Bidirectional controls (a right-to-left override in a name) would reorder the rest of the line: dropped.
_CONTROLS.update(DROP_BIDI_CONTROLS)


def _plain(text: str) -> str:
    """``text`` with control characters made visible, so a name or note cannot drive the terminal."""
    return text.translate(_CONTROLS)


def _cell(text: str, style: str = "") -> Text:
    """Text for a rich table, title or panel: printed as written, never read as markup (``[/]``, ``[link=...]``).

    Every string a person wrote (names, notes, ids, paths, values in errors) reaches rich only through here.
    """
    from rich.text import Text

    return Text(_plain(text), style=style)


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
    """Hip rehab and return-to-running programmes for runners.

    \b
    Examples:
      revalidatie check examples/profiles/gluteal-tendinopathy.toml
      revalidatie plan examples/profiles/gluteal-tendinopathy.toml --out out/
      revalidatie catalog list --lang en
      revalidatie feed publish examples/profiles/itbs.toml --base-url https://feeds.example.nl
      revalidatie serve
    """
    ctx.ensure_object(dict)
    ctx.obj["catalog_dir"] = catalog_dir
    ctx.obj["debug"] = debug


def _catalog(ctx: click.Context) -> Catalog:
    from .catalog import load_catalog

    return load_catalog(ctx.obj["catalog_dir"])


def _print_catalog_warnings(cat: Catalog) -> None:
    # Warnings go to stderr so that the regular output stays clean for scripts.
    for warning in cat.warnings:
        click.echo(f"warning: {warning}", err=True)


# --- catalog --------------------------------------------------------------------------------------------


@cli.group()
def catalog() -> None:
    """Browse the exercise catalog, conditions, red flags and protocols.

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
    """List the catalog's exercises (or conditions, red flags, protocols) as a table.

    \b
    Example:
      revalidatie catalog list --kind protocols --lang en
    """
    from rich.table import Table

    from .export.text import category_label

    language = lang or "nl"
    cat = _catalog(ctx)
    _print_catalog_warnings(cat)
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
                _cell(ex.id),
                _cell(ex.name(language)),
                _cell(category_label(ex.category, language)),
                _cell(f"{ex.easier or '-'} / {ex.harder or '-'}"),
            )
    elif kind == "conditions":
        table = Table(
            "id",
            heading,
            {"nl": "Standaardprotocol", "en": "Default protocol"}[language],
            {"nl": "Ook bekend als", "en": "Also known as"}[language],
        )
        for cond in cat.conditions.values():
            table.add_row(
                _cell(cond.id), _cell(cond.name(language)), _cell(cond.default_protocol), _cell(", ".join(cond.aliases))
            )
        table.title = {"nl": "Aandoeningen", "en": "Conditions"}[language]
    elif kind == "red-flags":
        table = Table(
            "id",
            {"nl": "Urgentie", "en": "Urgency"}[language],
            {"nl": "Vraag", "en": "Question"}[language],
            title="Red flags",
        )
        for flag in cat.red_flags.values():
            table.add_row(_cell(flag.id), _cell(flag.urgency.value), _cell(flag.question(language)))
    else:
        table = Table("id", heading, {"nl": "Fasen", "en": "Phases"}[language], title="Protocols")
        for protocol in cat.protocols.values():
            phases = cat.phases(protocol.id)
            table.add_row(_cell(protocol.id), _cell(protocol.name(language)), _cell(" > ".join(p.id for p in phases)))
    _console().print(table)


@catalog.command("show")
@click.argument("item_id")
@_LANG
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--svg",
    "svg_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the exercise's figure (start and end pose) to this SVG file.",
)
@click.pass_context
def catalog_show(ctx: click.Context, item_id: str, lang: str | None, fmt: str, svg_path: Path | None) -> None:
    """Show one exercise, condition, red flag or protocol by its id.

    \b
    Examples:
      revalidatie catalog show side-plank --lang en
      revalidatie catalog show bridge-double-leg --svg bridge.svg
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
    from .model.exercise import Exercise

    if svg_path is not None:
        from .export.figures import write_exercise_svg

        if not isinstance(found, Exercise):
            raise click.ClickException(f"{item_id!r} is not an exercise; only exercises have a figure")
        if found.figure is None:
            raise click.ClickException(
                f"exercise {item_id!r} has no figure; add [exercise.figure] to its catalog file (docs/poses.md)"
            )
        write_exercise_svg(found, svg_path, language=language)
        click.echo(str(svg_path), err=True)
    if fmt == "json":
        click.echo(found.model_dump_json(indent=2))
        return
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
    body.append(_plain(ex.purpose(language)) + "\n\n")
    body.append(label[1] + "\n", style="bold")
    for n, step in enumerate(ex.steps(language), start=1):
        body.append(f"  {n}. {_plain(step)}\n")
    body.append("\n" + label[2] + "\n", style="bold")
    for cue in ex.cues(language):
        body.append(f"  - {_plain(cue)}\n")
    body.append("\n" + label[3] + "\n", style="bold")
    for mistake in ex.mistakes(language):
        body.append(f"  - {_plain(mistake)}\n")
    if ex.muscles:
        body.append(f"\n{label[4]}: {_plain(', '.join(ex.muscles))}\n")
    body.append(f"{label[5]}: {_plain(ex.source)}")
    _console().print(Panel(body, title=_cell(f"{ex.name(language)} ({ex.id})"), expand=False))


@catalog.command("schema")
@click.option(
    "--kind",
    type=click.Choice(["all", "exercises", "conditions", "red-flags", "protocol", "profile", "logs"]),
    default="all",
    show_default=True,
)
def catalog_schema(kind: str) -> None:
    """Print the JSON Schema of the files a person writes, for editor completion and validation.

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
    """Validate a client profile and run the red-flag screening.

    Exits 0 when a plan can be made, 1 when the profile is invalid or a referral is required.

    \b
    Example:
      revalidatie check examples/profiles/itbs.toml
    """
    from .loading import load_profile
    from .planning.screening import require_clear, resolve

    cat = _catalog(ctx)
    _print_catalog_warnings(cat)
    profile = load_profile(profile_path)
    language = lang or profile.language.value
    condition, protocol = resolve(profile, cat, source=str(profile_path))
    result = require_clear(profile, cat, source=str(profile_path), language=language)
    words = {
        "nl": ("Profiel in orde", "aandoening", "protocol", "red flags: geen open", "vrijgegeven door"),
        "en": ("Profile OK", "condition", "protocol", "red flags: none open", "cleared by"),
    }[language]
    click.echo(_plain(f"{words[0]}: {profile.name}"))
    click.echo(_plain(f"  {words[1]}: {condition.name(language)} ({condition.id})"))
    click.echo(_plain(f"  {words[2]}: {protocol.name(language)} ({protocol.id})"))
    click.echo(f"  {words[3]} ({len(cat.red_flags)})")
    for finding, clearance in result.cleared:
        cleared = f"{words[4]} {clearance.by}, {clearance.date.isoformat()}: {clearance.note}"
        click.echo(_plain(f"  {finding.flag_id}: {cleared}"))


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
@_ALL_DAY
@_ALARM
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
    from ._atomic import write_all_atomically
    from .loading import load_profile
    from .planning.engine import plan_programme
    from .publish import output_paths, render_outputs

    cat = _catalog(ctx)
    profile = load_profile(profile_path)
    result = plan_programme(profile, cat, source=str(profile_path))
    stem = file_stem(result)
    # Every file is rendered before any is written, and all are written as one set: a failure leaves the
    # previous revision's files as they were, never a new handout beside an old calendar.
    outputs = render_outputs(
        result, language=lang, subscription_url=subscription_url, all_day=all_day, alarm_minutes=alarm
    )
    written = write_all_atomically(output_paths(outputs, out_dir, stem))
    _print_plan(result, lang or profile.language.value)
    for path in written:
        click.echo(_plain(str(path)))


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.argument("logs_path", metavar="LOGS", type=click.Path(path_type=Path))
@_AS_OF
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to write to (default: next to PLAN, replacing it).",
)
@_LANG
@_ALL_DAY
@_ALARM
def revise(
    plan_path: Path,
    logs_path: Path,
    as_of: dt.datetime,
    out_dir: Path | None,
    lang: str | None,
    all_day: bool,
    alarm: int | None,
) -> None:
    """Adapt a plan (NAME.json) to the client's session logs and write the next revision.

    Writes the revised NAME.json, NAME.ics, NAME.pdf and the physio's summary beside it (or into --out):
    the calendar updates changed sessions in place and marks removed ones as cancelled, the handout says which
    revision it is, and the summary lists the logs behind each revision.

    \b
    Example:
      revalidatie revise out/sule-yilmaz-de-vries.json examples/logs/gluteal-tendinopathy-week-3.toml \\
        --as-of 2027-01-25
    """
    from ._atomic import write_all_atomically
    from .export.json import read_plan
    from .loading import load_session_logs
    from .planning.engine import revise as revise_plan
    from .publish import output_paths, render_outputs

    current = read_plan(plan_path)
    logs = load_session_logs(logs_path)
    new = revise_plan(current, logs, as_of.date(), source=str(logs_path))
    target = (out_dir / plan_path.name) if out_dir is not None else plan_path
    # Plan, calendar and handout are one set: either all show the new revision or all keep the old one.
    outputs = render_outputs(new, language=lang, all_day=all_day, alarm_minutes=alarm)
    written = write_all_atomically(output_paths(outputs, target.parent, target.stem))
    note = new.history[-1]
    language = lang or new.profile.language.value
    words = {
        "nl": "Revisie {n}: {c} sessies gewijzigd, {x} vervallen",
        "en": "Revision {n}: {c} sessions changed, {x} cancelled",
    }[language]
    click.echo(words.format(n=note.number, c=note.changed, x=note.cancelled))
    for path in written:
        click.echo(_plain(str(path)))


@cli.command()
@click.argument("plan_path", metavar="PLAN", type=click.Path(path_type=Path))
@click.option("--out", "out_path", type=click.Path(path_type=Path), required=True, help="PDF file to write.")
@click.option("--weeks", default=None, metavar="A-B", help="A short sheet for these weeks, such as 5-6 or 7.")
@click.option("--phase", type=int, default=None, metavar="N", help="A short sheet for phase N (1 is the first).")
@click.option("--this-week", is_flag=True, help="A short sheet for the week that holds today's date.")
@click.option("--subscription-url", default=None, metavar="URL", help="Address of the client's calendar feed.")
@_LANG
def handout(
    plan_path: Path,
    out_path: Path,
    weeks: str | None,
    phase: int | None,
    this_week: bool,
    subscription_url: str | None,
    lang: str | None,
) -> None:
    """Print the handout of a plan (NAME.json) again, or a short sheet for some weeks or one phase.

    \b
    Example:
      revalidatie handout out/sule-yilmaz-de-vries.json --weeks 5-6 --out out/weeks-5-6.pdf
    """
    from .export.json import read_plan
    from .export.layout import week_of
    from .export.pdf import write_pdf

    current = read_plan(plan_path)
    if this_week:
        if weeks is not None or phase is not None:
            raise click.UsageError("give --this-week, --weeks or --phase, not more than one")
        weeks = str(week_of(current, dt.date.today()))
    written = write_pdf(current, out_path, language=lang, subscription_url=subscription_url, weeks=weeks, phase=phase)
    click.echo(_plain(str(written)))


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
@_ALL_DAY
@_ALARM
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
            detail = "\n".join(problem_lines(result.problems))
            status = label[result.status]
        # Text, not markup: a client's name or a finding such as "[urgent] ..." must print as written.
        table.add_row(
            _cell(result.client or Path(result.source).name), _cell(status, style[result.status]), _cell(detail)
        )
    counts = {status: sum(r.status is status for r in results) for status in BatchStatus}
    table.caption = ", ".join(f"{counts[status]} {label[status]}" for status in BatchStatus)
    console.print(table)


# --- feeds and the server -------------------------------------------------------------------------------

_DB = click.option(
    "--db",
    "db_path",
    metavar="PATH|URL",
    envvar="REVALIDATIE_DB",
    default="revalidatie-feeds.sqlite",
    show_default=True,
    help="The feed database: a SQLite file, or postgresql://user@host/database (also from the environment "
    "variable REVALIDATIE_DB).",
)


def _store(db_path: str, *, create: bool = False, handouts: bool = True) -> FeedStorePort:
    from .feed.store import open_store

    return open_store(db_path, create=create, handouts=handouts)


_HANDOUT = click.option(
    "--handout/--no-handout",
    default=True,
    show_default=True,
    help="Also publish the PDF handout (with the subscription link and QR code) at /feeds/TOKEN.pdf.",
)


def _find_feed(store: FeedStorePort, token: str) -> FeedEntry:
    """The feed named by a whole token or by a unique prefix of one (as `feed list` shows)."""
    from .errors import FeedNotFound

    try:
        return store.get(token)
    except FeedNotFound:
        return store.find(token)


@cli.command()
@_DB
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--access-log", is_flag=True, help="Log every request; the log then holds the secret tokens.")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes sharing the port (about one per CPU core); with SQLite all on this machine.",
)
def serve(db_path: str, host: str, port: int, access_log: bool, workers: int) -> None:
    """Serve the published feeds over HTTP: calendars, handouts and subscribe pages.

    Listens on 127.0.0.1 by default; put a reverse proxy with TLS in front of it (see docs/feeds.md).
    Stops on Ctrl+C or SIGTERM. Needs the server extra: pip install 'revalidatie[server]'.

    \b
    Example:
      revalidatie serve --db feeds.sqlite --host 127.0.0.1 --port 8000 --workers 2
    """
    from .errors import FeedError

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise FeedError(
            f"`revalidatie serve` needs the web server, which is not installed ({exc.name} is missing); "
            "install it with: pip install 'revalidatie[server]'"
        ) from None
    from .feed._app import run_server, run_workers

    store = _store(db_path)
    live = len(store.entries())
    processes = f" in {workers} worker processes" if workers > 1 else ""
    click.echo(
        _plain(f"Serving {live} feeds from {store.location}{processes} on http://{host}:{port}/feeds/ (Ctrl+C stops)"),
        err=True,
    )
    try:
        if workers == 1:
            run_server(store, host=host, port=port, access_log=access_log)
        else:
            store.close()  # each worker opens its own connections
            run_workers(db_path, host=host, port=port, workers=workers, access_log=access_log)
    except SystemExit as exc:
        # uvicorn has logged why (e.g. the port is in use) and exits; report it like every other error.
        if exc.code not in (0, None):
            raise FeedError(f"the server could not start on {host}:{port}; see the message above") from None
        raise
    finally:
        store.close()


@cli.group()
def feed() -> None:
    """Publish plans as calendars that clients subscribe to, revise, list, revoke and export them.

    \b
    Examples:
      revalidatie feed publish examples/profiles/itbs.toml --base-url https://feeds.example.nl
      revalidatie feed list
      revalidatie serve
    """


@feed.command("publish")
@click.argument("profile_path", metavar="PROFILE", type=click.Path(path_type=Path))
@_DB
@click.option(
    "--base-url",
    required=True,
    envvar="REVALIDATIE_BASE_URL",
    help="Public address the feeds are served under, e.g. https://feeds.example.nl (env REVALIDATIE_BASE_URL).",
)
@_HANDOUT
@_LANG
@click.pass_context
def feed_publish(
    ctx: click.Context, profile_path: Path, db_path: str, base_url: str, handout: bool, lang: str | None
) -> None:
    """Plan a client's programme and publish it as a calendar feed; prints the subscription URL.

    Creates the database when it does not exist yet.

    \b
    Example:
      revalidatie feed publish examples/profiles/itbs.toml --base-url https://feeds.example.nl
    """
    from .loading import load_profile
    from .planning.engine import plan_programme

    cat = _catalog(ctx)
    profile = load_profile(profile_path)
    result = plan_programme(profile, cat, source=str(profile_path))
    language = lang or profile.language.value
    with _store(db_path, create=True, handouts=handout) as store:
        url = store.publish(result, base_url=base_url)
        entry = store.get(url.rsplit("/", 1)[1].removesuffix(".ics"))
    words = {
        "nl": ("{client}: revisie {n} gepubliceerd", "pagina met abonneerlinks"),
        "en": ("{client}: revision {n} published", "page with subscribe links"),
    }[language]
    click.echo(_plain(words[0].format(client=entry.client, n=entry.revision)))
    click.echo(f"  {words[1]}: {entry.page_url}")
    click.echo(url)


@feed.command("revise")
@click.argument("token")
@click.argument("logs_path", metavar="LOGS", type=click.Path(path_type=Path))
@_AS_OF
@_DB
@_HANDOUT
@_LANG
def feed_revise(token: str, logs_path: Path, as_of: dt.datetime, db_path: str, handout: bool, lang: str | None) -> None:
    """Adapt a published plan to the client's session logs and publish the new revision.

    TOKEN is the feed's token, or a unique start of it (at least 6 characters, as `feed list` shows).
    Subscribed calendars pick the change up at their next refresh; the URL stays the same.

    \b
    Example:
      revalidatie feed revise Xq3v9T examples/logs/gluteal-tendinopathy-week-3.toml --as-of 2027-01-25
    """
    from .errors import FeedError
    from .loading import load_session_logs
    from .planning.engine import revise as revise_plan

    with _store(db_path, handouts=handout) as store:
        entry = _find_feed(store, token)
        if entry.revoked:
            raise FeedError(f"the feed {entry.token[:8]}... of {entry.client} is revoked; publish the plan again")
        current = store.plan(entry.token)
        logs = load_session_logs(logs_path)
        new = revise_plan(current, logs, as_of.date(), source=str(logs_path))
        entry = store.update(new)
    note = new.history[-1]
    language = lang or new.profile.language.value
    words = {
        "nl": "{client}: revisie {n} gepubliceerd: {c} sessies gewijzigd, {x} vervallen",
        "en": "{client}: revision {n} published: {c} sessions changed, {x} cancelled",
    }[language]
    click.echo(_plain(words.format(client=entry.client, n=note.number, c=note.changed, x=note.cancelled)))
    click.echo(entry.url)


@feed.command("list")
@_DB
@click.option("--all", "show_all", is_flag=True, help="Also list revoked feeds.")
@_LANG
def feed_list(db_path: str, show_all: bool, lang: str | None) -> None:
    """List the published feeds as a table: client, plan, revision, token prefix, last update.

    \b
    Example:
      revalidatie feed list --db feeds.sqlite --all
    """
    from rich.table import Table

    language = lang or "nl"
    with _store(db_path) as store:
        entries = store.entries(include_revoked=show_all)
    head = {
        "nl": ("Cliënt", "Plan", "Revisie", "Token", "Bijgewerkt", "Status", "actief", "ingetrokken", "feeds"),
        "en": ("Client", "Plan", "Revision", "Token", "Updated", "Status", "live", "revoked", "feeds"),
    }[language]
    table = Table(title=f"{len(entries)} {head[8]}", caption="UTC")
    for n, column in enumerate((*head[:5], *head[5:6]) if show_all else head[:5]):
        # Plan ids, token prefixes and times are looked up and copied: never break them over lines.
        table.add_column(column, no_wrap=n in (1, 3, 4))
    for entry in entries:
        status = (head[7] if entry.revoked else head[6],) if show_all else ()
        # The store holds what clients' profiles said: a name such as "[/]" is a name, not markup.
        table.add_row(
            _cell(entry.client),
            _cell(entry.plan_id),
            str(entry.revision),
            _cell(f"{entry.token[:8]}…"),
            entry.updated.strftime("%Y-%m-%d %H:%M"),
            *status,
        )
    _console().print(table)


@feed.command("revoke")
@click.argument("token")
@_DB
@_LANG
def feed_revoke(token: str, db_path: str, lang: str | None) -> None:
    """Stop serving a feed: its URL answers 404 from now on. The stored revisions are kept.

    TOKEN is the feed's token, or a unique start of it. To give the client a new link, publish again.
    After a static export, run `feed export` again to remove the revoked files.

    \b
    Example:
      revalidatie feed revoke Xq3v9T --db feeds.sqlite
    """
    with _store(db_path) as store:
        entry = store.revoke(_find_feed(store, token).token)
    words = {"nl": "{client}: feed {t}… ingetrokken", "en": "{client}: feed {t}… revoked"}[lang or entry.language]
    click.echo(_plain(words.format(client=entry.client, t=entry.token[:8])))


@feed.command("export")
@click.option("--to", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder.")
@_DB
def feed_export(out_dir: Path, db_path: str) -> None:
    """Write every live feed as static files for any web server or CDN; removes revoked feeds' files.

    Writes DIR/feeds/TOKEN.ics, DIR/feeds/TOKEN.pdf and DIR/feeds/TOKEN/index.html, each atomically, so
    the URLs stay the same as with `revalidatie serve`.

    \b
    Example:
      revalidatie feed export --to public/ --db feeds.sqlite
    """
    from .feed import export_static

    with _store(db_path) as store:
        written = export_static(store, out_dir)
    click.echo(f"{len(written)} files in {out_dir}")


@feed.command("backup")
@click.option("--to", "target", type=click.Path(path_type=Path, dir_okay=False), required=True, help="File.")
@_DB
def feed_backup(target: Path, db_path: str) -> None:
    """Copy the SQLite feed database to a file, consistent as of one moment, while the server keeps running.

    A PostgreSQL database is backed up with PostgreSQL's own tools (pg_dump; see docs/feeds.md).

    \b
    Example:
      revalidatie feed backup --to backups/feeds-2027-01-25.sqlite --db feeds.sqlite
    """
    from .errors import FeedError
    from .feed.store import FeedStore

    with _store(db_path) as store:
        if not isinstance(store, FeedStore):
            raise FeedError(
                f"{store.location}: back up a PostgreSQL database with pg_dump, e.g. "
                "pg_dump --format=custom --file=feeds.dump DATABASE-URL (see docs/feeds.md)"
            )
        store.backup(target)
    click.echo(str(target))


def _print_plan(result: Plan, language: str) -> None:
    from rich.table import Table

    from .export.text import format_date, warning_text

    head = {"nl": ("Fase", "Van", "Tot", "Weken"), "en": ("Phase", "From", "To", "Weeks")}[language]
    table = Table(*head, title=_cell(f"{result.profile.name}: {result.protocol.name(language)}"))
    for placed in result.phases:
        table.add_row(
            _cell(placed.phase.name(language)),
            format_date(placed.start, language),
            format_date(placed.end, language),
            str(placed.weeks),
        )
    console = _console()
    console.print(table)
    for warning in result.warnings:
        console.print(_cell(f"! {warning_text(warning, result, language)}"))


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
        click.echo(_plain(str(exc)), err=True)
        return 1
    except InputError as exc:
        if debug:
            raise
        # A file with 50,000 copies of one mistake gets ten lines and a count, not 50,000 lines.
        for line in problem_lines(exc.problems):
            click.echo(_plain(f"error: {line}"), err=True)
        return 1
    except RevalidatieError as exc:
        if debug:
            raise
        click.echo(_plain(f"error: {exc}"), err=True)
        return 1
    # A command that ends with ctx.exit(code) returns its code here; the others return None.
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    sys.exit(main())
