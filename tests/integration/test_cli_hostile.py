"""The command line with hostile input: names that look like markup, FIFOs, huge files, failing writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie import _atomic
from revalidatie.cli import main

ROOT = Path(__file__).resolve().parents[2]
MARKUP = ROOT / "tests" / "data" / "markup-names"
NAMES = ["[/]", "[bold]x", "[link=https://evil.example]x"]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
BASE = "https://feeds.example.nl"
OSC_LINK = "\x1b]8;"  # the terminal escape that starts a hyperlink


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """rich writes as to a colour terminal (styles and links on), wide enough for a name on one line."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# --- names as markup (rich) ---


@pytest.mark.usefixtures("terminal")
@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_name_that_looks_like_markup_is_printed_as_written_by_plan_and_check(
    n: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = MARKUP / f"client-{n}.toml"
    assert main(["check", str(profile)]) == 0
    assert NAMES[n - 1] in capsys.readouterr().out
    assert main(["plan", str(profile), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert f"{NAMES[n - 1]}: " in captured.out  # the table's title
    assert OSC_LINK not in captured.out
    assert captured.err == ""
    assert len([p for p in tmp_path.glob("*.pdf") if not p.name.endswith(".summary.pdf")]) == 1


@pytest.mark.usefixtures("terminal")
def test_names_that_look_like_markup_are_printed_as_written_by_batch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batch", str(MARKUP), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert name in out
    assert OSC_LINK not in out


@pytest.mark.usefixtures("terminal")
def test_names_that_look_like_markup_do_not_break_feed_publish_and_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "feeds.sqlite"
    for n in (1, 2, 3):
        profile = MARKUP / f"client-{n}.toml"
        assert main(["feed", "publish", str(profile), "--db", str(db), "--base-url", BASE, "--no-handout"]) == 0
        assert capsys.readouterr().out.startswith(f"{NAMES[n - 1]}: revision 1 published")
    assert main(["feed", "list", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    for name in NAMES:
        assert name in table
    assert OSC_LINK not in table


@pytest.mark.usefixtures("terminal")
def test_a_practice_catalog_name_that_looks_like_markup_is_printed_as_written(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = ["--catalog", str(data_dir / "catalogs" / "markup-name")]
    assert main([*catalog, "catalog", "show", "banded-side-step-practice", "--lang", "en"]) == 0
    assert main([*catalog, "catalog", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.count("[/][link=https://evil.example]x") == 2
    assert OSC_LINK not in out


def test_control_characters_in_a_clearance_note_are_shown_not_sent_to_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog: rv.Catalog
) -> None:
    data = json.loads(json.dumps(rv.load_profile(PROFILE).model_dump(mode="json")))
    data["screening"]["answers"]["night-pain"] = True
    data["screening"]["clearances"] = [
        {"flag": "night-pain", "by": "Dr. X\x1b]8;;https://evil.example\x07", "date": "2027-01-02", "note": "ok\x1b[2J"}
    ]
    profile = tmp_path / "client.json"
    profile.write_text(json.dumps(data), encoding="utf-8")
    assert main(["check", str(profile)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "Dr. X\\x1b]8;;https://evil.example\\x07" in out
    assert "ok\\x1b[2J" in out


# --- whole output sets ---


def _planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, Path, dict[str, bytes]]:
    profile = tmp_path / "client.toml"
    profile.write_text(PROFILE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["plan", str(profile), "--out", str(out)]) == 0
    capsys.readouterr()
    # The next run makes different files: other notes change the handout and the plan.
    changed = PROFILE.read_text(encoding="utf-8").replace('notes = """\n', 'notes = """\nChanged. ')
    assert "Changed. " in changed
    profile.write_text(changed, encoding="utf-8")
    return profile, out, _files(out)


def test_plan_leaves_the_old_files_when_the_calendar_cannot_be_rendered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile, out, old = _planned(tmp_path, capsys)
    assert len(old) == 5  # handout, calendar, plan and the physio's summary as PDF and text

    def broken(*args: object, **kwargs: object) -> bytes:
        raise rv.InputError([rv.Problem("<render_ics>", "alarm_minutes", "cannot be rendered")])

    monkeypatch.setattr("revalidatie.export.ics.render_ics", broken)
    assert main(["plan", str(profile), "--out", str(out)]) == 1
    assert "cannot be rendered" in capsys.readouterr().err
    assert _files(out) == old


@pytest.mark.parametrize("failing", ["pdf", "ics", "json", "md"])
def test_plan_leaves_the_old_files_when_one_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    profile, out, old = _planned(tmp_path, capsys)
    real = _atomic._write_temporary

    def disk_full(path: Path, data: bytes) -> Path:
        if path.suffix == f".{failing}":
            raise rv.ExportError(str(path), "cannot be written (No space left on device)")
        return real(path, data)

    monkeypatch.setattr(_atomic, "_write_temporary", disk_full)
    assert main(["plan", str(profile), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert f".{failing}: cannot be written (No space left on device)" in err
    assert _files(out) == old  # same names (no temporary left) and same bytes


def test_revise_leaves_plan_and_calendar_when_the_calendar_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, old = _planned(tmp_path, capsys)
    plan = next(out.glob("*.json"))
    real = _atomic._write_temporary

    def disk_full(path: Path, data: bytes) -> Path:
        if path.suffix == ".ics":
            raise rv.ExportError(str(path), "cannot be written (No space left on device)")
        return real(path, data)

    monkeypatch.setattr(_atomic, "_write_temporary", disk_full)
    assert main(["revise", str(plan), str(LOGS), "--as-of", "2027-01-25"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert _files(out) == old
    monkeypatch.undo()
    assert main(["revise", str(plan), str(LOGS), "--as-of", "2027-01-25"]) == 0
    assert rv.plan_from_json(plan.read_bytes()).revision == 2
    assert b"SEQUENCE:1" in next(out.glob("*.ics")).read_bytes()


# --- dates and numbers at the edges ---


@pytest.mark.parametrize("year", [1, 9999])
def test_plan_with_a_start_in_year_1_or_9999_writes_nothing_and_says_why(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], year: int
) -> None:
    profile = data_dir / "profiles" / f"start-year-{year}.toml"
    assert main(["plan", str(profile), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {profile}: start_date: must be a date from 2000-01-01 to 2099-12-31; check the year "
        f"(got datetime.date({year}, 3, 2))\n"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("revision", [-1, 0, 10**30])
def test_revise_refuses_a_plan_file_with_a_revision_outside_the_calendar_range(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], revision: int
) -> None:
    _, out, _ = _planned(tmp_path, capsys)
    plan = next(out.glob("*.json"))
    data = json.loads(plan.read_bytes())
    data["plan"]["revision"] = revision
    plan.write_text(json.dumps(data), encoding="utf-8")
    assert main(["revise", str(plan), str(LOGS), "--as-of", "2027-01-25"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"error: {plan}: plan.revision: must be a whole number from 1 to 2147483647; the file is damaged "
        f"(got {revision})\n"
    )


def test_revise_refuses_an_as_of_day_in_year_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, old = _planned(tmp_path, capsys)
    plan = next(out.glob("*.json"))
    assert main(["revise", str(plan), str(LOGS), "--as-of", "0001-01-01"]) == 2
    assert "0001-01-01 is not a date from 2000-01-01 to 2099-12-31" in capsys.readouterr().err
    assert _files(out) == old


# --- hostile files ---


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
@pytest.mark.parametrize("command", ["check", "plan", "revise"])
def test_a_fifo_given_as_input_is_one_line_of_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    fifo = tmp_path / ("client.json" if command == "revise" else "client.toml")
    os.mkfifo(fifo)
    args = {"check": [str(fifo)], "plan": [str(fifo), "--out", str(tmp_path)], "revise": [str(fifo), str(LOGS)]}
    extra = ["--as-of", "2027-01-25"] if command == "revise" else []
    assert main([command, *args[command], *extra]) == 1
    assert (
        capsys.readouterr().err
        == f"error: {fifo}: is a FIFO (named pipe), not a regular file; give the path of a saved file\n"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_plan_file_that_links_to_dev_zero_is_one_line_of_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "client.json"
    link.symlink_to("/dev/zero")
    assert main(["revise", str(link), str(LOGS), "--as-of", "2027-01-25"]) == 1
    assert capsys.readouterr().err == f"error: {link}: is a device, not a regular file; give the path of a saved file\n"


def test_thousands_of_duplicate_logs_print_ten_lines_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _planned(tmp_path, capsys)
    plan = next(out.glob("*.json"))
    logs = tmp_path / "logs.json"
    # As many copies of one log as fit in the 1 MiB a log file may have.
    log = {"session_id": "20270118-run", "date": "2027-01-18"}
    logs.write_text(json.dumps({"log": [log] * 15_000}, separators=(",", ":")), encoding="utf-8")
    assert main(["revise", str(plan), str(logs), "--as-of", "2027-01-25"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 11
    assert (
        lines[0] == f"error: {logs}: log[2].session_id: is logged twice; keep one log per session (got '20270118-run')"
    )
    assert lines[-1] == "error: ... and 14,989 more"
