"""The command line writes exercise figures and reports catalog warnings."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from revalidatie.cli import main

DATA = Path(__file__).parents[1] / "data"


def test_catalog_show_svg_writes_a_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "figures" / "bridge.svg"
    assert main(["catalog", "show", "bridge-double-leg", "--lang", "en", "--svg", str(target)]) == 0
    captured = capsys.readouterr()
    assert "Double-leg bridge" in captured.out
    root = ET.parse(target).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    first = target.read_bytes()
    assert main(["catalog", "show", "bridge-double-leg", "--lang", "en", "--svg", str(target)]) == 0
    assert target.read_bytes() == first
    # Written atomically: no temporary files stay behind.
    assert sorted(p.name for p in target.parent.iterdir()) == ["bridge.svg"]


def test_catalog_show_svg_for_something_that_is_not_an_exercise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "itbs.svg"
    assert main(["catalog", "show", "itbs", "--svg", str(target)]) == 1
    assert "only exercises have a figure" in capsys.readouterr().err
    assert not target.exists()


def test_catalog_show_svg_for_a_practice_exercise_without_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = DATA / "catalogs" / "practice-without-figure"
    target = tmp_path / "own.svg"
    assert main(["--catalog", str(folder), "catalog", "show", "no-picture-practice", "--svg", str(target)]) == 1
    assert "has no figure" in capsys.readouterr().err
    assert not target.exists()


def test_catalog_list_prints_warnings_for_a_practice_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "catalogs" / "practice-without-figure"
    assert main(["--catalog", str(folder), "catalog", "list"]) == 0
    captured = capsys.readouterr()
    assert "warning:" in captured.err
    assert "exercise[no-picture-practice].figure" in captured.err
    assert "52 oefeningen" in captured.out
    assert main(["catalog", "list"]) == 0
    assert "warning:" not in capsys.readouterr().err


def test_invalid_pose_fails_with_file_field_and_value(capsys: pytest.CaptureFixture[str]) -> None:
    folder = DATA / "catalogs" / "pose-knee-hyperextended"
    assert main(["--catalog", str(folder), "catalog", "list"]) == 1
    err = capsys.readouterr().err
    assert "bad-knee.toml: exercise[bad-knee].figure.start.left.knee" in err
    assert "(got -25)" in err
