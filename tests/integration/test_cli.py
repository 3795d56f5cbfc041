from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie.cli import main


def _profile(tmp_path: Path, catalog: rv.Catalog, **changes: object) -> Path:
    data = {
        "name": "Łucja Öztürk",
        "condition": "itbs",
        "side": "left",
        "start_date": "2027-01-04",
        "available_days": ["ma", "wo", "vr", "za"],
        "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        **changes,
    }
    path = tmp_path / "client.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_catalog_list_in_both_languages(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["catalog", "list"]) == 0
    english = capsys.readouterr().out
    assert main(["catalog", "list", "--lang", "nl"]) == 0
    dutch_texts = capsys.readouterr().out
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    assert main(["catalog", "list"]) == 0
    dutch = capsys.readouterr().out
    assert "exercises" in english
    assert "bridge" in english.lower()
    # --lang chooses the catalog's texts (what the client reads); the table's own words follow the interface.
    assert "exercises" in dutch_texts
    assert "bruggetje" in dutch_texts.lower()
    assert "oefeningen" in dutch
    assert "bruggetje" in dutch.lower()


def test_catalog_show_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "show", "clamshell", "--lang", "en"]) == 0
    assert "Clamshell" in capsys.readouterr().out
    assert main(["catalog", "schema"]) == 0
    schemas = json.loads(capsys.readouterr().out)
    assert {"exercises", "conditions", "red-flags", "protocol", "profile", "logs"} <= set(schemas)
    assert main(["catalog", "show", "no-such-thing"]) == 1


