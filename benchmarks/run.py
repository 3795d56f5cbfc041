"""Benchmarks: figures printed as a table and written as JSON. Never run as timed assertions in tests."""

from __future__ import annotations

import argparse
import http.client
import json
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import revalidatie as rv


def _sixteen_week_profile(catalog: rv.Catalog) -> rv.ClientProfile:
    # Hip overload for a client running 15 pain-free minutes: settle, strength, single-leg, walk/run, build-up.
    return rv.parse_profile(
        {
            "name": "Benchmark Client",
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
    )


def plans_per_second(catalog: rv.Catalog, seconds: float = 3.0) -> dict[str, Any]:
    profile = _sixteen_week_profile(catalog)
    plan = rv.plan_programme(profile, catalog)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        rv.plan_programme(profile, catalog)
        count += 1
    elapsed = time.perf_counter() - start
    return {"plans_per_second": round(count / elapsed, 1), "weeks": len(plan.weeks), "sessions": len(plan.sessions)}


def ics_render_ms(catalog: rv.Catalog, repeats: int = 50) -> dict[str, Any]:
    """Median time to render the 16-week plan's calendar (target: 20 ms or less)."""
    plan = rv.plan_programme(_sixteen_week_profile(catalog), catalog)
    data = rv.render_ics(plan, alarm_minutes=30)  # warms the VTIMEZONE cache, as a server would be warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        rv.render_ics(plan, alarm_minutes=30)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
        "events": data.count(b"BEGIN:VEVENT"),
        "bytes": len(data),
    }


def pdf_render(catalog: rv.Catalog, repeats: int = 10) -> dict[str, Any]:
    """Render the 16-week client's handout: first render (fonts load), then the median of warm renders."""
    profile = _sixteen_week_profile(catalog)
    plan = rv.plan_programme(profile, catalog)
    start = time.perf_counter()
    data = rv.render_pdf(plan, subscription_url="https://feeds.example/c/benchmark.ics")
    first_ms = (time.perf_counter() - start) * 1000
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        rv.render_pdf(plan, subscription_url="https://feeds.example/c/benchmark.ics")
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    tracemalloc.start()
    rv.render_pdf(plan, subscription_url="https://feeds.example/c/benchmark.ics")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "weeks": len(plan.weeks),
        "sessions": len(plan.sessions),
        "bytes": len(data),
        "first_render_ms": round(first_ms, 1),
        "render_ms_median": round(statistics.median(wall), 1),
        "render_cpu_ms_median": round(statistics.median(cpu), 1),
        "peak_traced_mb": round(peak / 1e6, 1),
        "process_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def figure_render(catalog: rv.Catalog, repeats: int = 3) -> dict[str, Any]:
    """Draw every bundled exercise figure (reportlab Drawing) and render it to SVG; median over repeats."""
    exercises = list(catalog.exercises.values())
    drawing_ms, svg_ms, svg_bytes = [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        for exercise in exercises:
            rv.exercise_drawing(exercise)
        drawing_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        svg_bytes = sum(len(rv.exercise_svg(exercise).encode("utf-8")) for exercise in exercises)
        svg_ms.append((time.perf_counter() - start) * 1000)
    return {
        "exercises": len(exercises),
        "drawings_ms_median": round(statistics.median(drawing_ms), 1),
        "drawing_ms_each": round(statistics.median(drawing_ms) / len(exercises), 2),
        "svgs_ms_median": round(statistics.median(svg_ms), 1),
        "svg_kb_mean": round(svg_bytes / len(exercises) / 1024, 1),
    }


def import_ms(repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import revalidatie"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    baseline = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times) - statistics.median(baseline), 1)


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


def _load(
    connection: http.client.HTTPConnection, path: str, headers: dict[str, str], max_requests: int, max_seconds: float
) -> tuple[int, float, set[int]]:
    """Send GETs on one keep-alive connection until either limit is reached; return count, seconds, statuses."""
    statuses: set[int] = set()
    count, start = 0, time.perf_counter()
    while count < max_requests and time.perf_counter() - start < max_seconds:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        statuses.add(response.status)
        count += 1
    return count, time.perf_counter() - start, statuses


def feed_server(catalog: rv.Catalog, max_requests: int = 5_000, max_seconds: float = 20.0) -> dict[str, Any]:
    """Conditional and full GETs of a published calendar from the real server (uvicorn) on loopback.

    One client on one keep-alive connection (http.client), so the figure is per connection; each loop stops
    at ``max_requests`` or ``max_seconds``, whichever comes first.
    """
    plan = rv.plan_programme(_sixteen_week_profile(catalog), catalog)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "feeds.sqlite"
        with rv.FeedStore(db, handouts=False) as store:
            token = store.publish(plan, base_url="https://feeds.example.nl").rsplit("/", 1)[1].removesuffix(".ics")
        port = _free_port()
        command = [sys.executable, "-m", "revalidatie", "serve", "--db", str(db), "--port", str(port)]
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_ready(port, server)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            path = f"/feeds/{token}.ics"
            connection.request("GET", path)
            first = connection.getresponse()
            body = first.read()
            etag = first.getheader("etag") or ""
            count, seconds, statuses = _load(connection, path, {"If-None-Match": etag}, max_requests, max_seconds)
            if statuses != {304}:
                raise RuntimeError(f"conditional GETs answered {sorted(statuses)}, expected only 304")
            full, full_seconds, full_statuses = _load(connection, path, {}, max_requests // 5, max_seconds / 4)
            if full_statuses != {200}:
                raise RuntimeError(f"full GETs answered {sorted(full_statuses)}, expected only 200")
            connection.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {
        "conditional_get_304_per_second": round(count / seconds, 1),
        "conditional_requests": count,
        "full_get_200_per_second": round(full / full_seconds, 1),
        "full_get_mib_per_second": round(full * len(body) / full_seconds / 2**20, 1),
        "calendar_bytes": len(body),
        "target_per_second": 1_000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    catalog = rv.load_catalog()
    results = {
        "planning": plans_per_second(catalog),
        "ics_render_16_weeks": ics_render_ms(catalog),
        "pdf_16_weeks": pdf_render(catalog),
        "figures_all_exercises": figure_render(catalog),
        "import_revalidatie_ms": import_ms(),
        "feed_server": feed_server(catalog),
    }
    for name, value in results.items():
        print(f"{name:28} {value}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
