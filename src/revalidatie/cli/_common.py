"""What every command shares: the root group, common options, the console and the catalog it plans with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .._bidi import DROP_BIDI_CONTROLS
from ..i18n import CLIENT_LANGUAGES, Texts, interface_texts

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from ..catalog import Catalog


F = TypeVar("F", bound=Callable[..., Any])

LANG = click.option(
    "--lang",
    type=click.Choice(list(CLIENT_LANGUAGES)),
    default=None,
    help="Language of the client's handout and calendar (default: the profile's language); what the command "
    "prints is in the interface language (REVALIDATIE_LANG=nl|en, else the locale, else English).",
)


def _lang_ignored(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        click.echo(words()("cli.lang-ignored", lang=value), err=True)


OLD_LANG = click.option(
    "--lang",
    type=click.Choice(list(CLIENT_LANGUAGES)),
    default=None,
    expose_value=False,
    hidden=True,
    callback=_lang_ignored,
    help="Ignored: this command writes nothing for the client; what it prints is in the interface language.",
)
"""``--lang`` on a command that makes no client text: accepted, so old scripts run, and said to be ignored."""
ALL_DAY = click.option(
    "--all-day", is_flag=True, help="Calendar: sessions as all-day events instead of at the set time."
)
ALARM = click.option(
    "--alarm",
    "alarm",
    type=click.IntRange(0, 10080),
    default=30,
    show_default=True,
    metavar="MINUTES",
    help="Calendar: a reminder this many minutes before each session; 0 turns reminders off.",
)


def _sane_day(ctx: click.Context, param: click.Parameter, value: dt.datetime | None) -> dt.datetime | None:
    from ..model.common import EARLIEST_DATE, LATEST_DATE

    if value is not None and not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise click.BadParameter(
            words()(
                "cli.date-out-of-range",
                date=value.date().isoformat(),
                earliest=EARLIEST_DATE.isoformat(),
                latest=LATEST_DATE.isoformat(),
            ),
            ctx=ctx,
            param=param,
        )
    return value


AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    callback=_sane_day,
    help="First day that may change (YYYY-MM-DD), usually today.",
)
CHECKIN_AS_OF = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    callback=_sane_day,
    help="First day that may change (YYYY-MM-DD). Required with LOGS; with --from-checkins the client's "
    "tomorrow, so that today's reports count.",
)

RESUME = click.option(
    "--resume",
    is_flag=True,
    help="Go on with a plan that is paused because the client reported red-flag signs; only after you have "
    "seen the client.",
)


def words() -> Texts:
    """The words of what the command line prints, in the interface language (``REVALIDATIE_LANG``, the locale)."""
    return interface_texts()


def new_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


# Control characters (ESC starts a terminal command) shown as escapes; tab and line feed print as they are.
_CONTROLS: dict[int, str | None] = {
    code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0)) if code not in (0x09, 0x0A)
}
# Bidirectional controls (a right-to-left override in a name) would reorder the rest of the line: dropped.
_CONTROLS.update(DROP_BIDI_CONTROLS)


def plain(text: str) -> str:
    """``text`` with control characters made visible, so a name or note cannot drive the terminal."""
    return text.translate(_CONTROLS)


def cell(text: str, style: str = "") -> Text:
    """Text for a rich table, title or panel: printed as written, never read as markup (``[/]``, ``[link=...]``).

    Every string a person wrote (names, notes, ids, paths, values in errors) reaches rich only through here.
    """
    from rich.text import Text

    return Text(plain(text), style=style)


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


def catalog_of(ctx: click.Context) -> Catalog:
    from ..catalog import load_catalog

    return load_catalog(ctx.obj["catalog_dir"])


def print_catalog_warnings(cat: Catalog) -> None:
    # Warnings go to stderr so that the regular output stays clean for scripts.
    for warning in cat.warnings:
        click.echo(plain(words()("cli.warning-line", warning=str(warning))), err=True)
