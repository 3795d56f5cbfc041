"""Exercise figures: pose data in the catalog, its validation, the kinematics and the drawings."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Drawing

import revalidatie as rv
from revalidatie.catalog import _load, bundled_catalog_dir, load_catalog_folders
from revalidatie.export import _figure_drawing as drawing
from revalidatie.export._figure_geometry import HEAD_RADIUS, LIMB_RADIUS, project
from revalidatie.export._marks import Disc, Label, Marks
from revalidatie.export._marks import Path as MarkPath
from revalidatie.export.figures import exercise_marks
from revalidatie.model.exercise import Equipment
from revalidatie.model.pose import Base, Direction, Figure, Joint, Limbs, Pose, PropKind, Push, View

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def catalog_case(data_dir: Path) -> Callable[[str], Path]:
    def folder(case: str) -> Path:
        path = data_dir / "catalogs" / case
        assert path.is_dir(), f"missing test data folder {path}"
        return path

    return folder


def _broken(catalog_case: Callable[[str], Path], case: str) -> rv.Problem:
    with pytest.raises(rv.CatalogError) as info:
        load_catalog_folders([bundled_catalog_dir(), catalog_case(case)])
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


# --- every bundled exercise is drawn ---


def test_every_bundled_exercise_has_a_figure(catalog: rv.Catalog) -> None:
    assert len(catalog.exercises) >= 50
    missing = [e.id for e in catalog.exercises.values() if e.figure is None]
    assert missing == []
    assert catalog.warnings == ()


def test_every_bundled_figure_renders_as_drawing_and_svg(catalog: rv.Catalog) -> None:
    for exercise in catalog.exercises.values():
        drawing = rv.exercise_drawing(exercise, width=300, height=130, language="en")
        assert isinstance(drawing, Drawing)
        assert (drawing.width, drawing.height) == (300, 130)
        root = ET.fromstring(rv.exercise_svg(exercise, language="nl").encode("utf-8"))
        assert root.tag == f"{SVG}svg", exercise.id
        # A figure is limbs (polylines) and a head (circle), not an empty canvas.
        assert len(root.findall(f".//{SVG}circle")) >= 1, exercise.id
        assert len(root.findall(f".//{SVG}polyline")) + len(root.findall(f".//{SVG}path")) >= 8, exercise.id


def test_single_leg_figures_mark_the_working_leg_in_both_languages(catalog: rv.Catalog) -> None:
    marked = [e for e in catalog.exercises.values() if e.figure is not None and e.figure.working is not None]
    assert len(marked) >= 20
    exercise = catalog.exercises["bridge-single-leg"]
    assert "werkbeen" in rv.exercise_svg(exercise, language="nl")
    assert "working leg" in rv.exercise_svg(exercise, language="en")
    assert "werkbeen" not in rv.exercise_svg(catalog.exercises["bridge-double-leg"], language="nl")


def test_each_side_exercises_that_load_one_leg_name_it(catalog: rv.Catalog) -> None:
    one_leg = ("bridge-single-leg", "step-up", "squat-single-leg", "clamshell", "side-plank", "hip-hike")
    for exercise_id in one_leg:
        figure = catalog.exercises[exercise_id].figure
        assert figure is not None
        assert figure.working is not None, exercise_id


def test_svg_is_deterministic_across_processes(catalog: rv.Catalog) -> None:
    exercise = catalog.exercises["clamshell"]
    first = rv.exercise_svg(exercise, language="en")
    assert rv.exercise_svg(exercise, language="en") == first
    code = (
        "import sys, revalidatie as rv; "
        "sys.stdout.write(rv.exercise_svg(rv.load_catalog().exercises['clamshell'], language='en'))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "7"}
    ).stdout
    assert other == first


def test_write_exercise_svg_writes_the_same_text(catalog: rv.Catalog, tmp_path: Path) -> None:
    exercise = catalog.exercises["squat-double-leg"]
    written = rv.write_exercise_svg(exercise, tmp_path / "sub" / "squat.svg", language="en")
    assert written.read_text(encoding="utf-8") == rv.exercise_svg(exercise, language="en")
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["squat.svg"]


def test_drawing_an_exercise_without_figure_is_a_clear_error(catalog: rv.Catalog) -> None:
    bare = catalog.exercises["clamshell"].model_copy(update={"figure": None})
    with pytest.raises(rv.CatalogError, match="has no figure"):
        rv.exercise_drawing(bare)
    with pytest.raises(ValueError, match="at least 40 x 30"):
        rv.exercise_drawing(catalog.exercises["clamshell"], width=10, height=10)


# --- what is done: bands, pushes, holds and the working leg ---

# The handout's figure slot, 40 x 52 mm less its cell padding, in points.
HANDOUT = (97.4, 147.4)


def _marks(exercise: rv.Exercise, language: str = "en", size: tuple[float, float] = HANDOUT) -> Marks:
    return exercise_marks(exercise, size[0], size[1], language)


def _refigured(exercise: rv.Exercise, **changes: object) -> rv.Exercise:
    assert exercise.figure is not None
    return exercise.model_copy(update={"figure": exercise.figure.model_copy(update=changes)})


def _strokes(marks: Marks, colour: object) -> list[MarkPath]:
    return [m for m in marks.items if isinstance(m, MarkPath) and m.stroke == colour]


def _arrow_heads(marks: Marks) -> list[MarkPath]:
    return [m for m in _strokes(marks, drawing.PUSH) if m.closed]


def _stopwatches(marks: Marks) -> list[Disc]:
    return [m for m in marks.items if isinstance(m, Disc) and m.stroke == drawing.PUSH and m.fill == drawing.HALO]


def _svg_colour(colour: object) -> str:
    from reportlab.lib.colors import Color

    assert isinstance(colour, Color)
    return f"rgb({int(colour.red * 100)}%,{int(colour.green * 100)}%,{int(colour.blue * 100)}%)"


def test_banded_exercises_draw_their_band_in_the_svg(catalog: rv.Catalog) -> None:
    band = f"stroke: {_svg_colour(drawing.BAND)}"
    for exercise_id in ("bridge-banded", "clamshell", "abduction-static-supine", "monster-walk"):
        exercise = catalog.exercises[exercise_id]
        assert band in rv.exercise_svg(exercise, language="en"), exercise_id
        assert exercise.figure is not None
        bandless = _refigured(exercise, props=tuple(p for p in exercise.figure.props if p.kind is not PropKind.BAND))
        assert band not in rv.exercise_svg(bandless, language="en"), exercise_id


def test_a_band_round_both_knees_is_one_flat_band_across_both_legs(catalog: rv.Catalog) -> None:
    marks = _marks(catalog.exercises["abduction-static-supine"])
    (band,) = _strokes(marks, drawing.BAND)
    # Legs are the thickest three-point limbs (hip, knee, ankle); arms are drawn thinner.
    limbs = [m for m in marks.items if isinstance(m, MarkPath) and m.stroke == drawing.NEAR and len(m.points) == 3]
    legs = [limb for limb in limbs if limb.width == max(m.width for m in limbs)]
    knees = [leg.points[1][1] for leg in legs]
    # Seen from above the legs lie across the picture; the band runs from beyond the lower knee to beyond the
    # upper one, and is wider than a hairline.
    ys = sorted(y for _, y in band.points)
    assert band.width > 1.5
    assert len(knees) == 2
    assert ys[0] < min(knees)
    assert ys[1] > max(knees)


def test_every_exercise_done_with_a_band_shows_it(catalog: rv.Catalog) -> None:
    for exercise in catalog.exercises.values():
        if Equipment.BAND in exercise.equipment:
            assert exercise.figure is not None
            assert any(p.kind is PropKind.BAND for p in exercise.figure.props), exercise.id
            assert _strokes(_marks(exercise), drawing.BAND), exercise.id


def test_isometric_push_has_an_arrow_against_a_stop_and_a_hold_mark(catalog: rv.Catalog) -> None:
    exercise = catalog.exercises["abduction-static-supine"]
    figure = exercise.figure
    assert figure is not None
    assert figure.hold
    assert len(figure.push) == 2
    marks = _marks(exercise)
    pushes = _strokes(marks, drawing.PUSH)
    heads = _arrow_heads(marks)
    bars = [m for m in pushes if not m.closed and m.cap == 1 and len(m.points) == 2]
    assert len(heads) == 2  # one arrow per knee
    assert len(bars) >= 4  # each shaft and the stop bar at its tip
    assert len(_stopwatches(marks)) == 1
    moving = _marks(_refigured(exercise, hold=False))
    assert _stopwatches(moving) == []
    assert len(_arrow_heads(moving)) == 2
    assert len(_strokes(moving, drawing.PUSH)) == 4  # arrows without stop bars
    assert _arrow_heads(_marks(_refigured(exercise, push=()))) == []
    assert _strokes(_marks(_refigured(exercise, hold=False, push=())), drawing.PUSH) == []


def test_push_arrows_point_the_way_of_the_push(catalog: rv.Catalog) -> None:
    # Seen from above, the left knee is at the top of the picture: out is up there, and down for the right.
    marks = _marks(catalog.exercises["abduction-static-supine"])
    tips = sorted(head.points[0][1] for head in _arrow_heads(marks))
    centre = HANDOUT[1] / 2
    assert tips[0] < centre < tips[1]
    shafts = [m for m in _strokes(marks, drawing.PUSH) if m.width == 1.6 and len(m.points) == 2]
    outward = [abs(tip[1] - centre) > abs(tail[1] - centre) for tail, tip in (s.points for s in shafts[:1])]
    assert outward == [True]
    # Standing side-on to a wall on its right (the left of the picture), the knee pushes to the left.
    wall = catalog.exercises["abduction-static-standing"]
    (head,) = _arrow_heads(_marks(wall))
    tip, left, right = head.points
    assert tip[0] < min(left[0], right[0])


def test_every_isometric_exercise_is_drawn_as_a_hold(catalog: rv.Catalog) -> None:
    isometric = [e for e in catalog.exercises.values() if e.category is rv.Category.ISOMETRIC]
    assert len(isometric) >= 5
    for exercise in isometric:
        assert exercise.figure is not None
        assert exercise.figure.hold, exercise.id
        assert len(_stopwatches(_marks(exercise))) == 1, exercise.id


def test_every_bundled_push_is_drawn(catalog: rv.Catalog) -> None:
    """A push that points at the viewer is left out; none of the bundled ones may."""
    pushed = [e for e in catalog.exercises.values() if e.figure is not None and e.figure.push]
    assert len(pushed) >= 4
    for exercise in pushed:
        assert exercise.figure is not None
        assert len(_arrow_heads(_marks(exercise))) == len(exercise.figure.push), exercise.id


def test_a_push_at_the_viewer_is_left_out(catalog: rv.Catalog) -> None:
    # In a level side view a knee pressed outward points straight at the reader: no arrow could show that.
    bridge = catalog.exercises["bridge-banded"]
    edge_on = _refigured(bridge, push=(Push(at=Joint.RIGHT_KNEE, direction=Direction.OUT),))
    assert _arrow_heads(_marks(edge_on)) == []
    upward = _refigured(bridge, push=(Push(at=Joint.PELVIS, direction=Direction.UP),))
    assert len(_arrow_heads(_marks(upward))) == 1


def test_the_working_leg_is_in_the_accent_colour_and_the_other_leg_muted(catalog: rv.Catalog) -> None:
    # Seen from the front both legs are equally near; single-leg work still singles out one leg.
    exercise = catalog.exercises["hip-hike"]
    marks = _marks(exercise)
    legs = [m for m in marks.items if isinstance(m, MarkPath) and len(m.points) == 3 and m.width > 2]
    colours = sorted({str(leg.stroke) for leg in legs})
    assert str(drawing.WORKING) in colours
    assert str(drawing.FAR) in colours
    both = _refigured(exercise, working=None)
    legs = [m for m in _marks(both).items if isinstance(m, MarkPath) and len(m.points) == 3 and m.width > 2]
    assert {str(leg.stroke) for leg in legs} == {str(drawing.NEAR)}


def test_figures_say_what_is_done_with_symbols_not_words(catalog: rv.Catalog) -> None:
    for exercise_id in ("abduction-static-supine", "glute-activation", "clamshell", "bridge-banded"):
        exercise = catalog.exercises[exercise_id]
        for language in ("nl", "en"):
            labels = [m.text for m in _marks(exercise, language).items if isinstance(m, Label)]
            expected = (
                []
                if exercise.figure is None or exercise.figure.working is None
                else [{"nl": "werkbeen", "en": "working leg"}[language]]
            )
            assert labels == expected, (exercise_id, language)


@pytest.mark.parametrize("size_mm", [(35, 40), (40, 52), (45, 55), (35, 55), (45, 40)])
def test_every_figure_stays_inside_a_handout_slot(catalog: rv.Catalog, size_mm: tuple[int, int]) -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from revalidatie.export.pdf import _styles

    _styles.register_fonts()  # the handout's font, wider than Helvetica
    width, height = size_mm[0] * mm - 16, size_mm[1] * mm
    for exercise in catalog.exercises.values():
        marks = _marks(exercise, "nl", (width, height))
        watch = _stopwatches(marks)
        for item in marks.items:
            if isinstance(item, Disc):
                xs = [item.centre[0] - item.radius, item.centre[0] + item.radius]
                ys = [item.centre[1] - item.radius, item.centre[1] + item.radius]
            elif isinstance(item, Label):
                right = item.at[0] + stringWidth(item.text, _styles.REGULAR, item.size)
                xs, ys = [item.at[0], right], [item.at[1], item.at[1] + item.size]
                if watch:
                    assert right < watch[0].centre[0] - watch[0].radius, exercise.id
            else:
                xs, ys = [p[0] for p in item.points], [p[1] for p in item.points]
            assert min(xs) >= -0.5, (exercise.id, item)
            assert min(ys) >= -0.5, (exercise.id, item)
            assert max(xs) <= width + 0.5, (exercise.id, item)
            assert max(ys) <= height + 0.5, (exercise.id, item)


def test_top_view_looks_down_with_the_head_left_and_the_right_side_below() -> None:
    body = project(Pose(trunk=-90), View.TOP)
    assert body.points["head"][0] < body.points["pelvis"][0] < body.points["left-knee"][0]
    assert body.points["right-knee"][1] < body.points["pelvis"][1] < body.points["left-knee"][1]


def test_top_view_figure_has_no_floor_line_and_a_mat_round_the_body(catalog: rv.Catalog) -> None:
    marks = _marks(catalog.exercises["glute-activation"])
    assert _strokes(marks, drawing.FLOOR) == []
    mats = [m for m in marks.items if isinstance(m, MarkPath) and m.fill == drawing.MAT_FILL]
    assert len(mats) == 1
    ys = [y for _, y in mats[0].points]
    assert max(ys) - min(ys) > 20  # a mat seen from above, not its edge


# --- the figures read as their exercise ---


def _floor_height(pose: Pose, view: View = View.SIDE) -> dict[str, float]:
    """Joint heights above the lowest point of the body surface."""
    body = project(pose, view)
    low = body.lowest()
    return {name: y - low for name, (_, y) in body.points.items()}


def test_bridge_lifts_the_hips_while_head_and_feet_stay_down(catalog: rv.Catalog) -> None:
    figure = catalog.exercises["bridge-double-leg"].figure
    assert figure is not None
    assert figure.end is not None
    assert figure.base is Base.SUPINE
    start, end = _floor_height(figure.start), _floor_height(figure.end)
    assert end["pelvis"] - start["pelvis"] > 0.15
    assert end["head"] - HEAD_RADIUS < 0.03
    for foot in ("left-heel", "right-heel"):
        assert end[foot] - LIMB_RADIUS < 0.03
        assert start[foot] - LIMB_RADIUS < 0.03


def test_squat_lowers_the_hips_with_the_feet_flat(catalog: rv.Catalog) -> None:
    figure = catalog.exercises["squat-double-leg"].figure
    assert figure is not None
    assert figure.end is not None
    start, end = _floor_height(figure.start), _floor_height(figure.end)
    assert start["pelvis"] - end["pelvis"] > 0.3
    for name in ("left-heel", "left-toe"):
        assert end[name] - LIMB_RADIUS < 0.02


def test_standing_figures_keep_the_head_above_the_hips(catalog: rv.Catalog) -> None:
    for exercise in catalog.exercises.values():
        figure = exercise.figure
        assert figure is not None
        if figure.base is not Base.STANDING:
            continue
        for pose in (figure.start, figure.end):
            if pose is not None:
                heights = _floor_height(pose, figure.view)
                assert heights["head"] > heights["pelvis"] + 0.3, exercise.id


def test_side_plank_lifts_the_hips_off_the_floor(catalog: rv.Catalog) -> None:
    figure = catalog.exercises["side-plank"].figure
    assert figure is not None
    assert figure.end is not None
    assert figure.view is View.FRONT
    start, end = _floor_height(figure.start, View.FRONT), _floor_height(figure.end, View.FRONT)
    assert end["pelvis"] > start["pelvis"] + 0.05


def test_zero_pose_stands_upright_with_the_right_side_nearest_in_side_view() -> None:
    body = project(Pose(), View.SIDE)
    assert body.points["head"][1] > body.points["neck"][1] > body.points["pelvis"][1] > body.points["left-knee"][1]
    assert body.depth["right-hip"] > body.depth["left-hip"]
    front = project(Pose(), View.FRONT)
    # Facing the reader, the figure's right side is on the left of the page.
    assert front.points["right-hip"][0] < front.points["left-hip"][0]


def test_right_side_defaults_to_the_left() -> None:
    pose = Pose(left=Limbs(knee=40))
    assert pose.side(rv.Side.RIGHT).knee == 40  # type: ignore[arg-type]


# --- validation ---


def test_knee_beyond_its_range_is_rejected_with_file_field_and_value(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-knee-hyperextended")
    assert problem.source.endswith("pose-knee-hyperextended/exercises/bad-knee.toml")
    assert problem.field == "exercise[bad-knee].figure.start.left.knee"
    assert "between -10 and 160 degrees" in problem.message
    assert problem.value == "-25"


def test_start_pose_that_contradicts_the_base_is_rejected(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-base-mismatch")
    assert problem.field == "exercise[wrong-base].figure"
    assert "base supine needs a start `trunk` angle between -135 and -40" in problem.message
    assert "(got 90)" in problem.message


def test_band_without_its_two_ends_is_rejected(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-band-without-ends")
    assert problem.field == "exercise[loose-band].figure.props[1]"
    assert "a band needs `between`" in problem.message


def test_prop_at_an_unknown_joint_is_rejected(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-unknown-joint")
    assert problem.field == "exercise[wrist-wall].figure.props[1].at"
    assert problem.value == "'left-wrist'"
    assert "'left-hand'" in problem.message


def test_push_in_or_out_needs_a_sided_point(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-push-without-side")
    assert problem.field == "exercise[pelvis-out].figure.push[1]"
    assert "`out` is towards or away from the midline, so it needs a left- or right- point" in problem.message
    assert "(not pelvis)" in problem.message


def test_top_view_of_a_standing_figure_is_rejected(catalog_case: Callable[[str], Path]) -> None:
    problem = _broken(catalog_case, "pose-top-view-standing")
    assert problem.field == "exercise[standing-from-above].figure"
    assert 'view "top" looks down on a figure lying on its back or front' in problem.message
    assert "not standing" in problem.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"view": "top", "base": "supine", "elevation": 20, "start": {"trunk": -90}}, "remove `elevation`"),
        (
            {"view": "top", "base": "supine", "start": {"trunk": -90}, "props": [{"kind": "wall", "at": "left-hand"}]},
            "wall needs view side or front",
        ),
        (
            {"base": "standing", "start": {}, "push": [{"at": "anchor", "direction": "up"}]},
            "`anchor` is a post, not a body point",
        ),
        (
            {
                "base": "standing",
                "start": {},
                "push": [{"at": "left-knee", "direction": "out"}, {"at": "left-knee", "direction": "up"}],
            },
            "left-knee has two pushes",
        ),
        ({"base": "standing", "start": {}, "hold": "yes"}, "must be true or false"),
    ],
)
def test_bad_hold_and_push_data_is_rejected_with_a_fix(data: dict[str, object], message: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match=message):
        Figure.model_validate(data)


def test_practice_exercise_without_figure_is_a_warning(catalog_case: Callable[[str], Path]) -> None:
    merged = rv.load_catalog(catalog_case("practice-without-figure"))
    assert "no-picture-practice" in merged.exercises
    assert len(merged.warnings) == 1
    warning = merged.warnings[0]
    assert warning.field == "exercise[no-picture-practice].figure"
    assert warning.source.endswith("practice-without-figure/exercises/no-picture-practice.toml")
    assert "has no figure" in warning.message


def test_bundled_exercise_without_figure_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "catalog"
    shutil.copytree(bundled_catalog_dir(), copy)
    path = copy / "exercises" / "bridges.toml"
    text = path.read_text(encoding="utf-8")
    block_start = text.index('[exercise.figure]\nview = "side"\nbase = "supine"\nprops = [{ kind = "mat" }]\n')
    block_end = text.index("\n\n", block_start)
    path.write_text(text[:block_start] + text[block_end:], encoding="utf-8")
    monkeypatch.setattr(_load, "bundled_catalog_dir", lambda: copy)
    with pytest.raises(rv.CatalogError) as info:
        load_catalog_folders([copy])
    assert [p.field for p in info.value.problems] == ["exercise[bridge-double-leg].figure"]


def test_svg_styles_are_valid_css(catalog: rv.Catalog) -> None:
    # reportlab writes absent paint as "None"; viewers read that as the default black fill.
    for exercise in catalog.exercises.values():
        root = ET.fromstring(rv.exercise_svg(exercise).encode("utf-8"))
        for element in root.iter():
            style = element.get("style")
            if not style:
                continue
            for declaration in filter(None, (part.strip() for part in style.split(";"))):
                name, _, value = declaration.partition(":")
                value = value.strip()
                if name.strip() in ("fill", "stroke"):
                    assert value == "none" or value.startswith(("rgb(", "#")), (exercise.id, declaration)


def test_svg_title_is_the_escaped_exercise_name(catalog: rv.Catalog) -> None:
    exercise = catalog.exercises["clamshell"].model_copy(
        update={"name": rv.Localized(nl="Schelp <met> band & co", en="Clamshell")}
    )
    root = ET.fromstring(rv.exercise_svg(exercise, language="nl").encode("utf-8"))
    assert root.findtext(f"{SVG}title") == "Schelp <met> band & co"
    assert root.findtext(f"{SVG}desc") == "Beginhouding en eindhouding van de oefening."


def test_every_stroke_in_pdf_operators_sets_its_own_width_caps_joins_and_dash() -> None:
    """A band drawn as a circle after a dashed motion arrow (bridge-banded) must not come out dashed."""
    from reportlab.lib import colors

    from revalidatie.export._marks import Disc, Marks, Path, pdf_operators

    marks = Marks(
        100,
        100,
        (
            Path(((0, 0), (10, 10)), colors.black, 1.0, dashed=True, cap=1, join=1),
            Disc((50, 50), 5, None, colors.black, 2.0),
            Path(((0, 0), (10, 0), (10, 10)), None, 0.0, fill=colors.black, closed=True),
        ),
    )
    lines = pdf_operators(marks).splitlines()
    assert lines[0] == "q"
    assert lines[-1] == "Q"
    assert [line for line in lines if " RG " in line] == [
        "0 0 0 RG 1 w 1 J 1 j [3 2] 0 d",
        "0 0 0 RG 2 w 0 J 0 j [] 0 d",
    ]
    assert [line for line in lines if line in ("S", "f", "B", "n")] == ["S", "S", "f"]
