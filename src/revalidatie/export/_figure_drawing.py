"""Exercise figures as vector marks: line figures, start and end side by side.

The pose geometry comes from ``_figure_geometry``; this module adds props, colours and layout and returns
``_marks.Marks`` in page points. Imported only when a figure is drawn, so ``import revalidatie`` never loads
reportlab.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence

import attrs
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..i18n import texts_for
from ..model.exercise import Category, Exercise
from ..model.pose import Base, BodySide, Figure, Joint, Prop, PropKind, Push, View
from ._figure_geometry import (
    HEAD_RADIUS,
    LIMB_RADIUS,
    SIDES,
    Point,
    Projected,
    page_direction,
    project,
)
from ._marks import Disc, Label, Mark, Marks, Path

NEAR = HexColor("#1f2a44")
FAR = HexColor("#9aa3b5")
WORKING = HexColor("#d9622b")
WORKING_FAR = HexColor("#eeb08c")
PROP_LINE = HexColor("#9c8a76")
PROP_FILL = HexColor("#eee7dd")
MAT_FILL = HexColor("#c9dbe9")
BAND = HexColor("#2e9e6b")
WATER_LINE = HexColor("#2f7fb5")
# Water is painted first in its panel, over white: the opaque colour of a 45% light-blue wash.
WATER_FILL = HexColor("#cbe6f7")
FLOOR = HexColor("#8a94a6")
ARROW = HexColor("#5b6b86")
BALL = HexColor("#f2c14e")
PUSH = HexColor("#2b3f66")
HALO = HexColor("#ffffff")
HOLD_FILL = HexColor("#dfe5ee")

MAT_THICKNESS = 0.03
STEP_HEIGHT = 0.18
LIMB_WIDTH = 2 * LIMB_RADIUS
PUSH_LENGTH = 0.26
"""Length of a push arrow (metres, at body scale)."""


@attrs.frozen
class _Stroke:
    """A polyline in world metres; ``width`` 0 draws a hairline of ``hairline`` points."""

    points: tuple[Point, ...]
    colour: Color
    width: float
    closed: bool = False
    fill: Color | None = None
    dashed: bool = False
    hairline: float = 0.8


@attrs.frozen
class _Disc:
    centre: Point
    radius: float
    fill: Color | None
    stroke: Color | None = None
    width: float = 0.0


_Item = _Stroke | _Disc


@attrs.frozen
class _Panel:
    """One pose placed in the world: floor at y = 0, shared horizontal frame across panels."""

    body: Projected
    floor: bool
    step_top: float | None


def _place(figure: Figure) -> list[_Panel]:
    poses = [figure.start] if figure.end is None else [figure.start, figure.end]
    projected = [project(pose, figure.view, figure.elevation) for pose in poses]
    step = next((p for p in figure.props if p.kind is PropKind.STEP), None)
    panels = []
    for pose, body in zip(poses, projected, strict=True):
        floor = min(body.lowest(), body.floor[0]) - pose.off_floor
        step_top = None
        if step is not None and step.at is not None:
            side = step.at.value.split("-")[0]
            step_top = body.lowest([f"{side}-heel", f"{side}-toe"])
            floor = min(floor, step_top - STEP_HEIGHT)
        if any(p.kind is PropKind.MAT for p in figure.props):
            floor -= MAT_THICKNESS
        if any(p.kind is PropKind.CROSS_TRAINER for p in figure.props):
            floor -= 0.16
        if any(p.kind is PropKind.BIKE for p in figure.props):
            floor = min(floor, _crank(body)[1] - 0.45)
        moved = body.moved(0.0, -floor)
        has_floor = figure.base is not Base.FLOATING and figure.view is not View.TOP
        panels.append(_Panel(moved, has_floor, None if step_top is None else step_top - floor))
    if len(panels) == 2:
        # Keep the planted point still between the panels, so that the movement reads as movement; seen from
        # above nothing is lowest, and the pelvis stays put.
        anchor = "pelvis" if figure.view is View.TOP else _anchor_point(panels[0].body, step)
        dx = panels[0].body.points[anchor][0] - panels[1].body.points[anchor][0]
        panels[1] = attrs.evolve(panels[1], body=panels[1].body.moved(dx, 0.0))
    return panels


def _anchor_point(body: Projected, step: Prop | None) -> str:
    if step is not None and step.at is not None:
        return step.at.value
    candidates = sorted((round(y, 3), name) for name, (_, y) in body.points.items() if name not in ("pelvis", "neck"))
    return candidates[0][1]


def _crank(body: Projected) -> Point:
    left, right = body.points["left-ankle"], body.points["right-ankle"]
    return ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2 - 0.05)


def _side_colours(figure: Figure, first: Projected) -> dict[BodySide, tuple[Color, Color]]:
    """Limb colour (plain, leg) per side; the side further from the viewer is lighter.

    The leg colour is the working colour for the working leg and the light one for the other leg of
    single-leg work, so that the leg that works stands out in every view.
    """
    depth = {
        side: sum(first.depth[f"{side.value}-{j}"] for j in ("hip", "knee", "shoulder", "elbow")) / 4 for side in SIDES
    }
    far = min(SIDES, key=lambda s: depth[s])
    separated = abs(depth[BodySide.LEFT] - depth[BodySide.RIGHT]) > 0.08
    colours = {}
    for side in SIDES:
        plain = FAR if separated and side is far else NEAR
        if figure.working is None:
            leg = plain
        elif figure.working is side:
            leg = WORKING_FAR if plain is FAR else WORKING
        else:
            leg = FAR
        colours[side] = (plain, leg)
    return colours


def _body_items(body: Projected, colours: dict[BodySide, tuple[Color, Color]]) -> list[_Item]:
    pts, depth = body.points, body.depth
    chains: list[tuple[float, list[_Item]]] = []
    for side in SIDES:
        plain, leg_colour = colours[side]
        name = side.value
        # One polyline per limb: round joins at knee and elbow, and fewer shapes for the PDF to write.
        leg: list[_Item] = [
            _Stroke(tuple(pts[f"{name}-{j}"] for j in ("hip", "knee", "ankle")), leg_colour, LIMB_WIDTH),
            _Stroke((pts[f"{name}-ankle"], pts[f"{name}-heel"]), leg_colour, LIMB_WIDTH * 0.8),
            _Stroke((pts[f"{name}-heel"], pts[f"{name}-toe"]), leg_colour, LIMB_WIDTH),
        ]
        leg.extend(_foot_seen_end_on(pts, name, leg_colour))
        leg_depth = sum(depth[f"{name}-{j}"] for j in ("hip", "knee", "ankle")) / 3
        chains.append((leg_depth, leg))
        arm: list[_Item] = [
            _Stroke(tuple(pts[f"{name}-{j}"] for j in ("shoulder", "elbow", "hand")), plain, LIMB_WIDTH * 0.85)
        ]
        arm_depth = sum(depth[f"{name}-{j}"] for j in ("shoulder", "elbow", "hand")) / 3
        chains.append((arm_depth, arm))
    torso_outline = tuple(pts[n] for n in ("left-shoulder", "right-shoulder", "right-hip", "left-hip"))
    torso: list[_Item] = [
        _Stroke(torso_outline, NEAR, LIMB_WIDTH * 0.8, closed=True, fill=NEAR),
        _Stroke((pts["pelvis"], pts["neck"]), NEAR, LIMB_WIDTH * 1.6),
        _Stroke((pts["neck"], pts["head"]), NEAR, LIMB_WIDTH),
        _Disc(pts["head"], HEAD_RADIUS, NEAR),
    ]
    chains.append(((depth["pelvis"] + depth["neck"]) / 2, torso))
    # Painter's order: far chains first; ties keep a fixed order so output is deterministic.
    items: list[_Item] = []
    for _, chain in sorted(chains, key=lambda c: round(c[0], 4)):
        items.extend(chain)
    return items


def _foot_seen_end_on(pts: Mapping[str, Point], side: str, colour: Color) -> Iterator[_Item]:
    """A foot pointing at the viewer shrinks to a dot; draw its width across the shin instead."""
    heel, toe, knee, ankle = (pts[f"{side}-{j}"] for j in ("heel", "toe", "knee", "ankle"))
    if math.dist(heel, toe) > 0.1:
        return
    shin = (ankle[0] - knee[0], ankle[1] - knee[1])
    length = math.hypot(*shin) or 1.0
    across = (-shin[1] / length * 0.05, shin[0] / length * 0.05)
    sole = _mid(heel, toe)
    yield _Stroke(
        ((sole[0] - across[0], sole[1] - across[1]), (sole[0] + across[0], sole[1] + across[1])), colour, LIMB_WIDTH
    )


def _joint(body: Projected, joint: Joint) -> Point:
    return body.points[joint.value]


def _extent(panels: Sequence[_Panel]) -> tuple[float, float]:
    xs = [p[0] for panel in panels for p in panel.body.points.values()]
    return min(xs), max(xs)


def _prop_items(figure: Figure, panels: Sequence[_Panel], index: int) -> tuple[list[_Item], list[_Item]]:
    """Props behind the figure and props in front of it (bands, water), in world coordinates."""
    panel = panels[index]
    body = panel.body
    behind: list[_Item] = []
    front: list[_Item] = []
    low_x, high_x = _extent(panels)
    for prop in figure.props:
        kind = prop.kind
        if kind is PropKind.MAT:
            xs = [p[0] for p in body.points.values()]
            left, right = min(xs) - 0.12, max(xs) + 0.12
            if figure.view is View.TOP:
                ys = [p[1] for p in body.points.values()]
                behind.append(_rect(left, min(ys) - 0.1, right, max(ys) + 0.1, MAT_FILL, MAT_FILL))
                continue
            far_edge = body.floor[1] - body.floor[0] + MAT_THICKNESS
            behind.append(_rect(left, 0.0, right, far_edge, MAT_FILL, MAT_FILL))
        elif kind is PropKind.STEP and prop.at is not None and panel.step_top is not None:
            foot = _joint(body, prop.at)
            outward = 1.0 if foot[0] >= body.points["pelvis"][0] - 0.02 else -1.0
            if figure.view is View.SIDE:
                outward = 1.0
            near_edge, far_edge = foot[0] - outward * 0.14, foot[0] + outward * 0.26
            behind.append(_rect(min(near_edge, far_edge), 0.0, max(near_edge, far_edge), panel.step_top, PROP_FILL))
        elif kind is PropKind.WALL and prop.at is not None:
            behind.extend(_wall(figure, panels, prop.at))
        elif kind in (PropKind.CHAIR, PropKind.BENCH) and prop.at is not None:
            behind.extend(_seat(figure, panels, prop.at, bench=kind is PropKind.BENCH))
        elif kind is PropKind.BAND and prop.between is not None:
            front.extend(_band(figure, panels, index, prop.between, (low_x, high_x)))
        elif kind is PropKind.BALL and prop.at is not None:
            front.append(_Disc(_joint(body, prop.at), 0.065, BALL, PROP_LINE, 0.01))
        elif kind is PropKind.BIKE:
            behind.extend(_bike(body))
        elif kind is PropKind.CROSS_TRAINER:
            behind.extend(_cross_trainer(body))
    return behind, front


def _rect(x0: float, y0: float, x1: float, y1: float, fill: Color, stroke: Color = PROP_LINE) -> _Stroke:
    return _Stroke(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), stroke, 0.0, closed=True, fill=fill)


def _wall(figure: Figure, panels: Sequence[_Panel], at: Joint) -> Iterator[_Item]:
    first = panels[0].body
    centre = first.points["pelvis"][0]
    outward = 1.0 if first.points[at.value][0] >= centre else -1.0
    reach = [panel.body.points[at.value][0] * outward for panel in panels]
    x = max(reach) * outward + outward * LIMB_RADIUS * 1.2
    top = max(max(p[1] for p in panel.body.points.values()) for panel in panels) + 0.25
    yield _Stroke(((x, 0.0), (x, top)), PROP_LINE, 0.03)
    y = 0.1
    while y < top:
        # Hatching on the far side of the wall marks it as solid.
        yield _Stroke(((x + outward * 0.02, y), (x + outward * 0.09, y + 0.07)), PROP_LINE, 0.0)
        y += 0.14


def _seat(figure: Figure, panels: Sequence[_Panel], at: Joint, *, bench: bool) -> Iterator[_Item]:
    positions = [panel.body.points[at.value] for panel in panels]
    held = at in (Joint.LEFT_HAND, Joint.RIGHT_HAND)
    side = figure.view is View.SIDE
    if held:
        hand = max(positions, key=lambda p: p[1])
        centre = panels[0].body.points["pelvis"][0]
        away = 1.0 if hand[0] >= centre else -1.0
        seat_y = 0.46
        back_x = hand[0] + away * 0.03
        far_x = back_x + away * (0.42 if side else 0.1)
        yield _Stroke(((back_x, 0.0), (back_x, hand[1] - 0.01)), PROP_LINE, 0.028)
        yield _Stroke(((back_x, seat_y), (far_x, seat_y)), PROP_LINE, 0.035)
        yield _Stroke(((far_x, 0.0), (far_x, seat_y)), PROP_LINE, 0.028)
        return
    point = min(positions, key=lambda p: p[1])
    if bench:
        top = point[1] - LIMB_RADIUS - 0.02
        x0, x1 = (point[0] - 0.45, point[0] + 0.05) if side else (point[0] - 0.3, point[0] + 0.3)
        yield _rect(x0, 0.0, x1, top, PROP_FILL)
        return
    top = point[1] - 0.09
    if side:
        front_x, back_x = point[0] + 0.14, point[0] - 0.28
        yield _Stroke(((back_x, top), (front_x, top)), PROP_LINE, 0.035)
        yield _Stroke(((front_x, 0.0), (front_x, top)), PROP_LINE, 0.028)
        yield _Stroke(((back_x, 0.0), (back_x, top + 0.45)), PROP_LINE, 0.028)
    else:
        x0, x1 = point[0] - 0.24, point[0] + 0.24
        yield _Stroke(((x0, top), (x1, top)), PROP_LINE, 0.035)
        yield _Stroke(((x0, 0.0), (x0, top)), PROP_LINE, 0.028)
        yield _Stroke(((x1, 0.0), (x1, top)), PROP_LINE, 0.028)


# Where a band sits on the limb below a point: the segment it wraps (from the point towards its neighbour)
# and how far along it. "Just above the knees" is a little way up the thigh.
_BAND_SEAT = {
    "knee": ("hip", 0.16),
    "ankle": ("knee", 0.14),
    "heel": ("toe", 0.2),
    "toe": ("heel", 0.35),
    "hand": ("elbow", 0.12),
    "elbow": ("shoulder", 0.1),
    "hip": ("knee", 0.12),
    "shoulder": ("elbow", 0.1),
}
BAND_WIDTH = 0.028
"""Drawn width of a long band's strand (metres); the cuff where it wraps a limb is wider."""
LOOP_SPAN = 0.5
"""Band ends closer than this (metres) are a loop round both legs, drawn as one flat band across them."""
LOOP_WIDTH = 0.045


