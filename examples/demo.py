"""Plan every example client in examples/profiles/ and write a handout, a calendar, a plan and a summary each.

Usage:
    python examples/demo.py --out out

For each profile NAME.toml the client's PDF handout is written to OUT/NAME.pdf, the calendar to OUT/NAME.ics,
the plan to OUT/NAME.json and the physio's summary to OUT/NAME.summary.pdf, and the plan's phases are printed
(this is what `make demo` runs). A client whose
red-flag screening stops planning gets the findings printed instead of a plan; the demo carries on with the
next client.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import revalidatie as rv

PROFILES = Path(__file__).resolve().parent / "profiles"


def print_plan(plan: rv.Plan) -> None:
    """Print the phases, the length and the warnings of a plan, in the client's language."""
    language = plan.profile.language
    runs = [session for session in plan.sessions if session.run_minutes > 0]
    print(f"{plan.profile.name}: {plan.protocol.name(language)}")
    print(f"  {plan.start} to {plan.end}: {len(plan.weeks)} weeks, {len(plan.sessions)} sessions, {len(runs)} runs")
    for placed in plan.phases:
        print(f"  {placed.start}  {placed.weeks:2d} wk  {placed.phase.name(language)}")
    for warning in plan.warnings:
        print(f"  ! {rv.warning_text(warning, plan, language)}")


def report_referral(referral: rv.ReferralRequired) -> None:
    """Print what screening found and what the client should do."""
    print(f"{referral.client}: REFERRAL REQUIRED, no plan made")
    for finding in referral.findings:
        print(f"  [{finding.urgency}] {finding.question}")
        print(f"      -> {finding.action}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Plan every example client; write OUT/NAME.pdf, .ics, .json and .summary.pdf."
    )
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder to write the plans to (default: out)")
    parser.add_argument(
        "--profiles", type=Path, default=PROFILES, help="folder with the client profiles (default: examples/profiles)"
    )
    args = parser.parse_args(argv)

    catalog = rv.load_catalog()
    failed = 0
    for path in sorted(args.profiles.glob("*.toml")):
        try:
            profile = rv.load_profile(path)
            plan = rv.plan_programme(profile, catalog, source=str(path))
        except rv.ReferralRequired as referral:
            report_referral(referral)
        except rv.InputError as error:
            failed += 1
            print(f"{path.name}: not planned", file=sys.stderr)
            for problem in error.problems:
                print(f"  error: {problem}", file=sys.stderr)
        else:
            written = [
                rv.write_pdf(plan, args.out / f"{path.stem}.pdf"),
                rv.write_json(plan, args.out / f"{path.stem}.json"),
                rv.write_ics(plan, args.out / f"{path.stem}.ics"),
                rv.write_summary(plan, args.out / f"{path.stem}.summary.pdf"),
            ]
            print_plan(plan)
            for file in written:
                print(f"  -> {file}")
        print()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
