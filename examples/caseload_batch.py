"""Plan a whole caseload at once: every profile in a folder becomes NAME.pdf, NAME.ics and NAME.json.

Usage:
    python examples/caseload_batch.py --out out/caseload [--profiles examples/profiles] [--jobs 2]

The clients are planned in parallel worker processes. Run it twice: the second run redoes nothing, because
no profile, catalog file or library version changed (see docs/batch.md). A client whose screening needs a
referral is listed with what to do; a broken profile is listed with its problems; the others carry on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import revalidatie as rv

PROFILES = Path(__file__).resolve().parent / "profiles"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plan every client profile in a folder, in parallel.")
    parser.add_argument("--out", type=Path, default=Path("out/caseload"), help="folder to write to")
    parser.add_argument("--profiles", type=Path, default=PROFILES, help="folder with the client profiles")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default: 2)")
    args = parser.parse_args(argv)

    profiles = sorted(args.profiles.glob("*.toml"))
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = rv.render_batch(profiles, args.out, executor=pool)

    for result in results:
        if result.status is rv.BatchStatus.OK:
            note = " (unchanged)" if result.reused else ""
            print(f"{result.client}: {', '.join(path.name for path in result.files)}{note}")
        elif result.status is rv.BatchStatus.REFERRAL:
            print(f"{result.client}: referral required")
            for finding in result.findings:
                print(f"  [{finding.urgency}] {finding.action}")
        else:
            print(f"{result.source}: not planned", file=sys.stderr)
            for problem in result.problems:
                print(f"  error: {problem}", file=sys.stderr)
    done = sum(result.status is rv.BatchStatus.OK for result in results)
    reused = sum(result.reused for result in results)
    print(f"{done} of {len(results)} clients planned ({reused} unchanged since the last run)")
    return 1 if any(result.status is rv.BatchStatus.ERROR for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