def _band_seat(body: Projected, joint: Joint) -> tuple[Point, Point | None]:
    """Where a band meets the body at ``joint``, and the direction across the limb there (None: no limb)."""
    at = body.points[joint.value]
    side, _, part = joint.value.partition("-")
    seat = _BAND_SEAT.get(part)
    if seat is None:
        return at, None
    toward = body.points[f"{side}-{seat[0]}"]
    along = (toward[0] - at[0], toward[1] - at[1])
    length = math.hypot(*along)
    centre = (at[0] + along[0] * seat[1], at[1] + along[1] * seat[1])
    if length < 0.04:
        # The limb points at the viewer: the band round it shows as a ring, drawn as a cuff across it anyway.
        return centre, (1.0, 0.0)
    return centre, (-along[1] / length, along[0] / length)


def _cuff(centre: Point, across: Point, reach: float) -> _Stroke:
    half = reach / 2
    dx, dy = across[0] * half, across[1] * half
    ends = ((centre[0] - dx, centre[1] - dy), (centre[0] + dx, centre[1] + dy))
    return _Stroke(ends, BAND, BAND_WIDTH * 1.5)


def _band(
    figure: Figure, panels: Sequence[_Panel], index: int, between: tuple[Joint, Joint], extent: tuple[float, float]
) -> Iterator[_Item]:
    """A band: a cuff across each limb it wraps, and the strand between them (or to a post)."""
    body = panels[index].body
    cuff = LIMB_WIDTH * 1.9
    if Joint.ANCHOR in between:
        other = between[0] if between[1] is Joint.ANCHOR else between[1]
        start = panels[0].body.points[other.value]
        outward = 1.0 if figure.view is View.SIDE or start[0] >= panels[0].body.points["pelvis"][0] else -1.0
        x = (extent[1] + 0.35) if outward > 0 else (extent[0] - 0.35)
        post = (x, start[1])
        seat, across = _band_seat(body, other)
        yield _Stroke(((x, 0.0), (x, start[1] + 0.1)), PROP_LINE, 0.035)
        yield _Stroke((seat, post), BAND, BAND_WIDTH)
        if across is not None:
            yield _cuff(seat, across, cuff)
        return
    (a, across_a), (b, across_b) = _band_seat(body, between[0]), _band_seat(body, between[1])
    apart = math.dist(a, b)
    if apart < LOOP_SPAN:
        # A loop round both legs (knees, ankles): one flat band across them, a little past each limb, so
        # that it reads as wrapped round them; seen edge-on it is a band across the near leg.
        if apart < 0.07:
            along = across_a or across_b or (1.0, 0.0)
            reach = cuff * 0.6
        else:
            along = ((b[0] - a[0]) / apart, (b[1] - a[1]) / apart)
            reach = LIMB_RADIUS + 0.02
        ends = ((a[0] - along[0] * reach, a[1] - along[1] * reach), (b[0] + along[0] * reach, b[1] + along[1] * reach))
        yield _Stroke(ends, BAND, LOOP_WIDTH)
        return
    yield _Stroke((a, b), BAND, BAND_WIDTH)
    for seat, across in ((a, across_a), (b, across_b)):
        if across is not None:
            yield _cuff(seat, across, cuff)


