"""`revalidatie catalog`: list, show and describe what the catalog holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..i18n import interface_language
from ._common import LANG, catalog_of, cell, cli, new_console, plain, print_catalog_warnings, words

if TYPE_CHECKING:
    from ..model.exercise import Exercise


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
@LANG
@click.pass_context
def catalog_list(ctx: click.Context, kind: str, lang: str | None) -> None:
    """List the catalog's exercises (or conditions, red flags, protocols) as a table.

    \b
    Example:
      revalidatie catalog list --kind protocols --lang en
    """
    from rich.table import Table

    from ..export.text import category_label

    # The catalog's texts in the language asked for; the table's own words in the interface language.
    language = lang or interface_language()
    cat = catalog_of(ctx)
    print_catalog_warnings(cat)
    t = words()
    if kind == "exercises":
        table = Table(
            "id",
            t("cli.catalog-name"),
            t("cli.catalog-kind"),
            t("cli.catalog-easier-harder"),
            title=t.plural("cli.catalog-exercises", len(cat.exercises), n=len(cat.exercises)),
        )
        for ex in sorted(cat.exercises.values(), key=lambda e: (e.category, e.id)):
            table.add_row(
                cell(ex.id),
                cell(ex.name(language)),
                cell(category_label(ex.category, language)),
                cell(f"{ex.easier or '-'} / {ex.harder or '-'}"),
            )
    elif kind == "conditions":
        table = Table(
            "id",
            t("cli.catalog-name"),
            t("cli.catalog-default-protocol"),
            t("cli.catalog-aliases"),
            title=t("cli.catalog-conditions"),
        )
        for cond in cat.conditions.values():
            table.add_row(
                cell(cond.id), cell(cond.name(language)), cell(cond.default_protocol), cell(", ".join(cond.aliases))
            )
    elif kind == "red-flags":
        table = Table("id", t("cli.catalog-urgency"), t("cli.catalog-question"), title=t("cli.catalog-red-flags"))
        for flag in cat.red_flags.values():
            table.add_row(cell(flag.id), cell(flag.urgency.value), cell(flag.question(language)))
    else:
        table = Table("id", t("cli.catalog-name"), t("cli.catalog-phases"), title=t("cli.catalog-protocols"))
        for protocol in cat.protocols.values():
            phases = cat.phases(protocol.id)
            table.add_row(cell(protocol.id), cell(protocol.name(language)), cell(" > ".join(p.id for p in phases)))
    new_console().print(table)


@catalog.command("show")
@click.argument("item_id")
@LANG
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
    cat = catalog_of(ctx)
    language = lang or interface_language()
    t = words()
    found = (
        cat.exercises.get(item_id)
        or cat.find_condition(item_id)
        or cat.red_flags.get(item_id)
        or cat.protocols.get(item_id)
    )
    if found is None:
        raise click.ClickException(t("cli.catalog-unknown-id", id=repr(item_id)))
    from ..model.exercise import Exercise

    if svg_path is not None:
        from ..export.figures import write_exercise_svg

        if not isinstance(found, Exercise):
            raise click.ClickException(t("cli.catalog-not-an-exercise", id=repr(item_id)))
        if found.figure is None:
            raise click.ClickException(t("cli.catalog-no-figure", id=repr(item_id)))
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

    from ..export.text import category_label

    t = words()
    body = Text()
    body.append(t("cli.exercise-kind") + f": {category_label(ex.category, language)}\n")
    body.append(t("cli.exercise-purpose") + ": ", style="bold")
    body.append(plain(ex.purpose(language)) + "\n\n")
    body.append(t("cli.exercise-steps") + "\n", style="bold")
    for n, step in enumerate(ex.steps(language), start=1):
        body.append(f"  {n}. {plain(step)}\n")
    body.append("\n" + t("cli.exercise-cues") + "\n", style="bold")
    for cue in ex.cues(language):
        body.append(f"  - {plain(cue)}\n")
    body.append("\n" + t("cli.exercise-mistakes") + "\n", style="bold")
    for mistake in ex.mistakes(language):
        body.append(f"  - {plain(mistake)}\n")
    if ex.muscles:
        body.append("\n" + t("cli.exercise-muscles") + f": {plain(', '.join(ex.muscles))}\n")
    body.append(t("cli.exercise-source") + f": {plain(ex.source)}")
    new_console().print(Panel(body, title=cell(f"{ex.name(language)} ({ex.id})"), expand=False))


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
    from ..schema import schemas

    all_schemas = schemas()
    click.echo(json.dumps(all_schemas if kind == "all" else all_schemas[kind], ensure_ascii=False, indent=2))
