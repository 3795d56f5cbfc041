"""Benchmarks: figures printed as a table and written as JSON. Never run as timed assertions in tests.

Each row has a figure, a target and whether the figure meets it. Timings of separate processes (import,
``--help``) are medians of repeated runs, because a shared machine is noisy; see docs/performance.md.

Usage:
    python benchmarks/run.py [--out benchmarks/results.json] [--clients 200] [--jobs 2] [--quick] [--only feeds|checkin]

``--clients 1000`` runs the batch benchmark at full size instead of extrapolating from 200 clients.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import itertools
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import attrs

import revalidatie as rv
from revalidatie.feed import export_static

BATCH_TARGET_CLIENTS = 1000
BATCH_TARGET_S = 120.0


def _sixteen_week_profile(catalog: rv.Catalog, name: str = "Benchmark Client", **changes: Any) -> rv.ClientProfile:
    # Hip overload for a client running 15 pain-free minutes: settle, strength, single-leg, walk/run, build-up.
    data: dict[str, Any] = {
        "name": name,
        "condition": "hip-overload",
        "side": "right",
        "start_date": "2027-01-04",
        "available_days": ["mon", "wed", "fri", "sat"],
        "running": {
            "pain_free_minutes": 15,
            "weekly_minutes_before": 120,
            "runs_per_week_before": 3,
            "longest_run_last_30_days": 20,
        },
        "goal": {"run_minutes": 30},
        "cross_training": {"bike": True},
        "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
    }
    return rv.parse_profile({**data, **changes})


def _row(name: str, figure: float, unit: str, target: float, higher_is_better: bool, **extra: Any) -> dict[str, Any]:
    ok = figure >= target if higher_is_better else figure <= target
    return {
        "name": name,
        "figure": figure,
        "unit": unit,
        "target": f"{'>=' if higher_is_better else '<='} {target:g}",
        "pass": ok,
        **extra,
    }


def _timed(function: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median CPU and wall milliseconds of ``repeats`` calls.

    CPU time is the figure: on a shared machine, wall time grows with whatever else runs, CPU time does not.
    """
    cpu, wall = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def _caseload(catalog: rv.Catalog, count: int = 48) -> list[rv.ClientProfile]:
    """``count`` clients in variations of protocol, condition, running pace, start day, training days,
    running history and equipment, each with a name of their own.

    Planning one client again and again would flatter the planner, which reuses what plans on one protocol
    have in common; a practice's caseload differs from client to client, and spans every bundled protocol.
    """
    day_sets = [["mon", "wed", "fri", "sat"], ["tue", "thu", "sat", "sun"], ["mon", "tue", "thu", "fri", "sun"]]
    histories = [(0, 0, 0), (8, 90, 10), (15, 120, 20), (25, 150, 30)]
    equipment = [{"bike": True}, {"pool": True, "cross_trainer": True}]
    protocols = sorted(catalog.protocols)
    conditions = sorted(catalog.conditions)
    paces = (5.0, 6.5, 8.0)
    variations = [
        (days, history, access, first_monday)
        for days, history, access in itertools.product(day_sets, histories, equipment)
        for first_monday in ("2027-01-04", "2027-03-01")
    ]
    clients: list[rv.ClientProfile] = []
    number = 0
    while len(clients) < count:
        days, (pain_free, weekly, longest), access, first_monday = variations[number % len(variations)]
        running = {
            "pain_free_minutes": pain_free,
            "weekly_minutes_before": weekly,
            "runs_per_week_before": 3,
            "longest_run_last_30_days": longest,
        }
        client = _sixteen_week_profile(
            catalog,
            f"Client {number + 1:04d}",
            condition=conditions[number % len(conditions)],
            confirmed_by="Dr. P. Bakker",
            protocol=protocols[number % len(protocols)],
            easy_pace_min_per_km=paces[number % len(paces)],
            start_date=(dt.date.fromisoformat(first_monday) + dt.timedelta(days=number % 7)).isoformat(),
            available_days=days,
            running=running,
            cross_training=access,
        )
        number += 1
        # A client already past a short protocol's last stage cannot be planned on it: the next one is.
        try:
            rv.plan_programme(client, catalog)
        except rv.ProfileError:
            continue
        clients.append(client)
    return clients