def _bike(body: Projected) -> Iterator[_Item]:
    """An exercise bike: saddle under the pelvis, crank between the feet, flywheel ahead, bars at the hands."""
    pts = body.points
    crank = _crank(body)
    pelvis = pts["pelvis"]
    hands = _mid(pts["left-hand"], pts["right-hand"])
    saddle = (pelvis[0] - 0.02, pelvis[1] - 0.08)
    wheel = (max(crank[0] + 0.42, hands[0] - 0.05), crank[1] - 0.02)
    post_foot = (wheel[0] + 0.12, 0.04)
    rear_foot = (saddle[0] - 0.3, 0.04)
    yield _Stroke(((rear_foot[0] - 0.12, 0.02), (rear_foot[0] + 0.12, 0.02)), PROP_LINE, 0.04)
    yield _Stroke(((post_foot[0] - 0.14, 0.02), (post_foot[0] + 0.14, 0.02)), PROP_LINE, 0.04)
    yield _Disc(wheel, 0.22, PROP_FILL, PROP_LINE, 0.02)
    # Frame: seat tube to the crank and down to the rear foot, a beam to the front post, the post to the bars.
    yield _Stroke(((saddle[0], saddle[1] - 0.02), crank, rear_foot), PROP_LINE, 0.04)
    yield _Stroke((crank, (wheel[0], wheel[1] + 0.1), post_foot), PROP_LINE, 0.04)
    yield _Stroke(((wheel[0] - 0.02, wheel[1] + 0.1), (hands[0] + 0.03, hands[1] - 0.03)), PROP_LINE, 0.035)
    yield _Stroke(((hands[0] - 0.04, hands[1] - 0.02), (hands[0] + 0.06, hands[1] - 0.03)), PROP_LINE, 0.04)
    yield _Stroke(((saddle[0] - 0.12, saddle[1]), (saddle[0] + 0.1, saddle[1] - 0.01)), PROP_LINE, 0.05)
    yield _Disc(crank, 0.08, PROP_FILL, PROP_LINE, 0.02)
    for side in SIDES:
        foot = _mid(pts[f"{side.value}-heel"], pts[f"{side.value}-toe"])
        yield _Stroke((crank, foot), PROP_LINE, 0.025)


