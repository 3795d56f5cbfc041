"""Caseload batches on Dask workers that run from another install of revalidatie than the caller's.

A scheduler and three workers are started as separate processes, bound to 127.0.0.1. Each worker imports
revalidatie from its own copy of the wheel (installed with ``pip --target`` and put first on PYTHONPATH), so
its bundled catalog lives at another path than the caller's: one copy is the same build, one claims another
version, and one has an edited bundled catalog under the same version.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import distributed
import pytest

import revalidatie as rv
from revalidatie.catalog import bundled_catalog_dir

ROOT = Path(__file__).resolve().parents[2]
PROFILES = ROOT / "examples" / "profiles"
CLIENTS = ("gluteal-tendinopathy.toml", "itbs.toml")
OVERRIDE = "Brug (praktijkversie)"  # the practice catalog's own name for the bridge
WORKERS = ("same", "other-version", "edited-catalog")
STARTUP = 120  # seconds: a bound on starting the cluster, not a measurement


class _Cluster:
    def __init__(self, client: Any, sites: dict[str, Path], scheduler_file: Path) -> None:
        self.client = client
        self.sites = sites
        self.scheduler_file = scheduler_file

    def executor(self, worker: str) -> Executor:
        """An executor whose every job runs on the named worker alone."""
        executor: Executor = self.client.get_executor(workers=[worker], allow_other_workers=False, pure=False)
        return executor


def _install_copies(tmp: Path) -> dict[str, Path]:
    dist = tmp / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], check=True, capture_output=True
    )
    wheel = next(dist.glob("revalidatie-*.whl"))
    same = tmp / "site-same"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(same), str(wheel)],
        check=True,
        capture_output=True,
    )
    other = tmp / "site-other-version"
    shutil.copytree(same, other)
    (other / "revalidatie" / "_version.py").write_text('__version__ = "0.0.1+elsewhere"\n', encoding="utf-8")
    edited = tmp / "site-edited-catalog"
    shutil.copytree(same, edited)
    conditions = edited / "revalidatie" / "catalog" / "bundled" / "conditions.toml"
    conditions.write_text(conditions.read_text(encoding="utf-8") + "\n# edited in place\n", encoding="utf-8")
    return {"same": same, "other-version": other, "edited-catalog": edited}


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(command, cwd=log.parent, env=env, stdout=sink, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Cluster]:
    tmp = tmp_path_factory.mktemp("cluster")
    sites = _install_copies(tmp)
    scheduler_file = tmp / "scheduler.json"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    # Bound to 127.0.0.1, no dashboards; each process logs to a file in tmp, shown when the cluster fails.
    common = ["--no-dashboard", "--host", "127.0.0.1", "--scheduler-file", str(scheduler_file)]
    scheduler = [sys.executable, "-m", "distributed.cli.dask_scheduler", *common, "--port", "0"]
    processes = [_start(scheduler, env, tmp / "scheduler.log")]
    try:
        for name in WORKERS:
            worker = [sys.executable, "-m", "distributed.cli.dask_worker", *common, "--name", name, "--no-nanny"]
            worker += ["--nthreads", "1", "--local-directory", str(tmp / f"work-{name}")]
            processes.append(_start(worker, {**env, "PYTHONPATH": str(sites[name])}, tmp / f"{name}.log"))
        client = distributed.Client(scheduler_file=str(scheduler_file), timeout=f"{STARTUP}s")
        try:
            try:
                client.wait_for_workers(len(WORKERS), timeout=STARTUP)
            except TimeoutError:
                logs = "\n".join(log.read_text(encoding="utf-8") for log in sorted(tmp.glob("*.log")))
                pytest.fail(f"the Dask workers did not start:\n{logs}")
            yield _Cluster(client, sites, scheduler_file)
        finally:
            client.close()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# The caller, run from its own copy: it reads its catalog, then moves its bundled catalog and the practice
# folder away as the first job is sent, since a worker elsewhere sees neither.
CALLER = """
import json, sys
from concurrent.futures import Executor
from pathlib import Path

import distributed
import revalidatie as rv
from revalidatie.catalog import bundled_catalog_dir

scheduler_file, practice, out, *profiles = sys.argv[1:]
catalog = rv.load_catalog(practice)
away = [bundled_catalog_dir(), Path(practice)]


