"""The user guides' command examples, run: what a guide shows after a command is what the command prints.

A guide shows a command in an ``sh`` block and its output in the ``text`` block right after it. Each guide's
commands run in order in one folder that holds the examples, so a ``revise`` finds the plan its ``plan``
wrote, at a terminal 80 columns wide.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = [ROOT / "docs" / "guide.en.md", ROOT / "docs" / "gids.nl.md"]
_EXAMPLE = re.compile(r"```sh\n(revalidatie [^\n]+)\n```\n\n```text\n(.*?)```", re.DOTALL)


def _examples(guide: Path) -> list[tuple[str, str]]:
    return [(command, shown) for command, shown in _EXAMPLE.findall(guide.read_text(encoding="utf-8"))]


def _normalised(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


@pytest.mark.parametrize("guide", GUIDES, ids=lambda path: path.name)
def test_every_command_in_the_guide_prints_what_the_guide_shows(guide: Path, tmp_path: Path) -> None:
    examples = _examples(guide)
    assert len(examples) >= 4, "the guide shows commands with their output"
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    # Each guide is written for a physio whose terminal speaks its language.
    interface = "nl" if guide.name.endswith(".nl.md") else "en"
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "REVALIDATIE_LANG": interface}
    for command, shown in examples:
        argv = shlex.split(command)
        result = subprocess.run(
            [sys.executable, "-m", "revalidatie", *argv[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        printed = _normalised(result.stdout + result.stderr)
        assert printed == _normalised(shown), f"{guide.name}: `{command}` printed:\n" + "\n".join(printed)
