"""`revalidatie feed ...` and `revalidatie serve --help`: publish, revise, list, revoke, export, backup."""

from __future__ import annotations

from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie.cli import main

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "profiles" / "gluteal-tendinopathy.toml"
LOGS = ROOT / "examples" / "logs" / "gluteal-tendinopathy-week-3.toml"
BASE = "https://feeds.example.nl"


def publish(db: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    assert main(["feed", "publish", str(PROFILE), "--db", str(db), "--base-url", BASE, "--no-handout", *extra]) == 0
    lines = capsys.readouterr().out.splitlines()
    url = lines[-1]
    assert url.startswith(f"{BASE}/feeds/")
    assert url.endswith(".ics")
    return url.rsplit("/", 1)[1].removesuffix(".ics")


def test_publish_revise_list_revoke(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # the table's width when printed to a pipe
    db = tmp_path / "feeds.sqlite"
    token = publish(db, capsys)

    assert main(["feed", "revise", token[:8], str(LOGS), "--as-of", "2027-01-25", "--db", str(db), "--no-handout"]) == 0
    out = capsys.readouterr().out
    assert "revision 2 published" in out
    assert out.splitlines()[-1] == f"{BASE}/feeds/{token}.ics"
    with rv.FeedStore(db, create=False) as store:
        assert store.revisions(token) == (1, 2)
        assert store.plan(token).revision == 2

    assert main(["feed", "list", "--db", str(db), "--lang", "en"]) == 0
    table = capsys.readouterr().out
    assert "Şule" in table
    assert "sule-yilmaz-de-vries" in table
    assert token[:8] in table
    assert token not in table  # only a prefix of the secret is shown

    assert main(["feed", "revoke", token, "--db", str(db), "--lang", "en"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["feed", "list", "--db", str(db)]) == 0
    assert token[:8] not in capsys.readouterr().out
    assert main(["feed", "list", "--db", str(db), "--all"]) == 0
    assert "revoked" in capsys.readouterr().out

    assert main(["feed", "revise", token, str(LOGS), "--as-of", "2027-01-25", "--db", str(db)]) == 1
    assert "is revoked" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("interface", "headings", "status"),
    [
        ("en", ("Client", "Plan", "Revision", "Token", "Updated", "Status"), "live"),
        ("nl", ("Cliënt", "Plan", "Revisie", "Token", "Bijgewerkt", "Status"), "actief"),
    ],
)
def test_feed_list_speaks_the_interface_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    interface: str,
    headings: tuple[str, ...],
    status: str,
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    db = tmp_path / "feeds.sqlite"
    publish(db, capsys)
    monkeypatch.setenv("REVALIDATIE_LANG", interface)
    assert main(["feed", "list", "--db", str(db), "--all"]) == 0
    captured = capsys.readouterr()
    header = next(line for line in captured.out.splitlines() if "Token" in line)
    assert [word.strip() for word in header.strip("┃ ").split("┃")] == list(headings)
    assert status in captured.out
    # --lang is the client's language; a command that writes nothing for the client says it ignores it.
    assert main(["feed", "list", "--db", str(db), "--lang", "tr"]) == 0
    captured = capsys.readouterr()
    assert "Token" in captured.out
    assert "--lang tr" in captured.err


def test_publishing_twice_and_unknown_tokens_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "feeds.sqlite"
    publish(db, capsys)
    assert main(["feed", "publish", str(PROFILE), "--db", str(db), "--base-url", BASE, "--no-handout"]) == 1
    assert "is published already" in capsys.readouterr().err
    assert main(["feed", "revoke", "nosuchtoken", "--db", str(db)]) == 1
    assert "error: no published feed for token prefix 'nosuchtoken'" in capsys.readouterr().err
    assert main(["feed", "publish", str(PROFILE), "--db", str(db), "--base-url", "feeds.example.nl"]) == 1
    assert "absolute http" in capsys.readouterr().err
    assert main(["feed", "list", "--db", str(tmp_path / "missing.sqlite")]) == 1
    assert "no feed database here" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite").exists()
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 100, encoding="utf-8")
    assert main(["feed", "list", "--db", str(notes)]) == 1
    assert "is not a SQLite database" in capsys.readouterr().err


def test_default_database_from_environment_or_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVALIDATIE_DB", raising=False)
    assert main(["feed", "publish", str(PROFILE), "--base-url", BASE, "--no-handout"]) == 0
    capsys.readouterr()
    assert (tmp_path / "revalidatie-feeds.sqlite").is_file()

    elsewhere = tmp_path / "practice" / "feeds.sqlite"
    monkeypatch.setenv("REVALIDATIE_DB", str(elsewhere))
    assert main(["feed", "publish", str(PROFILE), "--base-url", BASE, "--no-handout"]) == 0
    capsys.readouterr()
    assert elsewhere.is_file()


def test_export_and_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "feeds.sqlite"
    token = publish(db, capsys)
    out = tmp_path / "public"
    assert main(["feed", "export", "--to", str(out), "--db", str(db)]) == 0
    assert "2 files" in capsys.readouterr().out
    with rv.FeedStore(db, create=False) as store:
        body = store.body(token)
    assert body is not None
    assert (out / "feeds" / f"{token}.ics").read_bytes() == body.content
    assert (out / "feeds" / token / "index.html").is_file()

    copy = tmp_path / "backup" / "feeds.sqlite"
    assert main(["feed", "backup", "--to", str(copy), "--db", str(db)]) == 0
    with rv.FeedStore(copy, create=False) as restored:
        assert restored.body(token) == body


@pytest.mark.parametrize(
    "command",
    [
        ["serve"],
        ["feed"],
        ["feed", "publish"],
        ["feed", "revise"],
        ["feed", "pause"],
        ["feed", "list"],
        ["feed", "revoke"],
        ["feed", "export"],
        ["feed", "backup"],
    ],
)
def test_help_shows_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "Example" in text
    example = text.split("Example", 1)[1]
    # Printed as written: the command starts its own line and is not broken over lines.
    assert any(line.strip().startswith(f"revalidatie {command[0]}") for line in example.splitlines())


def test_feed_errors_speak_the_interface_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "feeds.sqlite"
    publish(db, capsys)
    monkeypatch.setenv("REVALIDATIE_LANG", "nl")
    assert main(["feed", "list", "--db", str(tmp_path / "missing.sqlite")]) == 1
    assert capsys.readouterr().err == (
        f"fout: {tmp_path / 'missing.sqlite'}: hier is geen feed-database; publiceer eerst een plan "
        "(`revalidatie feed publish`)\n"
    )
    assert main(["feed", "revoke", "nosuchtoken", "--db", str(db)]) == 1
    assert capsys.readouterr().err == (
        "fout: geen gepubliceerde feed voor het tokenbegin 'nosuchtoken'; zie `revalidatie feed list`\n"
    )
    assert main(["feed", "publish", str(PROFILE), "--db", str(db), "--base-url", BASE, "--no-handout"]) == 1
    assert "is al gepubliceerd" in capsys.readouterr().err


def test_pause_and_resume_a_feed_after_a_phone_call(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    db = tmp_path / "feeds.sqlite"
    token = publish(db, capsys)
    pause = ["feed", "pause", token[:8], "--as-of", "2027-01-20", "--db", str(db), "--no-handout", "--lang", "en"]
    assert main([*pause, "--flag", "nachtpijn"]) == 1
    assert "is not a red flag of this plan" in capsys.readouterr().err
    assert main([*pause, "--flag", "night-pain"]) == 0
    out = capsys.readouterr().out
    assert "plan paused from 2027-01-20 (red flags: night-pain)" in out
    with rv.FeedStore(db, create=False) as store:
        paused = store.plan(token)
    assert paused.paused is not None
    assert paused.paused.since.isoformat() == "2027-01-20"
    assert max(s.date for s in paused.sessions).isoformat() < "2027-01-20"
    assert main(["feed", "list", "--db", str(db), "--lang", "en"]) == 0
    assert "paused: red flag" in capsys.readouterr().out
    assert (
        main(
            [
                "feed",
                "revise",
                token[:8],
                "--from-checkins",
                "--resume",
                "--as-of",
                "2027-01-27",
                "--db",
                str(db),
                "--no-handout",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["feed", "list", "--db", str(db), "--lang", "en"]) == 0
    assert "red flag" not in capsys.readouterr().out
