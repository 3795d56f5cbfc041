"""Revise a plan with the client's session logs and show which sessions changed.

Usage:
    python examples/revise_plan.py --out out

Plans examples/profiles/gluteal-tendinopathy.toml, reads the logs of her third week from
examples/logs/gluteal-tendinopathy-week-3.toml, revises the plan as of the Monday of week 4 and writes both
revisions (OUT/sule-revision-1.json and OUT/sule-revision-2.json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import revalidatie as rv
from revalidatie.export.text import describe_dose

EXAMPLES = Path(__file__).resolve().parent
PROFILE = EXAMPLES / "profiles" / "gluteal-tendinopathy.toml"
LOGS = EXAMPLES / "logs" / "gluteal-tendinopathy-week-3.toml"
AS_OF = dt.date(2027, 1, 25)  # Monday of week 4: every session before it stays as it was
SHOW = 8  # changed sessions to print in full


def describe(plan: rv.Plan, session: rv.Session) -> str:
    """One line per session: what the client does that day."""
    parts = []
    for item in session.items:
        exercise = plan.exercises[item.exercise_id]
        parts.append(f"{exercise.name('en')} {describe_dose(item.dose, 'en', exercise.laterality)}")
    return "; ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plan, revise with session logs, and show what changed.")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder to write to (default: out)")
    args = parser.parse_args(argv)

    catalog = rv.load_catalog()
    plan = rv.plan_programme(rv.load_profile(PROFILE), catalog)
    logs = rv.load_session_logs(LOGS)
    print(f"Logs of {plan.profile.name}:")
    for log in logs:
        if log.zone is None:
            print(f"  {log.session_id:<18} not done")
            continue
        morning = "?" if log.pain_next_morning is None else log.pain_next_morning
        print(f"  {log.session_id:<18} pain {log.pain_during}/10, next morning {morning}/10: {log.zone.value}")

    revised = rv.revise(plan, logs, as_of=AS_OF, source=str(LOGS))
    before = {session.id: session for session in plan.sessions}
    changed = [s for s in revised.sessions if s.revision == revised.revision]
    note = revised.history[-1]
    print(f"\nRevision {note.number} as of {note.as_of}: {note.changed} sessions changed, {note.cancelled} cancelled")
    for session in changed[:SHOW]:
        old = before.get(session.id)
        print(f"\n  {session.id} (week {session.week})")
        print(f"    was: {describe(plan, old) if old is not None else '(new session)'}")
        print(f"    now: {describe(revised, session)}")
    if len(changed) > SHOW:
        print(f"\n  ... and {len(changed) - SHOW} more")
    for cancelled in revised.cancelled:
        print(f"  cancelled: {cancelled.session.id}")
    print(f"\nPhases now: {', '.join(f'{p.phase.id} ({p.weeks} wk)' for p in revised.phases)}")

    print("\nWritten:", rv.write_json(plan, args.out / "sule-revision-1.json"))
    print("Written:", rv.write_json(revised, args.out / "sule-revision-2.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
