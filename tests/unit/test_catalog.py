"""The bundled catalog, a practice's own catalog folder merged over it, and broken catalog folders."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import revalidatie as rv
from revalidatie.catalog import bundled_catalog_dir, load_catalog_folders
from revalidatie.model.common import Localized, LocalizedList

CONDITIONS = ("gluteal-tendinopathy", "itbs", "hip-overload", "labral-tear", "hip-osteoarthritis")


@pytest.fixture
def catalog_case(data_dir: Path) -> Callable[[str], Path]:
    """The folder of one prepared catalog case under tests/data/catalogs/."""

    def folder(case: str) -> Path:
        path = data_dir / "catalogs" / case
        assert path.is_dir(), f"missing test data folder {path}"
        return path

    return folder


@pytest.fixture
def load_broken(catalog_case: Callable[[str], Path]) -> Callable[[str], rv.CatalogError]:
    """Load the bundled catalog with a broken case folder over it and return the CatalogError it must raise."""

    def load(case: str) -> rv.CatalogError:
        with pytest.raises(rv.CatalogError) as info:
            load_catalog_folders([bundled_catalog_dir(), catalog_case(case)])
        return info.value

    return load


# --- the bundled catalog ---


def test_bundled_catalog_has_at_least_forty_exercises(catalog: rv.Catalog) -> None:
    assert len(catalog.exercises) >= 40
    assert all(exercise_id == exercise.id for exercise_id, exercise in catalog.exercises.items())


def test_every_bundled_exercise_has_dutch_and_english_text(catalog: rv.Catalog) -> None:
    for exercise in catalog.exercises.values():
        for field in ("name", "purpose"):
            text = getattr(exercise, field)
            assert isinstance(text, Localized)
            assert text.nl.strip(), f"{exercise.id}.{field}.nl"
            assert text.en.strip(), f"{exercise.id}.{field}.en"
            assert text("nl") == text.nl
            assert text("en") == text.en
        for field in ("steps", "cues", "mistakes"):
            items = getattr(exercise, field)
            assert isinstance(items, LocalizedList)
            assert items.nl, f"{exercise.id}.{field}.nl"
            assert len(items.nl) == len(items.en), f"{exercise.id}.{field}"
            assert all(item.strip() for item in (*items.nl, *items.en)), f"{exercise.id}.{field}"


def test_bundled_texts_differ_between_languages(catalog: rv.Catalog) -> None:
    # A copy-pasted Dutch text in the English field would pass a "not empty" check; names must be translated.
    untranslated = [e.id for e in catalog.exercises.values() if e.name.nl == e.name.en]
    assert len(untranslated) <= len(catalog.exercises) // 10, untranslated


def test_every_ladder_link_resolves_and_every_ladder_ends(catalog: rv.Catalog) -> None:
    links = 0
    for exercise in catalog.exercises.values():
        for link in (exercise.easier, exercise.harder):
            if link is not None:
                links += 1
                assert link in catalog.exercises, f"{exercise.id} -> {link}"
                assert link != exercise.id
        seen = [exercise.id]
        current = exercise.harder
        while current is not None:
            assert current not in seen, f"ladder loops: {[*seen, current]}"
            seen.append(current)
            current = catalog.exercises[current].harder
    assert links >= 10  # the catalog really has ladders, so the loop above checked something


def test_bridge_ladder_runs_from_double_leg_to_single_leg(catalog: rv.Catalog) -> None:
    ladder = ["bridge-double-leg"]
    while (harder := catalog.exercises[ladder[-1]].harder) is not None:
        ladder.append(harder)
    assert ladder == ["bridge-double-leg", "bridge-offset", "bridge-march", "bridge-single-leg"]
    assert catalog.exercises["bridge-single-leg"].easier == "bridge-march"


@pytest.mark.parametrize("condition_id", CONDITIONS)
def test_condition_exists_and_its_aliases_resolve_to_it(catalog: rv.Catalog, condition_id: str) -> None:
    condition = catalog.conditions[condition_id]
    assert catalog.find_condition(condition_id) is condition
    assert condition.aliases, f"{condition_id} has no aliases"
    for alias in condition.aliases:
        assert catalog.find_condition(alias) is condition
    assert condition.default_protocol in catalog.protocols
    assert condition.name.nl
    assert condition.name.en


@pytest.mark.parametrize(
    ("alias", "condition_id"),
    [
        ("gtps", "gluteal-tendinopathy"),
        ("trochanteric-bursitis", "gluteal-tendinopathy"),
        ("iliotibial-band-syndrome", "itbs"),
        ("labrum-tear", "labral-tear"),
        ("hip-oa", "hip-osteoarthritis"),
        ("coxarthrosis", "hip-osteoarthritis"),
    ],
)
def test_known_aliases_resolve(catalog: rv.Catalog, alias: str, condition_id: str) -> None:
    found = catalog.find_condition(alias)
    assert found is not None
    assert found.id == condition_id


@pytest.mark.parametrize("name", ["tennis-elbow", "", "GTPS", "gluteal tendinopathy"])
def test_unknown_condition_names_are_not_found(catalog: rv.Catalog, name: str) -> None:
    assert catalog.find_condition(name) is None


def test_conditions_that_need_a_confirmed_diagnosis(catalog: rv.Catalog) -> None:
    needing = {c.id for c in catalog.conditions.values() if c.requires_confirmation}
    assert needing == {"labral-tear", "hip-osteoarthritis"}


def test_red_flags_are_emergency_or_urgent_with_texts_in_both_languages(catalog: rv.Catalog) -> None:
    assert catalog.red_flags
    urgencies = {flag.urgency for flag in catalog.red_flags.values()}
    assert urgencies == {rv.Urgency.EMERGENCY, rv.Urgency.URGENT}
    assert {u.value for u in urgencies} == {"emergency", "urgent"}
    for flag in catalog.red_flags.values():
        for text in (flag.question, flag.suspicion, flag.action):
            assert text.nl.strip(), flag.id
            assert text.en.strip(), flag.id


def test_every_bundled_protocol_expands_without_duplicate_phases(catalog: rv.Catalog) -> None:
    for protocol_id in catalog.protocols:
        phases = catalog.phases(protocol_id)
        assert phases, protocol_id
        ids = [phase.id for phase in phases]
        assert len(ids) == len(set(ids)), protocol_id
    # The LEAP protocol ends with the included walk/run return and build-up.
    assert [p.id for p in catalog.phases("gluteal-tendinopathy-leap")][-2:] == ["walk-run", "build-up"]


def test_load_catalog_reads_the_bundled_folder(catalog: rv.Catalog) -> None:
    assert catalog.folders == (bundled_catalog_dir(),)
    assert (bundled_catalog_dir() / "red-flags.toml").is_file()


def test_an_empty_practice_folder_changes_nothing(catalog: rv.Catalog, tmp_path: Path) -> None:
    merged = rv.load_catalog(tmp_path)
    assert merged.folders == (bundled_catalog_dir(), tmp_path)
    assert set(merged.exercises) == set(catalog.exercises)
    assert set(merged.protocols) == set(catalog.protocols)


def test_a_practice_folder_that_is_not_a_folder_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    with pytest.raises(rv.CatalogError) as info:
        rv.load_catalog(missing)
    assert [(p.source, p.field) for p in info.value.problems] == [(str(missing), "")]
    assert "not a folder" in info.value.problems[0].message


# --- a practice's own folder merged over the bundled catalog ---


@pytest.fixture
def practice(catalog_case: Callable[[str], Path], tmp_path: Path) -> rv.Catalog:
    # Copied into tmp_path so the test also covers a folder outside the repository, as a practice has.
    folder = tmp_path / "practice"
    shutil.copytree(catalog_case("valid-practice"), folder)
    return rv.load_catalog(folder)


def test_practice_file_overrides_a_bundled_exercise_by_id(catalog: rv.Catalog, practice: rv.Catalog) -> None:
    assert catalog.exercises["bridge-double-leg"].name.en == "Double-leg bridge"
    overridden = practice.exercises["bridge-double-leg"]
    assert overridden.name.nl == "Brug (praktijkversie)"
    assert overridden.name.en == "Bridge (practice version)"
    # The rest of the bundled catalog, including the override's ladder, is untouched.
    assert overridden.harder == "bridge-offset"
    assert practice.exercises["bridge-offset"] == catalog.exercises["bridge-offset"]


def test_practice_file_adds_a_new_exercise(catalog: rv.Catalog, practice: rv.Catalog) -> None:
    assert "banded-side-step-practice" not in catalog.exercises
    added = practice.exercises["banded-side-step-practice"]
    assert added.name.en == "Banded side step"
    assert added.laterality is rv.Laterality.EACH_DIRECTION
    assert len(practice.exercises) == len(catalog.exercises) + 1


def test_practice_protocol_includes_a_bundled_protocol(catalog: rv.Catalog, practice: rv.Catalog) -> None:
    assert "practice-return" not in catalog.protocols
    phases = practice.phases("practice-return")
    assert [phase.id for phase in phases] == ["practice-strength", *[p.id for p in catalog.phases("walk-run-20")]]
    assert phases[1:] == catalog.phases("walk-run-20")


def test_a_profile_can_use_the_practice_protocol(practice: rv.Catalog, data_dir: Path) -> None:
    profile = rv.load_profile(data_dir / "profiles" / "full.toml")
    plan = rv.plan_programme(profile.model_copy(update={"protocol": "practice-return"}), practice)
    assert plan.protocol.id == "practice-return"
    assert plan.phases[0].phase.id == "practice-strength"
    prescribed = {item.exercise_id for session in plan.sessions for item in session.items}
    assert "banded-side-step-practice" in prescribed


def test_only_protocols_folders_inside_the_catalog_folder_hold_protocols(
    catalog_case: Callable[[str], Path], tmp_path: Path
) -> None:
    # The practice keeps its catalog under a folder that happens to be called "protocols"; its exercise
    # files must still be read as exercises.
    folder = tmp_path / "protocols" / "practice"
    shutil.copytree(catalog_case("valid-practice"), folder)
    merged = rv.load_catalog(folder)
    assert "banded-side-step-practice" in merged.exercises
    assert "practice-return" in merged.protocols


def test_later_folders_override_earlier_ones_in_order(catalog_case: Callable[[str], Path], tmp_path: Path) -> None:
    second = tmp_path / "second" / "exercises"
    second.mkdir(parents=True)
    text = (catalog_case("valid-practice") / "exercises" / "override.toml").read_text(encoding="utf-8")
    (second / "override.toml").write_text(text.replace("praktijkversie", "tweede map"), encoding="utf-8")
    merged = load_catalog_folders([bundled_catalog_dir(), catalog_case("valid-practice"), tmp_path / "second"])
    assert merged.exercises["bridge-double-leg"].name.nl == "Brug (tweede map)"
    assert "banded-side-step-practice" in merged.exercises


# --- broken catalog folders ---


def only_problem(error: rv.CatalogError) -> rv.Problem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def test_unknown_field_names_file_field_and_value(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("unknown-field"))
    assert problem.source.endswith("unknown-field/exercises/typo.toml")
    assert problem.field == "exercise[typo-exercise].nmae"
    assert "not a known field" in problem.message
    assert problem.value == "{'nl': 'Zijstap', 'en': 'Side step'}"


def test_missing_dutch_text_names_the_field(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("missing-nl"))
    assert problem.source.endswith("missing-nl/exercises/missing.toml")
    assert problem.field == "exercise[english-only].name.nl"
    assert problem.message == "is required but missing"
    assert problem.value is None


def test_ladder_link_to_unknown_exercise(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("unknown-ladder"))
    assert problem.source.endswith("unknown-ladder/exercises/ladder.toml")
    assert problem.field == "exercise[ladder-start].harder"
    assert "unknown exercise" in problem.message
    assert problem.value == "'no-such-exercise'"


def test_ladder_that_loops_back(load_broken: Callable[[str], rv.CatalogError]) -> None:
    error = load_broken("ladder-loop")
    assert [p.field for p in error.problems] == ["exercise[loop-a].harder", "exercise[loop-b].harder"]
    for problem in error.problems:
        assert problem.source.endswith("ladder-loop/exercises/loop.toml")
    first, second = error.problems
    assert first.message == "the ladder of harder variants loops back (loop-a -> loop-b -> loop-a); a ladder must end"
    assert first.value == "'loop-b'"  # the value written in the named field
    assert second.value == "'loop-a'"


def test_alias_already_used_by_a_bundled_condition(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("alias-clash"))
    assert problem.source.endswith("alias-clash/conditions.toml")
    assert problem.field == "condition[lateral-hip-pain].aliases"
    assert "'gluteal-tendinopathy'" in problem.message
    assert problem.value == "'gtps'"


def test_duplicate_id_in_one_folder_names_both_files(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("duplicate-id"))
    assert problem.source.endswith("duplicate-id/exercises/second.toml")
    assert problem.field == "exercise[twice-defined]"
    assert "already used" in problem.message
    assert "duplicate-id/exercises/first.toml" in problem.message


def test_include_cycle_between_two_protocols(load_broken: Callable[[str], rv.CatalogError]) -> None:
    error = load_broken("include-cycle")
    by_file = {Path(p.source).name: p for p in error.problems}
    assert set(by_file) == {"cycle-a.toml", "cycle-b.toml"}
    assert by_file["cycle-a.toml"].field == "phases"
    assert "cycle-a -> cycle-b -> cycle-a" in by_file["cycle-a.toml"].message
    assert "cycle-b -> cycle-a -> cycle-b" in by_file["cycle-b.toml"].message


def test_include_of_unknown_protocol(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("unknown-include"))
    assert problem.source.endswith("unknown-include/protocols/unknown-include.toml")
    assert problem.field == "phases[2].include"
    assert "unknown protocol" in problem.message
    assert problem.value == "'no-such-protocol'"


def test_invalid_toml_syntax_names_file_line_and_column(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("invalid-toml"))
    assert problem.source.endswith("invalid-toml/exercises/syntax.toml")
    assert problem.field == ""
    assert "is not valid TOML" in problem.message
    assert "line 4, column 13" in problem.message


def test_non_utf8_file_names_file_and_byte_offset(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("non-utf8"))
    assert problem.source.endswith("non-utf8/exercises/latin1.toml")
    raw = Path(problem.source).read_bytes()
    offset = raw.index("é".encode("latin-1"))
    assert f"is not UTF-8 text (bad byte at offset {offset})" in problem.message


def test_unknown_top_level_table(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("bad-table"))
    assert problem.source.endswith("bad-table/exercises/plural.toml")
    assert problem.field == "exercises"
    assert "[[exercise]], [[condition]], [[red_flag]]" in problem.message


def test_contraindication_naming_unknown_condition(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("unknown-contraindication"))
    assert problem.source.endswith("unknown-contraindication/exercises/contra.toml")
    assert problem.field == "exercise[contra-exercise].contraindications[1].condition"
    assert "unknown condition" in problem.message
    assert problem.value == "'no-such-condition'"


def test_protocol_referencing_unknown_exercise(load_broken: Callable[[str], rv.CatalogError]) -> None:
    problem = only_problem(load_broken("protocol-unknown-exercise"))
    assert problem.source.endswith("protocol-unknown-exercise/protocols/unknown-exercise.toml")
    assert problem.field == "phases[1].strength.exercises[1].exercise"
    assert "unknown exercise" in problem.message
    assert problem.value == "'no-such-exercise'"


def test_broken_case_folders_fail_the_same_through_load_catalog(
    catalog_case: Callable[[str], Path], load_broken: Callable[[str], rv.CatalogError]
) -> None:
    with pytest.raises(rv.CatalogError) as info:
        rv.load_catalog(catalog_case("unknown-ladder"))
    assert info.value.problems == load_broken("unknown-ladder").problems


def test_problems_from_several_files_are_all_reported(catalog_case: Callable[[str], Path], tmp_path: Path) -> None:
    for case in ("unknown-field", "invalid-toml", "non-utf8"):
        shutil.copytree(catalog_case(case), tmp_path / case)
    with pytest.raises(rv.CatalogError) as info:
        rv.load_catalog(tmp_path)
    names = sorted(Path(p.source).name for p in info.value.problems)
    assert names == ["latin1.toml", "syntax.toml", "typo.toml"]
    message = str(info.value)
    lines = message.splitlines()
    assert lines[0] == "3 problems:"
    assert len(lines) == 4
    assert all(line.startswith(f"  {tmp_path}") for line in lines[1:])


def test_one_problem_reads_as_one_line(load_broken: Callable[[str], rv.CatalogError]) -> None:
    error = load_broken("unknown-ladder")
    text = str(error)
    assert "\n" not in text
    assert text.endswith(
        "ladder.toml: exercise[ladder-start].harder: names an unknown exercise; check the id or add the exercise"
        " (got 'no-such-exercise')"
    )


def test_catalog_error_is_a_value_error_and_a_revalidatie_error(load_broken: Callable[[str], rv.CatalogError]) -> None:
    error = load_broken("missing-nl")
    assert isinstance(error, ValueError)
    assert isinstance(error, rv.InputError)
    assert isinstance(error, rv.RevalidatieError)
    assert not isinstance(error, rv.ProfileError)
    assert error.kind == "catalog"


def test_entry_without_usable_id_is_named_by_position(tmp_path: Path) -> None:
    # With no id to show, the entry is named by its 1-based position in the file.
    (tmp_path / "flags.toml").write_text(
        '[[red_flag]]\nid = "fine-flag"\nurgency = "urgent"\n'
        'question = { nl = "Vraag?", en = "Question?" }\n'
        'suspicion = { nl = "Iets.", en = "Something." }\n'
        'action = { nl = "Bel.", en = "Call." }\n\n'
        '[[red_flag]]\nurgency = "soon"\n',
        encoding="utf-8",
    )
    with pytest.raises(rv.CatalogError) as info:
        load_catalog_folders([tmp_path])
    fields = {p.field: p for p in info.value.problems}
    assert fields["red_flag[2].urgency"].value == "'soon'"
    assert "red_flag[2].id" in fields
    assert "red_flag[2].question" in fields
    assert not any(field.startswith("red_flag[1]") for field in fields)


def test_table_written_once_instead_of_as_array(tmp_path: Path) -> None:
    (tmp_path / "one.toml").write_text('[exercise]\nid = "single"\n', encoding="utf-8")
    with pytest.raises(rv.CatalogError) as info:
        load_catalog_folders([tmp_path])
    problem = only_problem(info.value)
    assert problem.field == "exercise"
    assert "write [[exercise]]" in problem.message
    assert problem.value == "{'id': 'single'}"


def test_a_union_member_name_is_not_part_of_the_field_path(tmp_path: Path) -> None:
    folder = tmp_path / "practice" / "protocols"
    folder.mkdir(parents=True)
    source = Path(__file__).parents[1] / "data" / "catalogs" / "phase-shapes" / "protocols" / "rest-then-previous.toml"
    folder.joinpath("p.toml").write_text(
        source.read_text(encoding="utf-8").replace('"rest-then-previous-stage"', '"rest-first"'), encoding="utf-8"
    )
    with pytest.raises(rv.CatalogError) as info:
        rv.load_catalog(tmp_path / "practice")
    (problem,) = info.value.problems
    assert problem.field == "phases[1].running.on_symptoms"
    assert problem.value == "'rest-first'"