def _cross_trainer(body: Projected) -> Iterator[_Item]:
    pts = body.points
    heels = [pts[f"{s.value}-heel"] for s in SIDES]
    toes = [pts[f"{s.value}-toe"] for s in SIDES]
    hands = [pts[f"{s.value}-hand"] for s in SIDES]
    front_x = max(h[0] for h in hands) + 0.3
    rear_x = min(h[0] for h in heels) - 0.3
    yield _Stroke(((rear_x - 0.2, 0.0), (front_x + 0.15, 0.0)), PROP_LINE, 0.05)
    yield _Stroke(((front_x, 0.0), (front_x, max(h[1] for h in hands) - 0.15)), PROP_LINE, 0.045)
    yield _Disc((rear_x, 0.25), 0.2, PROP_FILL, PROP_LINE, 0.02)
    for heel, toe, hand in zip(heels, toes, hands, strict=True):
        pedal = (heel[0] - 0.02, heel[1] - 0.04), (toe[0] + 0.02, toe[1] - 0.04)
        yield _Stroke(pedal, PROP_LINE, 0.035)
        yield _Stroke(((rear_x, 0.25), _mid(*pedal), (front_x, 0.45)), PROP_LINE, 0.025)
        yield _Stroke((hand, (front_x, hand[1] - 0.4)), PROP_LINE, 0.03)