def plans_per_second(catalog: rv.Catalog, repeats: int) -> list[dict[str, Any]]:
    """Warm: plans on one catalog, as a caseload is planned. Cold: every plan the first on its catalog."""
    clients = _caseload(catalog, 96)
    plans = [rv.plan_programme(client, catalog) for client in clients]

    def plan_all() -> None:
        for client in clients:
            rv.plan_programme(client, catalog)

    def plan_all_cold() -> None:
        for client in clients:
            rv.plan_programme(client, attrs.evolve(catalog))  # a catalog of its own: nothing shared yet

    cpu, wall = _timed(plan_all, max(3, repeats // 2))
    cold_cpu, cold_wall = _timed(plan_all_cold, max(3, repeats // 4))
    shape = {
        "clients": len(clients),
        "protocols": len({plan.protocol.id for plan in plans}),
        "weeks_mean": round(statistics.mean(len(plan.weeks) for plan in plans), 1),
        "sessions_mean": round(statistics.mean(len(plan.sessions) for plan in plans), 1),
    }
    return [
        _row(
            "planning, warm",
            round(1000 * len(clients) / cpu, 1),
            "plans/s",
            1000,
            True,
            wall_plans_per_second=round(1000 * len(clients) / wall, 1),
            **shape,
        ),
        _row(
            "planning, cold",
            round(1000 * len(clients) / cold_cpu, 1),
            "plans/s",
            250,
            True,
            wall_plans_per_second=round(1000 * len(clients) / cold_wall, 1),
            **shape,
        ),
    ]


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "profiles"
_FRESH_HANDOUT = """
import resource, sys, time
start = time.process_time()
import revalidatie as rv
plan = rv.plan_programme(rv.load_profile(sys.argv[1]), rv.load_catalog())
planned = time.process_time()
rv.render_pdf(plan, subscription_url="https://feeds.example.nl/feeds/benchmark.ics")
done = time.process_time()
print((done - planned) * 1000, (done - start) * 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
"""A fresh process: import, plan, then the first handout (fonts load, reportlab imports); CPU milliseconds."""


def _anchor_pdf() -> bytes:
    """Bare reportlab: 16 A4 pages of headings, paragraphs and a 30-row table each, no page templates."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story: list[Any] = []
    for page in range(16):
        story.append(Paragraph(f"Page {page + 1}: phase, week and exercise", styles["Heading2"]))
        story.append(Paragraph("Lie on your side with your knees bent and lift the top knee slowly. " * 6))
        rows = [[f"Week {n}", "2 x Easy run 20 min · 1 x Long run 24 min", "1 x 60 min (cycling)"] for n in range(30)]
        story += [Table(rows), PageBreak()]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def handout_figures(catalog: rv.Catalog, repeats: int) -> list[dict[str, Any]]:
    """The handout of every example client: warm render, first render in a fresh process and its peak RSS.

    The anchor is bare reportlab laying out 16 pages of comparable text in the same run.
    """
    url = "https://feeds.example.nl/feeds/benchmark.ics"  # with the QR code, as a handout is usually made
    rows = []
    warm: dict[str, float] = {}
    for path in sorted(EXAMPLES.glob("*.toml")):
        plan = rv.plan_programme(rv.load_profile(path), catalog)
        rv.render_pdf(plan, subscription_url=url)
        cpu, _ = _timed(lambda plan=plan: rv.render_pdf(plan, subscription_url=url), max(3, repeats // 2))
        warm[path.stem] = round(cpu, 1)
    fresh = []
    for path in sorted(EXAMPLES.glob("*.toml")):
        out = subprocess.run(
            [sys.executable, "-c", _FRESH_HANDOUT, str(path)], check=True, capture_output=True, text=True
        )
        render_ms, total_ms, rss = (float(x) for x in out.stdout.split())
        fresh.append((path.stem, round(render_ms, 1), round(total_ms, 1), round(rss, 1)))
    anchor, _ = _timed(_anchor_pdf, max(3, repeats // 2))
    slowest = max(warm, key=warm.__getitem__)
    rows.append(
        _row(
            "handout, slowest example client (warm)",
            warm[slowest],
            "ms",
            150,
            False,
            client=slowest,
            every_client_ms=warm,
            anchor_bare_reportlab_16_pages_ms=round(anchor, 1),
        )
    )
    rows.append(
        _row(
            "handout, first render in a fresh process",
            max(ms for _, ms, _, _ in fresh),
            "ms",
            600,
            False,
            every_client=[
                {"client": c, "render_cpu_ms": r, "import_plan_render_cpu_ms": t, "max_rss_mib": m}
                for c, r, t, m in fresh
            ],
        )
    )
    rows.append(_row("handout process peak RSS", max(m for _, _, _, m in fresh), "MiB", 200, False))
    return rows


def language_ratio(catalog: rv.Catalog, repeats: int) -> dict[str, Any]:
    """Handout and calendar of every example client in each client language, as a ratio to Dutch.

    The languages take turns in every round, so a slower moment of a shared machine falls on each alike.
    """
    from revalidatie.i18n import CLIENT_LANGUAGES

    plans = [rv.plan_programme(rv.load_profile(path), catalog) for path in sorted(EXAMPLES.glob("*.toml"))]

    def render(language: str) -> None:
        for plan in plans:
            rv.render_pdf(plan, language=language)
            rv.render_ics(plan, language=language)

    for language in CLIENT_LANGUAGES:
        render(language)
    samples: dict[str, list[float]] = {language: [] for language in CLIENT_LANGUAGES}
    for _ in range(max(3, repeats // 4)):
        for language in CLIENT_LANGUAGES:
            samples[language].append(_timed(lambda language=language: render(language), 1)[0])
    medians = {language: statistics.median(times) / len(plans) for language, times in samples.items()}
    ratios = {language: round(ms / medians["nl"], 3) for language, ms in medians.items()}
    return _row(
        "handout + calendar, slowest language / Dutch",
        max(ratios.values()),
        "x",
        1.2,
        False,
        ms_per_client={language: round(ms, 1) for language, ms in medians.items()},
        ratio_to_dutch=ratios,
    )


def figure_ms(catalog: rv.Catalog, repeats: int) -> dict[str, Any]:
    """Every bundled exercise figure drawn and written as SVG (the docs and `catalog show --svg`)."""
    exercises = list(catalog.exercises.values())
    cpu, wall = _timed(lambda: [rv.exercise_svg(exercise) for exercise in exercises], max(3, repeats // 4))
    return _row(
        "figures, all exercises to SVG",
        round(cpu, 1),
        "ms",
        500,
        False,
        wall_ms=round(wall, 1),
        exercises=len(exercises),
    )


def ics_ms(plan: rv.Plan, repeats: int) -> dict[str, Any]:
    data = rv.render_ics(plan, alarm_minutes=30)  # warms the VTIMEZONE cache, as a server would be warm
    cpu, wall = _timed(lambda: rv.render_ics(plan, alarm_minutes=30), repeats * 5)
    return _row(
        "ics render",
        round(cpu, 1),
        "ms",
        20,
        False,
        wall_ms=round(wall, 1),
        events=data.count(b"BEGIN:VEVENT"),
        bytes=len(data),
    )


def _median_ms(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def startup_figures(repeats: int) -> list[dict[str, Any]]:
    python = sys.executable
    baseline = _median_ms([python, "-c", "pass"], repeats)
    imported = _median_ms([python, "-c", "import revalidatie"], repeats)
    script = Path(python).with_name("revalidatie")  # the installed console script, as a user runs it
    command = [str(script)] if script.is_file() else [python, "-m", "revalidatie.cli"]
    helped = _median_ms([*command, "--help"], repeats)
    return [
        _row("import revalidatie", round(imported, 1), "ms", 150, False, interpreter_ms=round(baseline, 1)),
        _row("revalidatie --help", round(helped, 1), "ms", 400, False, interpreter_ms=round(baseline, 1)),
    ]


def batch_figures(catalog: rv.Catalog, clients: int, jobs: int) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="revalidatie-bench-"))
    try:
        profiles = _caseload(catalog, clients)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        start, start_cpu = time.perf_counter(), time.process_time()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = rv.render_batch(profiles, folder / "out", catalog=catalog, executor=pool)
        elapsed = time.perf_counter() - start
        # The workers' CPU time is counted once the pool has reaped them, at the end of the `with` block.
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (
            time.process_time()
            - start_cpu
            + (after.ru_utime + after.ru_stime)
            - (children.ru_utime + children.ru_stime)
        )
        failed = [r for r in results if r.status is not rv.BatchStatus.OK]
        if failed:
            raise SystemExit(f"batch benchmark: {len(failed)} clients failed, first: {failed[0]}")
        start = time.perf_counter()
        rerun = rv.render_batch(profiles, folder / "out", catalog=catalog)
        rerun_s = time.perf_counter() - start
        assert all(r.reused for r in rerun)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    projected = elapsed / clients * BATCH_TARGET_CLIENTS
    return _row(
        f"batch {BATCH_TARGET_CLIENTS} clients (pdf+ics+json, {jobs} jobs)",
        round(projected, 1),
        "s",
        BATCH_TARGET_S,
        False,
        measured_clients=clients,
        measured_s=round(elapsed, 1),
        clients_per_second=round(clients / elapsed, 1),
        cpu_ms_per_client=round(cpu / clients * 1000, 1),
        idle_machine_projection_s=round(cpu / clients * BATCH_TARGET_CLIENTS / jobs, 1),
        extrapolated=clients != BATCH_TARGET_CLIENTS,
        unchanged_rerun_s=round(rerun_s, 2),
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            probe.request("GET", "/healthz")
            ready = probe.getresponse().status == 200
            probe.close()
            if ready:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not become ready")


# --- the feed servers under load ----------------------------------------------------------------------------

WRK_CONNECTIONS = 8
WRK_THREADS = 2


def _wrk(url: str, seconds: float, headers: dict[str, str]) -> dict[str, Any]:
    """Requests per second from wrk (8 connections, 2 threads) for ``seconds``, and any errors it counted."""
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{max(1, round(seconds))}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    # wrk counts answers of 400 and above here, and connect, read, write and timeout errors below.
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(int(g) for g in sockets.groups()) if sockets else 0)
    return {"requests_per_second": round(rate, 1), "requests": total, "errors": errors}


def _first_get(port: int, path: str, etag: str | None = None) -> tuple[int, str, int]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"If-None-Match": etag} if etag else {})
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheader("etag") or "", len(body)
    finally:
        connection.close()


def _cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) of these processes and all their children, as far as they run."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            parent = psutil.Process(pid)
            for process in [parent, *parent.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            continue
    return total


def _loaded(url: str, seconds: float, headers: dict[str, str], pids: list[int]) -> dict[str, Any]:
    """wrk's figures, and the server's CPU time per request: that one does not grow with other work."""
    before = _cpu_seconds(pids)
    result = _wrk(url, seconds, headers)
    used = _cpu_seconds(pids) - before
    return {**result, "server_cpu_us_per_request": round(used / max(1, result["requests"]) * 1e6, 1)}


def _measure(port: int, pids: list[int], path: str, seconds: float) -> dict[str, Any]:
    """Conditional GETs (all answered 304) and full GETs (200) of ``path`` under wrk.

    ``pids`` are the server's processes (the database server's too), whose CPU time is counted.
    """
    status, etag, size = _first_get(port, path)
    if status != 200 or _first_get(port, path, etag)[0] != 304:
        raise RuntimeError(f"{path} did not answer 200 and then 304 to its own ETag")
    url = f"http://127.0.0.1:{port}{path}"
    _wrk(url, 1, {"If-None-Match": etag})  # warm-up: the first requests of every worker, its pools, its copy
    return {
        "conditional": _loaded(url, seconds, {"If-None-Match": etag}, pids),
        "full": _loaded(url, seconds, {}, pids),
        "calendar_bytes": size,
    }


@contextlib.contextmanager
def _feed_server(location: str, workers: int) -> Iterator[tuple[int, int]]:
    port = _free_port()
    command = [sys.executable, "-m", "revalidatie", "serve", "--db", location, "--port", str(port)]
    command += ["--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_ready(port, server)
        # /healthz answers as soon as the first worker listens; the others are still importing. wrk opens
        # its connections at once, so they would all go to the first one.
        time.sleep(1.5 * workers if workers > 1 else 0)
        yield port, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


NGINX_CONF = """daemon off;
{user}worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        location /feeds/ {{
            root {public};
            autoindex off;
            types {{ text/calendar ics; application/pdf pdf; text/html html; }}
            charset utf-8;
            charset_types text/calendar text/html;
            try_files $uri $uri/index.html =404;
            add_header Cache-Control "private, max-age=300, no-transform" always;
            add_header X-Content-Type-Options nosniff always;
            add_header Referrer-Policy no-referrer always;
        }}
    }}
}}
"""


@contextlib.contextmanager
def _nginx(public: Path, workers: int) -> Iterator[tuple[int, int]]:
    """nginx serving the static export in ``public`` on a loopback port, configured as docs/feeds.md says."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "tmp").mkdir()
        # The export is readable by its owner only (0600); run as root, nginx's workers would otherwise
        # switch to an unprivileged user that cannot read it.
        user = "user root;\n" if os.geteuid() == 0 else ""
        conf = root / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(user=user, workers=workers, root=root, port=port, public=public), encoding="utf-8"
        )
        server = subprocess.Popen(
            ["nginx", "-c", str(conf), "-p", str(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("nginx did not start") from None
                    time.sleep(0.05)
            yield port, server.pid
        finally:
            server.terminate()
            server.wait(timeout=15)


@contextlib.contextmanager
def _postgres() -> Iterator[tuple[str, int] | None]:
    """A throwaway PostgreSQL database (as the tests make it); ``None`` when PostgreSQL is not installed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.postgres_cluster import Cluster, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        yield None
        return
    cluster = Cluster(bin_dir)
    try:
        url = cluster.create_database()
        postmaster = int((cluster.data / "postmaster.pid").read_text(encoding="utf-8").split()[0])
        yield url, postmaster
    finally:
        cluster.close()


def feed_servers(catalog: rv.Catalog, seconds: float) -> list[dict[str, Any]]:
    """GETs per second of one published calendar: nginx with the static export, then each store with 1 and 2
    workers, all under wrk with the same 8 connections, in one run."""
    missing = [tool for tool in ("wrk", "nginx") if shutil.which(tool) is None]
    if missing:
        print(f"feed servers not measured: {' and '.join(missing)} missing (make bench installs them)")
        return []
    plan = rv.plan_programme(_sixteen_week_profile(catalog), catalog)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as folder, _postgres() as postgres:
        sqlite = str(Path(folder) / "feeds.sqlite")
        locations = {"sqlite": sqlite, **({"postgresql": postgres[0]} if postgres else {})}
        database_pids = {"sqlite": [], "postgresql": [postgres[1]] if postgres else []}
        tokens = {}
        for name, location in locations.items():
            with rv.open_store(location, handouts=False) as store:
                tokens[name] = store.publish(plan, base_url="https://feeds.example.nl").rsplit("/", 1)[1][:-4]
                if name == "sqlite":
                    export_static(store, Path(folder) / "public")
        with _nginx(Path(folder) / "public", workers=2) as (port, pid):
            results["nginx"] = _measure(port, [pid], f"/feeds/{tokens['sqlite']}.ics", seconds)
        for name, location in locations.items():
            for workers in (1, 2):
                with _feed_server(location, workers) as (port, pid):
                    pids = [pid, *database_pids[name]]
                    results[f"{name}-{workers}"] = _measure(port, pids, f"/feeds/{tokens[name]}.ics", seconds)
    reference = results["nginx"]
    rows = []
    for kind in ("conditional", "full"):
        answer = "304" if kind == "conditional" else "200"
        nginx_rate = reference[kind]["requests_per_second"]
        rows.append(
            _row(
                f"nginx, static export, {kind} GET",
                nginx_rate,
                "req/s",
                1_000,
                True,
                answer=answer,
                errors=reference[kind]["errors"],
                server_cpu_us_per_request=reference[kind]["server_cpu_us_per_request"],
                worker_processes=2,
            )
        )
        for key, result in results.items():
            if key == "nginx":
                continue
            store_name, workers = key.rsplit("-", 1)
            rate = result[kind]["requests_per_second"]
            ratio = round(rate / nginx_rate, 2)
            # Two workers should reach half of nginx's rate; one worker the per-process target of 1,000/s.
            target = round(nginx_rate * 0.5) if workers == "2" else 1_000
            rows.append(
                _row(
                    f"feed server, {store_name}, {workers} worker{'s' if workers == '2' else ''}, {kind} GET",
                    rate,
                    "req/s",
                    target,
                    True,
                    answer=answer,
                    of_nginx=ratio,
                    server_cpu_us_per_request=result[kind]["server_cpu_us_per_request"],
                    errors=result[kind]["errors"],
                    requests=result[kind]["requests"],
                    calendar_bytes=result["calendar_bytes"],
                )
            )
    return rows


# --- a red check-in until the revised calendar is served -------------------------------------------------------

CHECKIN_REPORTS = 60
CHECKIN_REPORTS_PER_FEED = 2
"""Each to another session the page offers (today's and the one before): a red report repeated on a session
revises the plan to the same calendar, so the feed would serve nothing new. Far below the page's limit of 30
reports per feed per hour."""
CHECKIN_BUDGET_S = 60.0
_FORM = re.compile(r'name="session" value="([^"]+)">\s*<input type="hidden" name="csrf" value="([^"]+)"')


def _request(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    body: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[int, str, bytes]:
    connection.request(method, path, body=body.encode() or None, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    return response.status, response.getheader("etag") or "", data


def _highest_sequence(calendar: bytes) -> int:
    return max((int(n) for n in re.findall(rb"\r\nSEQUENCE:(\d+)", calendar)), default=0)


def _red_checkins(port: int, tokens: list[str], reports: int, budget_s: float) -> dict[str, Any]:
    """``reports`` red reports, each from the check-in page, timed until the calendar serves the revision.

    Each round: GET the check-in page, take an offered session and its form token, POST a red report, then
    GET the calendar with the ETag from before until it answers with a new one. The time is from the POST to
    that answer; the page's GET is timed apart.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    etags = {token: _request(connection, "GET", f"/feeds/{token}.ics")[1] for token in tokens}
    first_sequence = {
        token: _highest_sequence(_request(connection, "GET", f"/feeds/{token}.ics")[2]) for token in tokens
    }
    to_revision, page_ms, polls, errors = [], [], 0, 0
    sequence_rose = 0
    deadline = time.monotonic() + budget_s
    for n in range(reports):
        if time.monotonic() > deadline:
            break
        token = tokens[(n // CHECKIN_REPORTS_PER_FEED) % len(tokens)]
        start = time.perf_counter()
        status, _, page = _request(connection, "GET", f"/checkin/{token}")
        page_ms.append((time.perf_counter() - start) * 1000)
        offered = _FORM.findall(page.decode())
        if status != 200 or not offered:
            raise RuntimeError(f"the check-in page answered {status} with {len(offered)} forms")
        if len(offered) < CHECKIN_REPORTS_PER_FEED:
            raise RuntimeError(f"the check-in page offers {len(offered)} sessions")
        session_id, csrf = offered[n % CHECKIN_REPORTS_PER_FEED]
        fields = {"session": session_id, "csrf": csrf, "status": "done", "pain_before": "1", "pain_during": "7"}
        start = time.perf_counter()
        status, _, _ = _request(
            connection,
            "POST",
            f"/checkin/{token}",
            urllib.parse.urlencode(fields),
            {"content-type": "application/x-www-form-urlencoded"},
        )
        if status != 200:
            errors += 1
            continue
        while True:
            status, etag, calendar = _request(
                connection, "GET", f"/feeds/{token}.ics", headers={"if-none-match": etags[token]}
            )
            polls += 1
            if status == 200 and etag != etags[token]:
                break
            if status != 304:
                raise RuntimeError(f"the calendar answered {status}")
            if time.perf_counter() - start > 30:
                raise RuntimeError("the calendar did not change within 30 s of a red report")
        to_revision.append((time.perf_counter() - start) * 1000)
        etags[token] = etag
        if _highest_sequence(calendar) > first_sequence[token]:
            sequence_rose += 1
    connection.close()
    warm = to_revision[1:]
    return {
        "cold_ms": round(to_revision[0], 1),
        "median_ms": round(statistics.median(warm), 1),
        "p99_ms": round(statistics.quantiles(warm, n=100, method="inclusive")[98], 1),
        "max_ms": round(max(warm), 1),
        "page_median_ms": round(statistics.median(page_ms[1:]), 1),
        "reports": len(to_revision),
        "feeds": len({tokens[(n // CHECKIN_REPORTS_PER_FEED) % len(tokens)] for n in range(len(to_revision))}),
        "calendar_gets": polls,
        "sequence_rose": sequence_rose,
        "errors": errors,
    }


def checkin_figures(catalog: rv.Catalog, reports: int) -> list[dict[str, Any]]:
    """A red report on the check-in page until the revised calendar is served: per store, 1 worker."""
    today = dt.date.today()
    start = today - dt.timedelta(days=today.weekday() + 14)  # two Mondays ago: the page offers sessions today
    plan = rv.plan_programme(_sixteen_week_profile(catalog, start_date=start.isoformat()), catalog)
    feeds = -(-reports // CHECKIN_REPORTS_PER_FEED)
    rows = []
    with tempfile.TemporaryDirectory() as folder, _postgres() as postgres:
        locations = {"sqlite": str(Path(folder) / "feeds.sqlite"), **({"postgresql": postgres[0]} if postgres else {})}
        for name, location in locations.items():
            with rv.open_store(location, handouts=False) as store:
                tokens = [
                    store.publish(attrs.evolve(plan, id=f"checkin-{n}"), base_url="https://feeds.example.nl")
                    .rsplit("/", 1)[1]
                    .removesuffix(".ics")
                    for n in range(feeds)
                ]
            with _feed_server(location, 1) as (port, _):
                result = _red_checkins(port, tokens, reports, CHECKIN_BUDGET_S)
            rows.append(
                _row(
                    f"red check-in to revised calendar, {name}, median",
                    result["median_ms"],
                    "ms",
                    500,
                    False,
                    **result,
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results.json"))
    parser.add_argument("--clients", type=int, default=200, help="clients in the batch benchmark (default: 200)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes in the batch benchmark (default: 2)")
    parser.add_argument("--quick", action="store_true", help="shorter runs, for a smoke test")
    parser.add_argument(
        "--only",
        choices=["feeds", "checkin"],
        help="run only these benchmarks (feeds: the feed servers; checkin: a red report until the revised calendar)",
    )
    args = parser.parse_args()
    repeats = 5 if args.quick else 20

    catalog = rv.load_catalog()
    plan = rv.plan_programme(_sixteen_week_profile(catalog), catalog)
    rows = []
    if args.only is None:
        rows += [
            *plans_per_second(catalog, repeats),
            *handout_figures(catalog, repeats),
            language_ratio(catalog, repeats),
            ics_ms(plan, repeats),
            figure_ms(catalog, repeats),
            *startup_figures(repeats),
            batch_figures(catalog, args.clients, args.jobs),
        ]
    if args.only in (None, "feeds"):
        rows += feed_servers(catalog, seconds=2.0 if args.quick else 8.0)
    if args.only in (None, "checkin"):
        rows += checkin_figures(catalog, reports=15 if args.quick else CHECKIN_REPORTS)
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark':{width}}  {'figure':>12}  {'target':>14}  result")
    for row in rows:
        figure = f"{row['figure']:g} {row['unit']}"
        target = f"{row['target']} {row['unit']}"
        print(f"{row['name']:{width}}  {figure:>12}  {target:>14}  {'pass' if row['pass'] else 'FAIL'}")
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": machine, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
