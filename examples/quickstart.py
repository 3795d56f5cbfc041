"""Quickstart: describe a client in Python, plan the programme, print the first week and write the plan JSON."""

import argparse
import datetime as dt
from pathlib import Path

import revalidatie as rv
from revalidatie.export.text import describe_dose

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the plan JSON (default: out)")
out: Path = parser.parse_args().out

catalog = rv.load_catalog()
profile = rv.ClientProfile(
    name="Anna de Vries",
    language="en",
    condition="gluteal-tendinopathy",
    side="left",
    start_date=dt.date(2027, 1, 4),
    available_days=["mon", "tue", "thu", "sat"],
    running={"pain_free_minutes": 15, "weekly_minutes_before": 120, "longest_run_last_30_days": 20},
    cross_training={"bike": True},
    screening={"answers": dict.fromkeys(catalog.red_flags, False)},  # every question answered "no"
)
plan = rv.plan_programme(profile, catalog)

for placed in plan.phases:
    print(f"{placed.start} to {placed.end} ({placed.weeks} wk): {placed.phase.name('en')}")
for session in (s for s in plan.sessions if s.week == 1):
    print(f"\n{session.date:%A %d %B}, {session.kind}, about {session.minutes} min")
    for item in session.items:
        exercise = plan.exercises[item.exercise_id]
        print(f"  - {exercise.name('en')}: {describe_dose(item.dose, 'en', exercise.laterality)}")
print("\nWritten:", rv.write_json(plan, out / "anna-de-vries.json"))