def _mid(a: Point, b: Point) -> Point:
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _shows_motion_arrow(exercise: Exercise, figure: Figure) -> bool:
    # Cyclic movements (gait, pedalling, a mirrored stride) have no single direction worth an arrow.
    if exercise.category in (Category.WALK, Category.RUN, Category.CROSS_TRAINING, Category.PLYOMETRIC):
        return False
    end = figure.end
    if end is None:
        return False
    start = figure.start
    return not (
        start.side(BodySide.LEFT) == end.side(BodySide.RIGHT) and start.side(BodySide.RIGHT) == end.side(BodySide.LEFT)
    )


def _motion_arrow(panels: Sequence[_Panel], pushed: Collection[str] = ()) -> _Stroke | None:
    """A dashed arrow in the end panel from where the most-moving point started to where it ends.

    None when a push arrow already marks that point (a clamshell's knee): one arrow says it.
    """
    if len(panels) < 2:
        return None
    names = ("pelvis", "left-knee", "right-knee", "left-ankle", "right-ankle")
    start, end = panels[0].body.points, panels[1].body.points
    name = max(names, key=lambda n: (round(math.dist(start[n], end[n]), 3), n))
    # The body's centre moving is usually the point of the exercise (squat, bridge), even when a free foot
    # travels further.
    if math.dist(start["pelvis"], end["pelvis"]) >= 0.6 * math.dist(start[name], end[name]):
        name = "pelvis"
    if math.dist(start[name], end[name]) < 0.12 or name in pushed:
        return None
    return _Stroke((start[name], end[name]), ARROW, 0.0, dashed=True, hairline=1.0)


