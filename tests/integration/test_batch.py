"""Caseload batches through the Python API (with a process pool) and the command line."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path
from typing import ParamSpec, TypeVar

import pytest

import revalidatie as rv
from revalidatie.catalog import bundled_catalog_dir, load_catalog_folders
from revalidatie.cli import main
from revalidatie.publish import FORMATS

P = ParamSpec("P")
T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles"
GOOD = ("gluteal-tendinopathy.toml", "itbs.toml", "hip-osteoarthritis.toml")
STEMS = {
    "gluteal-tendinopathy.toml": "sule-yilmaz-de-vries",
    "itbs.toml": "oliver-bennett",
    "hip-osteoarthritis.toml": "henk-jansen",
}


@pytest.fixture
def caseload(tmp_path: Path, data_dir: Path) -> Path:
    """Three clients who can be planned, one who needs a referral and one broken profile."""
    folder = tmp_path / "caseload"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(PROFILES / name, folder / name)
    shutil.copy(data_dir / "batch" / "referral.toml", folder / "referral.toml")
    shutil.copy(data_dir / "batch" / "broken.toml", folder / "broken.toml")
    return folder


def _by_source(results: tuple[rv.BatchResult, ...]) -> dict[str, rv.BatchResult]:
    return {Path(result.source).name: result for result in results}


def _batch(folder: Path, out: Path) -> dict[str, rv.BatchResult]:
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = rv.render_batch(sorted(folder.glob("*.toml")), out, executor=pool)
    assert [Path(r.source).name for r in results] == sorted(p.name for p in folder.glob("*.toml"))
    return _by_source(results)


@pytest.mark.slow
def test_process_pool_writes_every_client_and_reports_referral_and_error(caseload: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[rv.BatchResult] = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = _by_source(
            rv.render_batch(sorted(caseload.glob("*.toml")), out, executor=pool, on_result=seen.append)
        )
    assert sorted(seen, key=lambda r: r.source) == sorted(results.values(), key=lambda r: r.source)

    for name in GOOD:
        result = results[name]
        assert result.status is rv.BatchStatus.OK, result.problems
        assert not result.reused
        assert [p.name for p in result.files] == [f"{STEMS[name]}.{fmt}" for fmt in FORMATS]
        assert result.files[0].read_bytes().startswith(b"%PDF-")
        assert b"BEGIN:VCALENDAR" in result.files[1].read_bytes()
        plan = rv.plan_from_json(result.files[2].read_bytes())
        assert plan.profile == rv.load_profile(PROFILES / name)

    referral = results["referral.toml"]
    assert referral.status is rv.BatchStatus.REFERRAL
    assert referral.client == "Fenna van der Wal"
    assert [f.flag_id for f in referral.findings] == ["cannot-bear-weight"]
    assert referral.files == ()
    assert not list(out.glob("fenna*"))

    broken = results["broken.toml"]
    assert broken.status is rv.BatchStatus.ERROR
    assert {p.field for p in broken.problems} >= {"side", "start_date"}
    assert broken.client is None

    # Nothing half-written: only the finished files and the manifest.
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [".revalidatie-batch.json"] + [f"{STEMS[n]}.{fmt}" for n in GOOD for fmt in FORMATS]
    )


@pytest.mark.slow
def test_rerun_redoes_only_what_changed(caseload: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _batch(caseload, out)
    stamps = {path: path.stat().st_mtime_ns for result in first.values() for path in result.files}

    second = _batch(caseload, out)
    assert {name for name, r in second.items() if r.reused} == {*GOOD, "referral.toml"}
    assert second["referral.toml"].findings == first["referral.toml"].findings
    assert second["broken.toml"].status is rv.BatchStatus.ERROR  # errors are always tried again
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps

    # A changed profile, a deleted output and a fixed profile are redone; the rest is kept.
    itbs = caseload / "itbs.toml"
    itbs.write_text(itbs.read_text(encoding="utf-8") + "\n# seen again on 2027-01-11\n", encoding="utf-8")
    (out / "henk-jansen.ics").unlink()
    shutil.copy(PROFILES / "hip-overload.toml", caseload / "broken.toml")
    third = _batch(caseload, out)
    assert {name for name, r in third.items() if not r.reused} == {
        "itbs.toml",
        "hip-osteoarthritis.toml",
        "broken.toml",
    }
    assert third["broken.toml"].status is rv.BatchStatus.OK
    assert (out / "henk-jansen.ics").is_file()
    assert (
        third["gluteal-tendinopathy.toml"].files[0].stat().st_mtime_ns
        == stamps[first["gluteal-tendinopathy.toml"].files[0]]
    )


def test_catalog_language_and_force_invalidate(caseload: Path, tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "out"
    one = [caseload / "itbs.toml"]
    assert not rv.render_batch(one, out, formats=["json"])[0].reused
    assert rv.render_batch(one, out, formats=["json"])[0].reused
    assert not rv.render_batch(one, out, formats=["json"], language="en")[0].reused
    practice = rv.load_catalog(data_dir / "catalogs" / "valid-practice")
    assert not rv.render_batch(one, out, formats=["json"], catalog=practice)[0].reused
    assert rv.render_batch(one, out, formats=["json"], catalog=practice)[0].reused
    assert not rv.render_batch(one, out, formats=["json"], catalog=practice, force=True)[0].reused


def test_same_output_name_is_refused_for_both(caseload: Path, tmp_path: Path) -> None:
    twin = caseload / "itbs-again.json"
    twin.write_text(json.dumps(rv.load_profile(caseload / "itbs.toml").model_dump(mode="json")), encoding="utf-8")
    results = _by_source(rv.render_batch([caseload / "itbs.toml", twin], tmp_path / "out", formats=["json"]))
    for name, other in (("itbs.toml", "itbs-again.json"), ("itbs-again.json", "itbs.toml")):
        result = results[name]
        assert result.status is rv.BatchStatus.ERROR
        assert "oliver-bennett" in result.problems[0].message
        assert other in result.problems[0].message
    assert not (tmp_path / "out" / "oliver-bennett.json").exists()


def test_profiles_as_python_objects(tmp_path: Path) -> None:
    profile = rv.load_profile(PROFILES / "itbs.toml")
    results = rv.render_batch([profile], tmp_path, formats=["json"])
    assert results[0].source == "<profile 1>"
    assert results[0].status is rv.BatchStatus.OK
    assert rv.render_batch([profile], tmp_path, formats=["json"])[0].reused


def test_bad_options_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="language"):
        rv.render_batch([], tmp_path, language="de")
    with pytest.raises(ValueError, match="docx"):
        rv.render_batch([], tmp_path, formats=["pdf", "docx"])


def test_unwritable_output_is_that_clients_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "oliver-bennett.json").mkdir()  # a folder where the file should go
    result = rv.render_batch([PROFILES / "itbs.toml"], out, formats=["json"])[0]
    assert result.status is rv.BatchStatus.ERROR
    assert "oliver-bennett.json" in result.problems[0].source


@pytest.mark.slow
def test_cli_batch_summary_and_exit_codes(caseload: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(caseload), "--out", str(out), "--jobs", "2", "--lang", "en"]) == 1
    printed = capsys.readouterr().out
    assert "Oliver Bennett" in printed
    assert "referral" in printed
    assert "[emergency]" in printed
    assert "broken.toml" in printed
    assert "3 ok, 1 referral, 1 error" in printed
    assert (out / "oliver-bennett.pdf").is_file()

    (caseload / "broken.toml").unlink()  # a referral alone is not a failure
    assert main(["batch", str(caseload), "--out", str(out), "--jobs", "2", "--lang", "en"]) == 0
    assert "(unchanged)" in capsys.readouterr().out


def test_cli_batch_rejects_a_folder_without_profiles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "no client profiles" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 1
    assert "is not a folder" in capsys.readouterr().err


@pytest.mark.slow
def test_reused_pool_plans_with_the_changed_catalog(tmp_path: Path, data_dir: Path) -> None:
    # Regression: a worker kept its first catalog, so an edited practice file was ignored by a reused pool.
    practice = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", practice)
    override = practice / "exercises" / "override.toml"
    profile = PROFILES / "gluteal-tendinopathy.toml"
    with ProcessPoolExecutor(max_workers=1) as pool:
        first = rv.render_batch([profile], tmp_path / "out", catalog=rv.load_catalog(practice), executor=pool)[0]
        assert "Brug (praktijkversie)" in first.files[2].read_text(encoding="utf-8")
        text = override.read_text(encoding="utf-8").replace("Brug (praktijkversie)", "Brug (nieuwe versie)")
        override.write_text(text, encoding="utf-8")
        second = rv.render_batch([profile], tmp_path / "out", catalog=rv.load_catalog(practice), executor=pool)[0]
    assert not second.reused
    written = second.files[2].read_text(encoding="utf-8")
    assert "Brug (nieuwe versie)" in written
    assert "Brug (praktijkversie)" not in written


@pytest.mark.parametrize("what", ["nothing there", "a file"])
@pytest.mark.parametrize("how", ["load_catalog", "load_catalog_folders"])
def test_missing_catalog_folder_is_an_error_not_an_empty_catalog(tmp_path: Path, what: str, how: str) -> None:
    # Regression: a folder that is not there was read as a catalog without files.
    folder = tmp_path / "nope"
    if what == "a file":
        folder.write_text("", encoding="utf-8")
    load: Callable[[], rv.Catalog] = (
        (lambda: rv.load_catalog(folder))
        if how == "load_catalog"
        else (lambda: load_catalog_folders([bundled_catalog_dir(), folder]))
    )
    with pytest.raises(rv.CatalogError) as info:
        load()
    [problem] = info.value.problems
    assert problem.source == str(folder)
    assert problem.message == f"is not a folder ({what}); give the folder with your catalog files"


def test_cli_catalog_option_naming_a_missing_folder_is_a_one_line_error(
    caseload: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope"
    for command in (["catalog", "list"], ["batch", str(caseload), "--out", str(tmp_path / "out")]):
        assert main(["--catalog", str(missing), *command]) == 1
        captured = capsys.readouterr()
        assert captured.err.splitlines() == [
            f"error: {missing}: is not a folder (nothing there); give the folder with your catalog files"
        ]
    assert not (tmp_path / "out").exists()


def test_batch_whose_catalog_folder_is_gone_is_an_error(caseload: Path, tmp_path: Path, data_dir: Path) -> None:
    # Regression: the folder was fingerprinted as empty, and workers planned without the practice's files.
    practice = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", practice)
    catalog = rv.load_catalog(practice)
    shutil.rmtree(practice)
    with pytest.raises(rv.CatalogError, match="is not a folder") as info:
        rv.render_batch([caseload / "itbs.toml"], tmp_path / "out", catalog=catalog, formats=["json"])
    assert [problem.source for problem in info.value.problems] == [str(practice)]
    assert not (tmp_path / "out").exists()


def test_batch_jobs_carry_the_practice_files_not_the_callers_folders(tmp_path: Path, data_dir: Path) -> None:
    # A job is planned from its own content: the caller's folders are not read again to plan it.
    practice = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", practice)
    jobs: list[bytes] = []

    class Recording(ThreadPoolExecutor):
        def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
            jobs.append(args[1])  # type: ignore[arg-type] # (library version, pickled job)
            return super().submit(fn, *args, **kwargs)

    profile = PROFILES / "gluteal-tendinopathy.toml"
    with Recording(max_workers=1) as pool:
        [result] = rv.render_batch([profile], tmp_path / "out", catalog=rv.load_catalog(practice), executor=pool)
    assert result.status is rv.BatchStatus.OK
    [job] = jobs
    assert str(bundled_catalog_dir()).encode() not in job
    override = (practice / "exercises" / "override.toml").read_bytes()
    assert override in job
