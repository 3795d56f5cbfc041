"""A practice's own protocol: write a catalog folder with a protocol TOML, load it and plan with it.

Usage:
    python examples/custom_protocol.py --out out

Writes OUT/practice-catalog/protocols/zuidpark-walk-jog-km.toml, loads it over the bundled catalog with
``rv.load_catalog(folder)`` (the CLI does the same with ``revalidatie --catalog FOLDER ...``), plans the
hip-overload example client with it and writes OUT/lukasz-nowak-zuidpark.json.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import revalidatie as rv
from revalidatie.export.text import describe_dose

PROFILE = Path(__file__).resolve().parent / "profiles" / "hip-overload.toml"
PROTOCOL_ID = "zuidpark-walk-jog-km"

# Two weeks of strength, then a walk/jog table that ends in distances (km and miles), then the bundled
# build-up. Every field is described in docs/protocol-format.md.
PROTOCOL = """\
id = "zuidpark-walk-jog-km"
source = "Fysiotherapie Zuidpark practice protocol (2026), after Goom, Donnelly & Brockwell 2019"
conditions = ["hip-overload", "itbs"]

[name]
nl = "Zuidpark: terug naar 5 kilometer"
en = "Zuidpark: back to 5 kilometres"

[summary]
nl = "Twee weken kracht, dan wandelen en joggen op tijd en daarna op afstand, tot je 5 kilometer achter elkaar jogt."
en = "Two weeks of strength, then walking and jogging by time and then by distance, until you jog 5 km in one go."

[deload]
every_weeks = 3
volume_factor = 0.8

[caps]
single_run_increase = 0.10
weekly_increase = 0.15

[[phases]]
id = "zuidpark-strength"
min_weeks = 2
max_weeks = 4

[phases.name]
nl = "Sterke basis"
en = "Strong base"

[phases.goal]
nl = "Bil- en heupspieren sterk genoeg maken om weer te gaan joggen."
en = "Make the buttock and hip muscles strong enough to start jogging again."

[phases.strength]
sessions_per_week = 2

[[phases.strength.exercises]]
exercise = "bridge-double-leg"
dose = { kind = "reps", sets = 2, reps = 10, load = { kind = "effort", level = "somewhat-hard" } }
progression = { reps_step = 2, reps_max = 14, sets_step = 1, sets_max = 3, harder = true }

[[phases.strength.exercises]]
exercise = "clamshell"
dose = { kind = "reps", sets = 2, reps = 12, load = { kind = "band", colour = "yellow" } }
progression = { reps_step = 3, reps_max = 15, band_up = true }

[phases.cross_training]
sessions_per_week = 2
options = [
  { exercise = "cycling", dose = { kind = "duration", minutes = 30, intensity = { kind = "rpe", low = 3, high = 5 } } },
  { exercise = "brisk-walk", dose = { kind = "duration", minutes = 30 } },
]

[[phases]]
id = "zuidpark-walk-jog"
min_weeks = 2
max_weeks = 12
deload = false

[phases.name]
nl = "Wandelen en joggen"
en = "Walk and jog"

[phases.goal]
nl = "5 kilometer achter elkaar joggen, zonder meer klachten de volgende ochtend."
en = "Jog 5 km in one go, without more symptoms the next morning."

[[phases.entry]]
exercise = "brisk-walk"
dose = { kind = "duration", minutes = 30 }

[phases.running]
kind = "stages"
sessions_per_week = 3
min_sessions_per_stage = 2
rest_days_between = 1
on_symptoms = "rest-then-previous-stage"
intensity = { kind = "talk-test", level = "full-sentences" }
stages = [
  { kind = "intervals", repeats = 1, segments = [
    { pace = "walk", minutes = 10 }, { pace = "jog", minutes = 5 }, { pace = "walk", minutes = 5 },
  ] },
  { kind = "intervals", repeats = 1, segments = [
    { pace = "walk", minutes = 10 }, { pace = "jog", minutes = 10 }, { pace = "walk", minutes = 5 },
  ] },
  { kind = "intervals", repeats = 1, segments = [
    { pace = "walk", minutes = 10 }, { pace = "jog", minutes = 15 }, { pace = "walk", minutes = 5 },
  ] },
  { kind = "distance", amount = 3 },
  { kind = "distance", amount = 2.5, unit = "mi" },
  { kind = "distance", amount = 5, unit = "km" },
]

[phases.strength]
sessions_per_week = 2

[[phases.strength.exercises]]
exercise = "bridge-single-leg"
dose = { kind = "reps", sets = 3, reps = 10 }
progression = { reps_step = 1, reps_max = 15 }

[[phases]]
include = "build-up"
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a practice catalog with its own protocol and plan with it.")
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder to write to (default: out)")
    args = parser.parse_args(argv)

    folder = args.out / "practice-catalog"
    (folder / "protocols").mkdir(parents=True, exist_ok=True)
    (folder / "protocols" / f"{PROTOCOL_ID}.toml").write_text(PROTOCOL, encoding="utf-8")
    catalog = rv.load_catalog(folder)  # the bundled catalog with the practice's files merged over it

    profile = rv.load_profile(PROFILE)
    # Validate again, so a typo in the protocol id is caught here rather than by the planner.
    profile = rv.ClientProfile.model_validate({**profile.model_dump(), "protocol": PROTOCOL_ID})
    plan = rv.plan_programme(profile, catalog)

    language = "en"
    print(f"{plan.profile.name}: {plan.protocol.name(language)}")
    for placed in plan.phases:
        print(f"  {placed.start} to {placed.end} ({placed.weeks} wk): {placed.phase.name(language)}")
    print("\nWalk/jog sessions:")
    for session in plan.sessions:
        if session.stage is not None:
            run = session.items[0]
            print(f"  {session.date}  stage {session.stage}: {describe_dose(run.dose, language)}")
    for warning in plan.warnings:
        print(f"! {rv.warning_text(warning, plan, language)}")
    print("\nWritten:", rv.write_json(plan, args.out / "lukasz-nowak-zuidpark.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