@attrs.frozen
class _PushArrow:
    """A push arrow in world metres; ``stopped`` draws a bar at its tip: the push meets something that holds."""

    tail: Point
    tip: Point
    stopped: bool

    @property
    def ends(self) -> tuple[Point, Point]:
        return self.tail, self.tip


def _push_arrows(figure: Figure, panel: _Panel) -> list[_PushArrow]:
    """The arrows of the figure's pushes in the last pose, each beside its point on the outside of the body."""
    body = panel.body
    pose = figure.start if figure.end is None else figure.end
    points = body.points
    centre = (sum(p[0] for p in points.values()) / len(points), sum(p[1] for p in points.values()) / len(points))
    walls = {prop.at for prop in figure.props if prop.kind is PropKind.WALL}
    arrows = []
    for push in figure.push:
        dx, dy = page_direction(pose, figure.view, figure.elevation, _side_of(push), push.direction)
        length = math.hypot(dx, dy)
        if length < 0.3:
            # Pointing (nearly) at the viewer: any arrow drawn would show another direction.
            continue
        ux, uy = dx / length, dy / length
        at = points[push.at.value]
        if push.at in walls:
            # Into the wall it touches: the arrow runs over the limb and stops at the wall.
            tip = (at[0] + ux * LIMB_RADIUS, at[1] + uy * LIMB_RADIUS)
            arrows.append(_PushArrow((tip[0] - ux * PUSH_LENGTH, tip[1] - uy * PUSH_LENGTH), tip, False))
            continue
        gap = (HEAD_RADIUS if push.at is Joint.HEAD else LIMB_RADIUS) + 0.035
        start = (at[0] + ux * gap, at[1] + uy * gap)
        away = _PushArrow(start, (start[0] + ux * PUSH_LENGTH, start[1] + uy * PUSH_LENGTH), figure.hold)
        end = (at[0] - ux * gap, at[1] - uy * gap)
        towards = _PushArrow((end[0] - ux * PUSH_LENGTH, end[1] - uy * PUSH_LENGTH), end, False)
        # Drawn on the side of the point away from the rest of the body (pushing out, or pressed in from
        # outside), and never under the floor.
        outside = math.dist(_mid(*away.ends), centre) >= math.dist(_mid(*towards.ends), centre)
        below = panel.floor and away.tip[1] < 0.02
        arrows.append(away if outside and not below else towards)
    return arrows


def _side_of(push: Push) -> BodySide | None:
    side = push.at.value.partition("-")[0]
    return BodySide(side) if side in ("left", "right") else None