def test_check_and_plan_write_json(tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    profile = _profile(tmp_path, catalog)
    assert main(["check", str(profile)]) == 0
    assert "Profile OK" in capsys.readouterr().out
    assert main(["plan", str(profile), "--out", str(tmp_path / "out")]) == 0
    written = tmp_path / "out" / "lucja-ozturk.json"
    plan = rv.plan_from_json(written.read_bytes())
    assert plan.profile.name == "Łucja Öztürk"
    assert str(written) in capsys.readouterr().out


def test_broken_profile_gives_one_line_per_problem(
    tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = _profile(tmp_path, catalog, timezone="Mars/Olympus", side="middle")
    assert main(["check", str(profile)]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"error: {profile}: ") for line in lines)
    assert "Traceback" not in err


def test_referral_exits_1_with_the_advice(
    tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = dict.fromkeys(catalog.red_flags, False) | {"cannot-bear-weight": True}
    profile = _profile(tmp_path, catalog, screening={"answers": answers})
    assert main(["plan", str(profile), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "referral required" in err
    assert "emergency" in err
    assert not list(tmp_path.glob("*.json")) or [p.name for p in tmp_path.glob("*.json")] == ["client.json"]


def test_usage_error_exits_2() -> None:
    assert main(["plan"]) == 2


@pytest.mark.parametrize("command", [[], ["plan"], ["check"], ["revise"], ["catalog", "list"]])
def test_help_shows_the_example_unwrapped(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "\\b" not in out
    assert "\b" not in out


def test_check_words_the_referral_in_the_language_asked_for(
    tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {**dict.fromkeys(catalog.red_flags, False), "night-pain": True}
    profile = _profile(tmp_path, catalog, language="nl", screening={"answers": answers})
    assert main(["check", str(profile), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "referral required" in err
    assert catalog.red_flags["night-pain"].action.en in err


def test_check_does_not_call_a_cleared_flag_none(
    tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {**dict.fromkeys(catalog.red_flags, False), "night-pain": True}
    clearance = {"flag": "night-pain", "by": "J. de Vries", "date": "2027-01-02", "note": "Night pain is positional."}
    screening = {"answers": answers, "clearances": [clearance]}
    assert main(["check", str(_profile(tmp_path, catalog, screening=screening)), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "red flags: none open" in out
    assert "night-pain: cleared by J. de Vries" in out


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_written_files_are_owner_only_whatever_the_umask(tmp_path: Path, catalog: rv.Catalog, umask: int) -> None:
    old = os.umask(umask)
    try:
        assert main(["plan", str(_profile(tmp_path, catalog)), "--out", str(tmp_path / "out" / "jan")]) == 0
    finally:
        os.umask(old)
    names = sorted(f"lucja-ozturk.{fmt}" for fmt in ("ics", "json", "pdf", "summary.md", "summary.pdf"))
    for name in names:
        assert stat.S_IMODE((tmp_path / "out" / "jan" / name).stat().st_mode) == 0o600, name
    for folder in (tmp_path / "out", tmp_path / "out" / "jan"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert sorted(p.name for p in (tmp_path / "out" / "jan").iterdir()) == names  # no temporary file left


@pytest.mark.parametrize("language", ["tr", "pl", "ar"])
def test_a_client_in_another_language_gets_a_handout_and_the_physio_reads_dutch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    profile = tmp_path / "client.toml"
    text = (Path(__file__).resolve().parents[2] / "examples" / "profiles" / "hip-overload.toml").read_text("utf-8")
    profile.write_text(text.replace('language = "nl"', f'language = "{language}"'), encoding="utf-8")
    assert main(["check", str(profile)]) == 0
    assert main(["plan", str(profile), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "Fase" in printed  # the physio's table in Dutch
    (handout,) = [p for p in (tmp_path / "out").glob("*.pdf") if not p.name.endswith(".summary.pdf")]
    assert handout.read_bytes().startswith(b"%PDF-")
    assert b"/Lang (" + language.encode() + b")" in handout.read_bytes()
    assert main(["plan", str(profile), "--out", str(tmp_path / "en"), "--lang", "en"]) == 0


def test_an_invalid_profile_is_reported_in_dutch_with_the_file_field_and_value(
    tmp_path: Path, catalog: rv.Catalog, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = _profile(tmp_path, catalog, available_days=["ma", "wo"], running={"pain_free_minutes": -5})
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    assert main(["check", str(profile)]) == 1
    err = capsys.readouterr().err
    assert err == (f"fout: {profile}: running.pain_free_minutes: moet groter dan of gelijk aan 0 zijn (gegeven: -5)\n")
    monkeypatch.setenv("REVALIDATIE_LANG", "en")
    assert main(["check", str(profile)]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {profile}: running.pain_free_minutes: Input should be greater than or equal to 0 (got -5)\n"


def test_a_missing_profile_is_reported_in_the_locales_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REVALIDATIE_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    assert main(["plan", str(tmp_path / "nobody.toml"), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"fout: {tmp_path / 'nobody.toml'}: bestand niet gevonden; kijk het pad na\n"


@pytest.mark.parametrize("interface", ["nl", "en"])
def test_plan_prints_the_planners_warnings_in_the_interface_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, interface: str
) -> None:
    from revalidatie.export.text import warning_text

    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("REVALIDATIE_LANG", interface)
    path = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "gluteal-tendinopathy.toml"
    assert main(["plan", str(path), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    (written,) = tmp_path.glob("*.json")
    plan = rv.plan_from_json(written.read_bytes())
    assert plan.warnings
    for warning in plan.warnings:
        assert f"! {warning_text(warning, plan, interface)}" in printed
    assert ("Fase" if interface == "nl" else "Phase") in printed


def test_a_commands_own_refusal_reads_like_every_other_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["catalog", "show", "no-such-thing"]) == 1
    assert capsys.readouterr().err == (
        "error: 'no-such-thing' is not an id in the catalog; see `revalidatie catalog list`\n"
    )
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    assert main(["catalog", "show", "no-such-thing"]) == 1
    assert (
        capsys.readouterr().err == "fout: 'no-such-thing' is geen id in de catalogus; zie `revalidatie catalog list`\n"
    )