class MovingAway(Executor):
    def __init__(self, inner):
        self.inner = inner

    def submit(self, fn, /, *args, **kwargs):
        for folder in away:
            if folder.exists():
                folder.rename(folder.with_name(folder.name + "-moved"))
        return self.inner.submit(fn, *args, **kwargs)


with distributed.Client(scheduler_file=scheduler_file, timeout="120s") as client:
    executor = MovingAway(client.get_executor(workers=["same"], allow_other_workers=False, pure=False))
    results = rv.render_batch(profiles, out, catalog=catalog, formats=["ics", "json"], executor=executor)
print(json.dumps({
    "catalog": str(away[0]),
    "moved": [not folder.exists() for folder in away],
    "results": [[r.status.value, [str(p) for p in r.problems], [str(f) for f in r.files]] for r in results],
}))
"""


@pytest.fixture
def practice(tmp_path: Path, data_dir: Path) -> Path:
    folder = tmp_path / "practice"
    shutil.copytree(data_dir / "catalogs" / "valid-practice", folder)
    return folder


def _profiles() -> list[Path]:
    return [PROFILES / name for name in CLIENTS]


@pytest.mark.slow
def test_worker_from_another_install_plans_with_its_own_bundled_catalog_and_the_practice_files(
    cluster: _Cluster, practice: Path, tmp_path: Path
) -> None:
    # Regression: jobs carried the caller's absolute catalog folders; a worker installed elsewhere found none
    # of them, a missing folder loaded as an empty catalog, and every client failed "is not a known condition".
    worker_catalog = cluster.client.submit(bundled_catalog_dir, workers=["same"], pure=False).result()
    assert worker_catalog.is_relative_to(cluster.sites["same"])

    here = rv.render_batch(_profiles(), tmp_path / "here", catalog=rv.load_catalog(practice), formats=["ics", "json"])
    caller = tmp_path / "caller-site"
    shutil.copytree(cluster.sites["same"], caller)
    env = {**os.environ, "PYTHONPATH": str(caller)}
    run = subprocess.run(
        [sys.executable, "-c", CALLER, str(cluster.scheduler_file), str(practice), str(tmp_path / "there")]
        + [str(path) for path in _profiles()],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert Path(report["catalog"]).is_relative_to(caller)
    assert report["moved"] == [True, True]

    for near, (status, problems, files) in zip(here, report["results"], strict=True):
        assert status == "ok", problems
        assert [Path(file).name for file in files] == [path.name for path in near.files]
        for mine, theirs in zip(near.files, files, strict=True):
            assert Path(theirs).read_bytes() == mine.read_bytes()
    assert OVERRIDE in Path(report["results"][0][2][1]).read_text(encoding="utf-8")


@pytest.mark.slow
def test_worker_with_another_version_refuses_the_job(cluster: _Cluster, tmp_path: Path) -> None:
    out = tmp_path / "out"
    results = rv.render_batch(_profiles(), out, formats=["json"], executor=cluster.executor("other-version"))
    for result in results:
        assert result.status is rv.BatchStatus.ERROR
        assert result.client is not None
        [problem] = result.problems
        assert problem.source == result.source
        assert f"revalidatie 0.0.1+elsewhere, but the batch runs revalidatie {rv.__version__}" in problem.message
    assert not list(out.glob("*.json"))

    # A refusal is not remembered: the same batch on a matching worker is planned.
    again = rv.render_batch(_profiles(), out, formats=["json"], executor=cluster.executor("same"))
    assert [result.status for result in again] == [rv.BatchStatus.OK] * len(CLIENTS)
    assert not any(result.reused for result in again)


@pytest.mark.slow
def test_worker_whose_bundled_catalog_was_edited_refuses_the_job(cluster: _Cluster, tmp_path: Path) -> None:
    # Same version, other catalog: the manifest would otherwise record outputs the caller's catalog did not make.
    out = tmp_path / "out"
    results = rv.render_batch(_profiles(), out, formats=["json"], executor=cluster.executor("edited-catalog"))
    for result in results:
        assert result.status is rv.BatchStatus.ERROR
        assert "bundled catalog differs from the caller's" in result.problems[0].message
    assert not list(out.glob("*.json"))
