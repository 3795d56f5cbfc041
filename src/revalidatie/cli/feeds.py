"""`revalidatie serve` and `revalidatie feed`: published calendar feeds and their server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import CHECKIN_AS_OF, OLD_LANG, RESUME, catalog_of, cell, cli, new_console, plain, words

if TYPE_CHECKING:
    from ..feed.port import FeedStorePort
    from ..feed.store import FeedEntry

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
    from ..feed.store import open_store

    return open_store(db_path, create=create, handouts=handouts)


_HANDOUT = click.option(
    "--handout/--no-handout",
    default=True,
    show_default=True,
    help="Also publish the PDF handout (with the subscription link and QR code) at /feeds/TOKEN.pdf.",
)


def _find_feed(store: FeedStorePort, token: str) -> FeedEntry:
    """The feed named by a whole token or by a unique prefix of one (as `feed list` shows)."""
    from ..errors import FeedNotFound

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
@click.option(
    "--auto-revise",
    is_flag=True,
    help="Revise every feed with new check-ins at start and then once a day (one worker only).",
)
def serve(db_path: str, host: str, port: int, access_log: bool, workers: int, auto_revise: bool) -> None:
    """Serve the published feeds over HTTP: calendars, handouts and subscribe pages.

    Listens on 127.0.0.1 by default; put a reverse proxy with TLS in front of it (see docs/feeds.md).
    Stops on Ctrl+C or SIGTERM. Needs the server extra: pip install 'revalidatie[server]'.

    \b
    Example:
      revalidatie serve --db feeds.sqlite --host 127.0.0.1 --port 8000 --workers 2
    """
    from ..errors import FeedError, error_message

    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise FeedError(error_message("error.server-not-installed", module=str(exc.name))) from None
    from ..feed._app import run_server, run_workers

    if auto_revise and workers > 1:
        raise click.UsageError(words()("cli.serve-auto-revise-one-process"))
    store = _store(db_path)
    live = len(store.entries())
    address = f"http://{host}:{port}/feeds/"
    serving = (
        words().plural("cli.serving-workers", live, n=live, location=store.location, workers=workers, address=address)
        if workers > 1
        else words().plural("cli.serving", live, n=live, location=store.location, address=address)
    )
    click.echo(plain(serving), err=True)
    try:
        if workers == 1:
            run_server(store, host=host, port=port, access_log=access_log, auto_revise=auto_revise)
        else:
            store.close()  # each worker opens its own connections
            run_workers(db_path, host=host, port=port, workers=workers, access_log=access_log)
    except SystemExit as exc:
        # uvicorn has logged why (e.g. the port is in use) and exits; report it like every other error.
        if exc.code not in (0, None):
            raise FeedError(error_message("error.server-not-started", host=host, port=port)) from None
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
@OLD_LANG
@click.pass_context
def feed_publish(ctx: click.Context, profile_path: Path, db_path: str, base_url: str, handout: bool) -> None:
    """Plan a client's programme and publish it as a calendar feed; prints the subscription URL.

    Creates the database when it does not exist yet.

    \b
    Example:
      revalidatie feed publish examples/profiles/itbs.toml --base-url https://feeds.example.nl
    """
    from ..loading import load_profile
    from ..planning.engine import plan_programme

    cat = catalog_of(ctx)
    profile = load_profile(profile_path)
    result = plan_programme(profile, cat, source=str(profile_path))
    with _store(db_path, create=True, handouts=handout) as store:
        url = store.publish(result, base_url=base_url)
        entry = store.get(url.rsplit("/", 1)[1].removesuffix(".ics"))
    click.echo(plain(words()("cli.feed-published", client=entry.client, n=entry.revision)))
    click.echo("  " + words()("cli.feed-page", url=entry.page_url))
    click.echo(url)


@feed.command("revise")
@click.argument("token")
@click.argument("logs_path", metavar="LOGS", type=click.Path(path_type=Path), required=False)
@click.option(
    "--from-checkins", is_flag=True, help="Revise from the client's check-ins stored with the feed instead of LOGS."
)
@CHECKIN_AS_OF
@_DB
@_HANDOUT
@OLD_LANG
@RESUME
def feed_revise(
    token: str,
    logs_path: Path | None,
    from_checkins: bool,
    as_of: dt.datetime | None,
    db_path: str,
    handout: bool,
    resume: bool,
) -> None:
    """Adapt a published plan to the client's session logs and publish the new revision.

    TOKEN is the feed's token, or a unique start of it (at least 6 characters, as `feed list` shows).
    Subscribed calendars pick the change up at their next refresh; the URL stays the same.

    \b
    Example:
      revalidatie feed revise Xq3v9T examples/logs/gluteal-tendinopathy-week-3.toml --as-of 2027-01-25
    """
    from ..errors import FeedError, error_message
    from ..loading import load_session_logs
    from ..planning.engine import resume as resume_plan
    from ..planning.engine import revise as revise_plan

    with _store(db_path, handouts=handout) as store:
        entry = _find_feed(store, token)
        if entry.revoked:
            raise FeedError(error_message("error.feed-revoked", token=entry.token[:8], client=entry.client))
        if from_checkins == (logs_path is not None):
            raise click.UsageError(words()("cli.feed-logs-or-checkins"))
        if logs_path is None:
            from ..feed.checkin import client_today, revise_from_checkins, unread_reports

            current = store.plan(entry.token)
            day = as_of.date() if as_of else client_today(current, dt.datetime.now(dt.UTC)) + dt.timedelta(days=1)
            unread = unread_reports(current, store.checkins(entry.token), day)
            if unread:
                unapplied = words().plural("cli.feed-unread-reports", unread, n=unread, date=day.isoformat())
                click.echo(plain(words()("cli.warning-line", warning=unapplied)), err=True)
            entry = revise_from_checkins(store, entry.token, as_of=day, resume=resume)
            new = store.plan(entry.token)
        else:
            if as_of is None:
                raise click.UsageError(words()("cli.feed-as-of-with-logs"))
            current = store.plan(entry.token)
            logs = load_session_logs(logs_path)
            step = resume_plan if resume else revise_plan
            new = step(current, logs, as_of.date(), source=str(logs_path))
            entry = store.update(new)
    note = new.history[-1]
    revised = words()(
        "cli.feed-revised", client=entry.client, n=note.number, changed=note.changed, cancelled=note.cancelled
    )
    click.echo(plain(revised))
    click.echo(entry.url)


@feed.command("pause")
@click.argument("token")
@click.option(
    "--flag",
    "flags",
    multiple=True,
    required=True,
    metavar="ID",
    help="A red flag the client reported (its id, as `catalog list` shows); repeat for more.",
)
@CHECKIN_AS_OF
@_DB
@_HANDOUT
@OLD_LANG
def feed_pause(token: str, flags: tuple[str, ...], as_of: dt.datetime | None, db_path: str, handout: bool) -> None:
    """Pause a published plan because the client reported red-flag signs (by phone, in the practice).

    Every session from --as-of (default: the client's today) is cancelled and the calendar shows "contact
    your physio", as when the client reports the signs on the check-in page. Go on with `feed revise
    --resume` once you have seen the client.

    \b
    Example:
      revalidatie feed pause Xq3v9T --flag night-pain
    """
    from ..errors import FeedError, error_message
    from ..feed.checkin import client_today
    from ..planning.engine import pause

    with _store(db_path, handouts=handout) as store:
        entry = _find_feed(store, token)
        if entry.revoked:
            raise FeedError(error_message("error.feed-revoked", token=entry.token[:8], client=entry.client))
        current = store.plan(entry.token)
        day = as_of.date() if as_of else client_today(current, dt.datetime.now(dt.UTC))
        paused = pause(current, day, flags, source="--flag")
        if paused is not current:
            entry = store.update(paused)
    assert paused.paused is not None
    since = paused.paused.since.isoformat()
    flagged = ", ".join(paused.paused.flags)
    click.echo(plain(words()("cli.feed-paused", client=entry.client, date=since, flags=flagged)))
    click.echo(entry.url)


@feed.command("list")
@_DB
@click.option("--all", "show_all", is_flag=True, help="Also list revoked feeds.")
@OLD_LANG
def feed_list(db_path: str, show_all: bool) -> None:
    """List the published feeds as a table: client, plan, revision, token prefix, last update.

    \b
    Example:
      revalidatie feed list --db feeds.sqlite --all
    """
    from rich.table import Table

    with _store(db_path) as store:
        entries = store.entries(include_revoked=show_all)
        # A plan paused by red-flag signs waits for the physio: the one thing in the list that needs acting on.
        alerts = {e.token for e in entries if e.paused and not e.revoked}
    t = words()
    table = Table(title=t.plural("cli.feed-list-title", len(entries), n=len(entries)), caption="UTC")
    # Plan ids, token prefixes and times are looked up and copied: never break them over lines.
    table.add_column(t("cli.feed-list-client"))
    table.add_column(t("cli.feed-list-plan"), no_wrap=True)
    table.add_column(t("cli.feed-list-revision"))
    table.add_column(t("cli.feed-list-token"), no_wrap=True)
    table.add_column(t("cli.feed-list-updated"), no_wrap=True)
    if show_all:
        table.add_column(t("cli.feed-list-status"))
    for entry in entries:
        status = (t("cli.feed-list-revoked") if entry.revoked else t("cli.feed-list-live"),) if show_all else ()
        # The store holds what clients' profiles said: a name such as "[/]" is a name, not markup.
        table.add_row(
            cell(entry.client),
            cell(entry.plan_id),
            str(entry.revision),
            cell(f"{entry.token[:8]}… ⚠ " + t("cli.feed-list-red-flag"), "bold red")
            if entry.token in alerts
            else cell(f"{entry.token[:8]}…"),
            entry.updated.strftime("%Y-%m-%d %H:%M"),
            *status,
        )
    new_console().print(table)


@feed.command("logs")
@click.argument("token")
@_DB
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@OLD_LANG
def feed_logs(token: str, db_path: str, fmt: str) -> None:
    """Show the client's check-ins: the last report of each session with its traffic light.

    TOKEN is the feed's token or a unique start of it. Corrections replace what they correct; `--format
    json` lists every report, corrections included, with the one that counts marked.

    \b
    Example:
      revalidatie feed logs Xq3v9T --format json
    """
    import json

    from rich.table import Table

    from ..feed._records import latest_logs

    with _store(db_path) as store:
        entry = _find_feed(store, token)
        checkins = store.checkins(entry.token)
    counting = {id(log) for log in latest_logs(checkins)}
    if fmt == "json":
        rows = [
            {
                "id": c.id,
                "received": c.received.isoformat(),
                "counts": id(c.log) in counting,
                "zone": c.log.zone.value if c.log.zone else None,
                "red_flags": list(c.red_flags),
                "log": c.log.model_dump(mode="json"),
            }
            for c in checkins
        ]
        click.echo(json.dumps({"client": entry.client, "plan": entry.plan_id, "checkins": rows}, indent=2))
        return
    t = words()
    table = Table(title=cell(entry.client))
    table.add_column(t("cli.feed-logs-session"), no_wrap=True)
    table.add_column(t("cli.feed-logs-date"), no_wrap=True)
    table.add_column(t("cli.feed-logs-done"))
    table.add_column(t("cli.feed-logs-before"))
    table.add_column(t("cli.feed-logs-during"))
    table.add_column(t("cli.feed-logs-morning"))
    table.add_column(t("cli.feed-logs-swelling"))
    table.add_column(t("cli.feed-logs-zone"))
    table.add_column(t("cli.feed-logs-alert"))
    table.add_column(t("cli.feed-logs-note"))
    colour = {"green": "green", "amber": "yellow", "red": "bold red"}
    for checkin in checkins:
        log = checkin.log
        if id(log) not in counting:
            continue
        zone = log.zone.value if log.zone else "-"
        table.add_row(
            cell(log.session_id),
            log.date.isoformat(),
            "✓" if log.completed else "✗",
            str(log.pain_before),
            str(log.pain_during),
            "?" if log.pain_next_morning is None else str(log.pain_next_morning),
            "✓" if log.swelling else "",
            f"[{colour[zone]}]{zone}[/]" if zone in colour else zone,
            cell(", ".join(checkin.red_flags)),
            cell(log.note),
        )
    new_console().print(table)


@feed.command("revoke")
@click.argument("token")
@_DB
@OLD_LANG
def feed_revoke(token: str, db_path: str) -> None:
    """Stop serving a feed: its URL answers 404 from now on. The stored revisions are kept.

    TOKEN is the feed's token, or a unique start of it. To give the client a new link, publish again.
    After a static export, run `feed export` again to remove the revoked files.

    \b
    Example:
      revalidatie feed revoke Xq3v9T --db feeds.sqlite
    """
    with _store(db_path) as store:
        entry = store.revoke(_find_feed(store, token).token)
    click.echo(plain(words()("cli.feed-revoked", client=entry.client, token=entry.token[:8])))


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
    from ..feed import export_static

    with _store(db_path) as store:
        written = export_static(store, out_dir)
    click.echo(plain(words().plural("cli.feed-exported", len(written), n=len(written), folder=str(out_dir))))


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
    from ..errors import FeedError, error_message
    from ..feed.store import FeedStore

    with _store(db_path) as store:
        if not isinstance(store, FeedStore):
            raise FeedError(error_message("error.backup-postgres", location=store.location))
        store.backup(target)
    click.echo(str(target))
