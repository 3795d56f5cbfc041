"""`revalidatie batch`: a caseload in parallel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import problem_lines
from ._common import ALARM, ALL_DAY, LANG, catalog_of, cell, cli, new_console, words

if TYPE_CHECKING:
    from rich.console import Console

    from ..batch import BatchResult


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
@LANG
@ALL_DAY
@ALARM
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

    from ..batch import BatchStatus, render_batch

    t = words()
    if not profiles_dir.is_dir():
        raise click.ClickException(t("cli.batch-not-a-folder", path=str(profiles_dir)))
    paths = sorted(p for p in profiles_dir.iterdir() if p.suffix.lower() in {".toml", ".json"} and p.is_file())
    paths = [p for p in paths if not p.name.startswith(".")]
    if not paths:
        raise click.ClickException(t("cli.batch-no-profiles", path=str(profiles_dir)))
    cat = catalog_of(ctx)
    workers = min(jobs or os.cpu_count() or 1, len(paths))
    console = new_console()
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
        task = progress.add_task(t("cli.batch-progress"), total=len(paths))

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
    _print_batch(results, console)
    failed = sum(result.status is BatchStatus.ERROR for result in results)
    if failed:
        ctx.exit(1)


def _print_batch(results: Sequence[BatchResult], console: Console) -> None:
    from rich.table import Table

    from ..batch import BatchStatus

    t = words()
    label = {
        BatchStatus.OK: t("cli.batch-ok"),
        BatchStatus.REFERRAL: t("cli.batch-referral"),
        BatchStatus.ERROR: t("cli.batch-error"),
    }
    style = {BatchStatus.OK: "green", BatchStatus.REFERRAL: "yellow", BatchStatus.ERROR: "red"}
    table = Table(t("cli.batch-client"), t("cli.batch-status"), t("cli.batch-detail"))
    for result in results:
        if result.status is BatchStatus.OK:
            detail = ", ".join(path.name for path in result.files)
            status = t("cli.batch-ok-unchanged") if result.reused else label[result.status]
        elif result.status is BatchStatus.REFERRAL:
            detail = "\n".join(f"[{f.urgency}] {f.question} -> {f.action}" for f in result.findings)
            status = label[result.status]
        else:
            detail = "\n".join(problem_lines(result.problems))
            status = label[result.status]
        # Text, not markup: a client's name or a finding such as "[urgent] ..." must print as written.
        table.add_row(cell(result.client or Path(result.source).name), cell(status, style[result.status]), cell(detail))
    counts = {status: sum(r.status is status for r in results) for status in BatchStatus}
    table.caption = ", ".join(f"{counts[status]} {label[status]}" for status in BatchStatus)
    console.print(table)
