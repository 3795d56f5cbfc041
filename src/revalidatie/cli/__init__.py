"""The command-line tool: parse arguments, load, plan, export and print. The only package that prints.

Each command lives in a module of its own (``catalog``, ``plans``, ``batch``, ``feeds``); importing them
registers them on the root group in ``_common``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from ..errors import InputError, ReferralRequired, RevalidatieError, problem_lines
from . import batch, catalog, feeds, plans
from ._common import cli, plain, words

__all__ = ["cli", "main"]
_COMMANDS = (batch, catalog, feeds, plans)
"""The command modules, imported for the commands they register."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 user error, 2 usage error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="revalidatie", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(words()("cli.aborted"), err=True)
        return 130
    except click.UsageError as exc:
        exc.show()  # Click's usage line and its hint to --help, then the message
        return exc.exit_code
    except click.ClickException as exc:
        # A command's own refusal (an unknown id, an empty folder) reads like every other error.
        click.echo(plain(words()("cli.error-line", message=exc.format_message())), err=True)
        return exc.exit_code
    except ReferralRequired as exc:
        if debug:
            raise
        click.echo(plain(str(exc)), err=True)
        return 1
    except InputError as exc:
        if debug:
            raise
        # A file with 50,000 copies of one mistake gets ten lines and a count, not 50,000 lines.
        for line in problem_lines(exc.problems):
            click.echo(plain(words()("cli.error-line", message=line)), err=True)
        return 1
    except RevalidatieError as exc:
        if debug:
            raise
        click.echo(plain(words()("cli.error-line", message=str(exc))), err=True)
        return 1
    # A command that ends with ctx.exit(code) returns its code here; the others return None.
    return code if isinstance(code, int) else 0
