"""Every script in examples/ runs green, fast, and writes plans that read back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie._naming import client_stem

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROFILES = EXAMPLES / "profiles"
SCRIPTS = sorted(path.name for path in EXAMPLES.glob("*.py"))
TIMEOUT_S = 60  # generous for slow CI machines; locally each script takes well under 5 seconds
# The examples print client names such as "Şule"; make the pipe UTF-8 whatever the machine's locale.
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8"}


def run_example(script: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=ENV,
        timeout=TIMEOUT_S,
        check=False,
    )


def read_plan(path: Path) -> rv.Plan:
    assert path.is_file(), f"{path.name} was not written"
    return rv.plan_from_json(path.read_bytes(), source=str(path))


def check_demo(out: Path, stdout: str) -> None:
    profiles = sorted(PROFILES.glob("*.toml"))
    assert profiles
    assert sorted(p.name for p in out.glob("*.json")) == sorted(f"{p.stem}.json" for p in profiles)
    handouts = sorted(f"{p.stem}.pdf" for p in profiles)
    summaries = sorted(f"{p.stem}.summary.pdf" for p in profiles)
    assert sorted(p.name for p in out.glob("*.pdf")) == sorted(handouts + summaries)
    for path in profiles:
        handout = (out / f"{path.stem}.pdf").read_bytes()
        assert handout.startswith(b"%PDF-")
        assert handout.rstrip().endswith(b"%%EOF")
        profile = rv.load_profile(path)
        plan = read_plan(out / f"{path.stem}.json")
        assert plan.profile == profile
        assert plan.revision == 1
        assert plan.sessions
        assert profile.name in stdout


def check_quickstart(out: Path, stdout: str) -> None:
    plan = read_plan(out / "anna-de-vries.json")
    assert plan.profile.name == "Anna de Vries"
    assert plan.protocol.id == "gluteal-tendinopathy-leap"
    for placed in plan.phases:
        assert placed.phase.name("en") in stdout


def check_custom_protocol(out: Path, stdout: str) -> None:
    protocol_file = out / "practice-catalog" / "protocols" / "zuidpark-walk-jog-km.toml"
    assert tomllib.loads(protocol_file.read_text(encoding="utf-8"))["id"] == "zuidpark-walk-jog-km"
    plan = read_plan(out / "lukasz-nowak-zuidpark.json")
    assert plan.protocol.id == "zuidpark-walk-jog-km"
    assert [p.phase.id for p in plan.phases][:2] == ["zuidpark-strength", "zuidpark-walk-jog"]
    units = {getattr(s.items[0].dose, "unit", None) for s in plan.sessions if s.stage is not None}
    assert {"km", "mi"} <= units
    assert "stage" in stdout


def check_revise_plan(out: Path, stdout: str) -> None:
    first = read_plan(out / "sule-revision-1.json")
    second = read_plan(out / "sule-revision-2.json")
    assert (first.revision, second.revision) == (1, 2)
    assert first.id == second.id
    changed = [s for s in second.sessions if s.revision == 2]
    assert changed
    assert all(s.date >= second.history[-1].as_of for s in changed)
    # The red run on 21 January lowers the next runs.
    runs = {s.id: s.run_minutes for s in first.sessions}
    assert any(s.run_minutes < runs.get(s.id, 0) for s in changed)
    assert "red" in stdout


def check_caseload_batch(out: Path, stdout: str) -> None:
    profiles = sorted(PROFILES.glob("*.toml"))
    for path in profiles:
        profile = rv.load_profile(path)
        stem = client_stem(profile)
        assert read_plan(out / f"{stem}.json").profile == profile
        assert (out / f"{stem}.pdf").read_bytes().startswith(b"%PDF-")
        assert (out / f"{stem}.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
        assert f"{profile.name}: {stem}.pdf, {stem}.ics, {stem}.json" in stdout
    assert f"{len(profiles)} of {len(profiles)} clients planned (0 unchanged" in stdout
    again = run_example("caseload_batch.py", "--out", out)
    assert again.returncode == 0, again.stderr
    assert f"({len(profiles)} unchanged since the last run)" in again.stdout


def check_publish_feed(out: Path, stdout: str) -> None:
    url = stdout.splitlines()[-1]
    assert url.startswith("https://feeds.example.nl/feeds/")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    with rv.FeedStore(out / "feeds.sqlite", create=False) as store:
        assert store.revisions(token) == (1, 2)
        calendar = store.body(token)
        assert calendar is not None
        assert (out / "public" / "feeds" / f"{token}.ics").read_bytes() == calendar.content
    assert (out / "public" / "feeds" / f"{token}.pdf").read_bytes().startswith(b"%PDF-")
    assert "Revision 2" in stdout


CHECKS: dict[str, Callable[[Path, str], None]] = {
    "caseload_batch.py": check_caseload_batch,
    "custom_protocol.py": check_custom_protocol,
    "demo.py": check_demo,
    "publish_feed.py": check_publish_feed,
    "quickstart.py": check_quickstart,
    "revise_plan.py": check_revise_plan,
}


def test_every_example_has_a_check() -> None:
    assert sorted(CHECKS) == SCRIPTS


@pytest.mark.slow
@pytest.mark.parametrize("script", SCRIPTS)
def test_example_runs(script: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_example(script, "--out", out)
    assert result.returncode == 0, result.stderr
    CHECKS[script](out, result.stdout)


@pytest.mark.slow
def test_demo_reports_a_referral_and_carries_on(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(PROFILES / "itbs.toml", profiles / "itbs.toml")
    flagged = (PROFILES / "hip-overload.toml").read_text(encoding="utf-8")
    flagged = flagged.replace("cannot-bear-weight = false", "cannot-bear-weight = true")
    (profiles / "fall.toml").write_text(flagged, encoding="utf-8")

    result = run_example("demo.py", "--out", tmp_path / "out", "--profiles", profiles)

    assert result.returncode == 0, result.stderr
    assert "REFERRAL REQUIRED" in result.stdout
    assert "[emergency]" in result.stdout
    assert sorted(p.name for p in (tmp_path / "out").glob("*.json")) == ["itbs.json"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["itbs.pdf", "itbs.summary.pdf"]


@pytest.mark.slow
def test_readme_script_runs(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"```python\n(.*?)```", readme, re.DOTALL)
    assert script is not None, "README.md has no python block"
    # The script uses paths relative to the project folder; run it on a copy so out/ lands in tmp_path.
    shutil.copytree(EXAMPLES, tmp_path / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "readme.py").write_text(script.group(1), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "readme.py"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env=ENV,
        timeout=TIMEOUT_S,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    plan = read_plan(tmp_path / "out" / "sule.json")
    assert plan.profile == rv.load_profile(PROFILES / "gluteal-tendinopathy.toml")
    assert plan.phases[0].phase.name("en") in result.stdout
    assert "revision 2:" in result.stdout
    assert (tmp_path / "out" / "sule.summary.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "out" / "sule-weeks-5-6.pdf").read_bytes().startswith(b"%PDF-")