def _bounds(items: Sequence[_Item]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for item in items:
        if isinstance(item, _Disc):
            r = item.radius + item.width / 2
            xs += [item.centre[0] - r, item.centre[0] + r]
            ys += [item.centre[1] - r, item.centre[1] + r]
        else:
            half = item.width / 2
            for x, y in item.points:
                xs += [x - half, x + half]
                ys += [y - half, y + half]
    return min(xs), min(ys), max(xs), max(ys)


def figure_marks(exercise: Exercise, figure: Figure, width: float, height: float, language: str) -> Marks:
    """The marks of ``figure`` for ``exercise`` on a ``width`` x ``height`` point canvas."""
    panels = _place(figure)
    colours = _side_colours(figure, panels[0].body)
    layers: list[tuple[list[_Item], list[_Item], list[_Item]]] = []
    for index, panel in enumerate(panels):
        behind, front = _prop_items(figure, panels, index)
        layers.append((behind, _body_items(panel.body, colours), front))
    pushes = _push_arrows(figure, panels[-1])
    pushed = {push.at.value for push in figure.push}
    arrow = _motion_arrow(panels, pushed) if _shows_motion_arrow(exercise, figure) else None
    water = next((p for p in figure.props if p.kind is PropKind.WATER), None)
    water_y = None if water is None or water.at is None else panels[0].body.points[water.at.value][1]

    boxes = [_bounds([*b, *m, *f]) for b, m, f in layers]
    if pushes:
        shafts = [_Stroke((push.tail, push.tip), PUSH, 0.06) for push in pushes]
        x0, y0, x1, y1 = _bounds(shafts)
        last = boxes[-1]
        boxes[-1] = (min(last[0], x0), min(last[1], y0), max(last[2], x1), max(last[3], y1))
    bottom = min(min(box[1] for box in boxes), 0.0 if panels[0].floor else math.inf)
    top = max(box[3] for box in boxes)
    if water_y is not None:
        bottom = min(bottom, water_y - 0.35)
        top = max(top, water_y + 0.1)
    span_w = max(box[2] - box[0] for box in boxes)
    span_h = top - bottom

    margin = 4.0
    legend = 12.0 if figure.working is not None or figure.hold else 0.0
    # Start and end go side by side or one above the other, whichever draws the body larger (a lying figure
    # in a narrow column stacks, a standing one sits side by side). A single pose gets the scale of a pair,
    # so that every figure in a handout has the same body size.
    inner_w, inner_h = width - 2 * margin, height - 2 * margin - legend

    def arrangement(stacked: bool) -> tuple[float, float, float, float]:
        gap = 0.12 * (inner_h if stacked else inner_w)
        slot_w, slot_h = (inner_w, (inner_h - gap) / 2) if stacked else ((inner_w - gap) / 2, inner_h)
        return min(slot_w / span_w, slot_h / span_h) * 0.94, gap, slot_w, slot_h

    side_by_side = arrangement(False)
    stacked = arrangement(True)[0] > side_by_side[0] * 1.05
    scale, gap, slot_w, slot_h = arrangement(True) if stacked else side_by_side
    slots = (
        [(margin, margin + legend + slot_h + gap), (margin, margin + legend)]
        if stacked
        else [
            (margin, margin + legend),
            (margin + slot_w + gap, margin + legend),
        ]
    )
    if len(panels) == 1:
        slots = [((width - slot_w) / 2, margin + legend + (inner_h - slot_h) / 2)]

    marks: list[Mark] = []
    for index, (behind, body_items, front) in enumerate(layers):
        slot_x, slot_y = slots[index]
        box = boxes[index]
        offset_x = slot_x + (slot_w - (box[2] - box[0]) * scale) / 2 - box[0] * scale
        offset_y = slot_y + (slot_h - span_h * scale) / 2 - bottom * scale

        def page(p: Point, ox: float = offset_x, oy: float = offset_y) -> Point:
            return (round(ox + p[0] * scale, 2), round(oy + p[1] * scale, 2))

        if water_y is not None:
            y = page((0.0, water_y))[1]
            corners = ((slot_x, slot_y), (slot_x + slot_w, slot_y), (slot_x + slot_w, y), (slot_x, y))
            marks.append(Path(corners, None, 0.0, fill=WATER_FILL, closed=True))
        if panels[index].floor:
            y = page((0.0, 0.0))[1]
            marks.append(Path(((slot_x, y), (slot_x + slot_w, y)), FLOOR, 1.2))
        marks.extend(_mark(item, page, scale) for item in (*behind, *body_items))
        if index == 1 and arrow is not None:
            marks.extend(_arrow_marks(arrow, page))
        if water_y is not None:
            y = page((0.0, water_y))[1]
            marks.append(Path(((slot_x, y), (slot_x + slot_w, y)), WATER_LINE, 1.5))
        marks.extend(_mark(item, page, scale) for item in front)
        if index == len(layers) - 1:
            for push in pushes:
                marks.extend(_push_marks(push, page))

    if len(panels) == 2:
        size = min(gap * 0.3, 9.0)
        if stacked:
            cx, cy = margin + slot_w / 2, margin + legend + slot_h + gap / 2
            shaft = ((cx, cy + size), (cx, cy - size))
            head = ((cx - size * 0.7, cy), (cx, cy - size), (cx + size * 0.7, cy))
        else:
            cx, cy = margin + slot_w + gap / 2, margin + legend + slot_h / 2
            shaft = ((cx - size, cy), (cx + size, cy))
            head = ((cx, cy + size * 0.7), (cx + size, cy), (cx, cy - size * 0.7))
        marks.append(Path(shaft, ARROW, 2.0, cap=1))
        marks.append(Path(head, ARROW, 2.0, cap=1, join=1))
    watch = 4.2
    if figure.working is not None:
        y = margin + 3
        marks.append(Path(((margin + 2, y + 2.5), (margin + 16, y + 2.5)), WORKING, 4.0, cap=1))
        text = texts_for(language)("handout.working-leg")
        room = width - 2 * margin - 21 - (2 * watch + 4 if figure.hold else 0)
        size = 7.5
        # A narrow figure shrinks the words rather than run them into the hold mark. The caller picks the font;
        # Helvetica's widths plus a fifth cover the handout's DejaVu Sans, about 15% wider.
        while size > 5.5 and stringWidth(text, "Helvetica", size) * 1.2 > room:
            size -= 0.5
        marks.append(Label((margin + 21, y), text, size, NEAR))
    if figure.hold:
        marks.extend(_stopwatch((width - margin - watch - 1, margin + 5.5), watch))
    return Marks(width, height, tuple(marks))


def _mark(item: _Item, page: Callable[[Point], Point], scale: float) -> Mark:
    if isinstance(item, _Disc):
        width = round(max(item.width * scale, 0.6), 2) if item.stroke is not None else 0.0
        return Disc(page(item.centre), round(item.radius * scale, 2), item.fill, item.stroke, width)
    width = round(item.width * scale, 2) if item.width > 0 else item.hairline
    points = tuple(page(p) for p in item.points)
    if item.closed:
        return Path(points, item.colour, width, fill=item.fill, closed=True, dashed=item.dashed, join=1)
    return Path(points, item.colour, width, dashed=item.dashed, cap=1, join=1)


def _push_marks(push: _PushArrow, page: Callable[[Point], Point]) -> Iterator[Path]:
    """A solid arrow with a white edge, so that it reads over a limb; a bar across the tip when stopped."""
    (x0, y0), (x1, y1) = page(push.tail), page(push.tip)
    angle = math.atan2(y1 - y0, x1 - x0)
    size = 4.2
    back = (x1 - size * 0.8 * math.cos(angle), y1 - size * 0.8 * math.sin(angle))
    left = (round(x1 - size * math.cos(angle - 0.5), 2), round(y1 - size * math.sin(angle - 0.5), 2))
    right = (round(x1 - size * math.cos(angle + 0.5), 2), round(y1 - size * math.sin(angle + 0.5), 2))
    shaft = ((x0, y0), (round(back[0], 2), round(back[1], 2)))
    head = ((x1, y1), left, right)
    yield Path(shaft, HALO, 3.6, cap=1)
    yield Path(head, HALO, 1.8, fill=HALO, closed=True, join=1)
    yield Path(shaft, PUSH, 1.6, cap=1)
    yield Path(head, PUSH, 0.6, fill=PUSH, closed=True, join=1)
    if push.stopped:
        across = (-math.sin(angle) * 3.6, math.cos(angle) * 3.6)
        beyond = (x1 + 1.4 * math.cos(angle), y1 + 1.4 * math.sin(angle))
        bar = (
            (round(beyond[0] - across[0], 2), round(beyond[1] - across[1], 2)),
            (round(beyond[0] + across[0], 2), round(beyond[1] + across[1], 2)),
        )
        yield Path(bar, PUSH, 1.6, cap=1)


def _stopwatch(centre: Point, radius: float) -> Iterator[Path | Disc]:
    """The hold mark: a stopwatch, its first quarter shaded, the hand at twelve."""
    cx, cy = centre
    yield Disc((cx, cy), radius, HALO, PUSH, 1.0)
    arc = [
        (
            round(cx + radius * 0.8 * math.sin(t * math.pi / 8), 2),
            round(cy + radius * 0.8 * math.cos(t * math.pi / 8), 2),
        )
        for t in range(5)
    ]
    yield Path(((cx, cy), *arc), None, 0.0, fill=HOLD_FILL, closed=True)
    yield Path(((cx, cy), (cx, round(cy + radius * 0.72, 2))), PUSH, 1.0, cap=1)
    yield Path(((cx, round(cy + radius, 2)), (cx, round(cy + radius + 1.4, 2))), PUSH, 1.2)
    yield Path(
        ((round(cx - 1.4, 2), round(cy + radius + 1.8, 2)), (round(cx + 1.4, 2), round(cy + radius + 1.8, 2))),
        PUSH,
        1.3,
        cap=1,
    )


def _arrow_marks(arrow: _Stroke, page: Callable[[Point], Point]) -> Iterator[Path]:
    (x0, y0), (x1, y1) = page(arrow.points[0]), page(arrow.points[1])
    yield Path(((x0, y0), (x1, y1)), ARROW, 1.0, dashed=True)
    angle = math.atan2(y1 - y0, x1 - x0)
    size = 5.0
    left = (round(x1 - size * math.cos(angle - 0.45), 2), round(y1 - size * math.sin(angle - 0.45), 2))
    right = (round(x1 - size * math.cos(angle + 0.45), 2), round(y1 - size * math.sin(angle + 0.45), 2))
    yield Path(((x1, y1), left, right), ARROW, 0.5, fill=ARROW, closed=True)
