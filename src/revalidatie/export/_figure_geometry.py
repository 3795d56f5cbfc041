"""Forward kinematics for exercise figures: joint angles to 3D points, projected to the page.

The body model fixes every limb length (metres, for an adult of about 1.75 m), so figures written as angles
always have the same proportions. This module is pure arithmetic; the drawing lives in ``_figure_drawing``.

Coordinates: x points where the figure faces when standing, y up, z to the figure's right. The side view
looks from the right (+z) so the figure faces right on the page; the front view looks from +x; the top view
looks down from +y with x to the right of the page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import attrs

from ..model.pose import BodySide, Direction, Pose, View

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
Point = tuple[float, float]

TRUNK = 0.50
NECK = 0.09
HEAD_RADIUS = 0.105
HIP_HALF_WIDTH = 0.09
SHOULDER_HALF_WIDTH = 0.17
SHOULDER_DROP = 0.04
THIGH = 0.44
SHIN = 0.43
ANKLE_HEIGHT = 0.07
HEEL_BACK = 0.05
TOE_FORWARD = 0.16
UPPER_ARM = 0.29
FOREARM = 0.27
LIMB_RADIUS = 0.035
"""Half the drawn thickness of a limb; contact with the floor is measured from the limb's surface."""

SIDES = (BodySide.LEFT, BodySide.RIGHT)


def _rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def _rot_y(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, 0.0, s), (0.0, 1.0, 0.0), (-s, 0.0, c))


def _rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def _mul(a: Mat, b: Mat) -> Mat:
    (a0, a1, a2), (b0, b1, b2) = a, b
    return (
        (
            a0[0] * b0[0] + a0[1] * b1[0] + a0[2] * b2[0],
            a0[0] * b0[1] + a0[1] * b1[1] + a0[2] * b2[1],
            a0[0] * b0[2] + a0[1] * b1[2] + a0[2] * b2[2],
        ),
        (
            a1[0] * b0[0] + a1[1] * b1[0] + a1[2] * b2[0],
            a1[0] * b0[1] + a1[1] * b1[1] + a1[2] * b2[1],
            a1[0] * b0[2] + a1[1] * b1[2] + a1[2] * b2[2],
        ),
        (
            a2[0] * b0[0] + a2[1] * b1[0] + a2[2] * b2[0],
            a2[0] * b0[1] + a2[1] * b1[1] + a2[2] * b2[1],
            a2[0] * b0[2] + a2[1] * b1[2] + a2[2] * b2[2],
        ),
    )


def _apply(m: Mat, v: Vec) -> Vec:
    return (
        m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
        m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
        m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
    )


def _add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _body_frame(pose: Pose) -> Mat:
    # The trunk pitches forward about the lateral axis, then the whole body leans sideways (towards -z is left).
    return _mul(_rot_x(-pose.lean), _rot_z(-pose.trunk))


def body_points(pose: Pose) -> dict[str, Vec]:
    """Return every joint of ``pose`` in 3D, with the pelvis at the origin.

    Keys are ``pelvis``, ``neck``, ``head`` and, per side, ``left-hip`` ... ``left-toe``, ``left-shoulder``,
    ``left-elbow``, ``left-hand`` (and ``right-...``).
    """
    body = _body_frame(pose)
    neck = _apply(body, (0.0, TRUNK, 0.0))
    head = _add(neck, _apply(_mul(body, _rot_z(-pose.neck)), (0.0, NECK + HEAD_RADIUS, 0.0)))
    points: dict[str, Vec] = {"pelvis": (0.0, 0.0, 0.0), "neck": neck, "head": head}
    for side in SIDES:
        sign = 1.0 if side is BodySide.RIGHT else -1.0
        limbs = pose.side(side)
        name = side.value
        hip = _apply(body, (0.0, 0.0, sign * HIP_HALF_WIDTH))
        thigh = _mul(
            body, _mul(_rot_z(limbs.hip), _mul(_rot_x(-sign * limbs.hip_abduction), _rot_y(-sign * limbs.hip_rotation)))
        )
        knee = _add(hip, _apply(thigh, (0.0, -THIGH, 0.0)))
        shin = _mul(thigh, _rot_z(-limbs.knee))
        ankle = _add(knee, _apply(shin, (0.0, -SHIN, 0.0)))
        foot = _mul(shin, _rot_z(limbs.ankle))
        heel = _add(ankle, _apply(foot, (-HEEL_BACK, -ANKLE_HEIGHT, 0.0)))
        toe = _add(ankle, _apply(foot, (TOE_FORWARD, -ANKLE_HEIGHT, 0.0)))
        shoulder = _add(neck, _apply(body, (0.0, -SHOULDER_DROP, sign * SHOULDER_HALF_WIDTH)))
        upper = _mul(
            body,
            _mul(
                _rot_z(limbs.shoulder),
                _mul(_rot_x(-sign * limbs.shoulder_abduction), _rot_y(-sign * limbs.shoulder_rotation)),
            ),
        )
        elbow = _add(shoulder, _apply(upper, (0.0, -UPPER_ARM, 0.0)))
        hand = _add(elbow, _apply(_mul(upper, _rot_z(limbs.elbow)), (0.0, -FOREARM, 0.0)))
        for joint, at in (
            ("hip", hip),
            ("knee", knee),
            ("ankle", ankle),
            ("heel", heel),
            ("toe", toe),
            ("shoulder", shoulder),
            ("elbow", elbow),
            ("hand", hand),
        ):
            points[f"{name}-{joint}"] = at
    return points


@attrs.frozen
class Projected:
    """A pose seen from one view: page points (metres, y up) and each point's depth (larger is nearer).

    Attributes:
        points: Page position of every joint.
        depth: Distance towards the viewer of every joint.
        floor: Page heights of the far and near edge of the floor under the body; the same height twice
            when the view is level, a band when it looks down from above.

    """

    points: Mapping[str, Point]
    depth: Mapping[str, float]
    floor: tuple[float, float] = (0.0, 0.0)

    def lowest(self, names: Iterable[str] | None = None) -> float:
        """The lowest page height reached by the body's surface (limbs are drawn thick)."""
        chosen = self.points if names is None else {n: self.points[n] for n in names}
        low = min(p[1] for p in chosen.values()) - LIMB_RADIUS
        if names is None or "head" in chosen:
            low = min(low, self.points["head"][1] - HEAD_RADIUS)
        return low

    def moved(self, dx: float, dy: float) -> Projected:
        """Return the projection shifted on the page."""
        return Projected(
            {n: (p[0] + dx, p[1] + dy) for n, p in self.points.items()},
            self.depth,
            (self.floor[0] + dy, self.floor[1] + dy),
        )


def _flatten(view: View, p: Vec) -> Vec:
    """A world point as (page x, page y, depth towards the viewer) before any elevation."""
    if view is View.SIDE:
        return p
    if view is View.FRONT:
        # Seen from the front the figure's right side (+z) is on the left of the page.
        return (-p[2], p[1], p[0])
    # From above, +x stays right and the figure's right side (+z) is at the bottom of the page.
    return (p[0], -p[2], p[1])


def project(pose: Pose, view: View, elevation: float = 0.0) -> Projected:
    """Project a pose onto the page for ``view``, seen from ``elevation`` degrees above; the pelvis stays at x = 0."""
    points3 = body_points(pose)
    flat = {n: _flatten(view, p) for n, p in points3.items()}
    cos_e, sin_e = math.cos(math.radians(elevation)), math.sin(math.radians(elevation))
    # Looking down from above: what is nearer the viewer appears lower on the page.
    points = {n: (x, y * cos_e - d * sin_e) for n, (x, y, d) in flat.items()}
    depth = {n: d * cos_e + y * sin_e for n, (x, y, d) in flat.items()}
    if view is View.TOP:
        # Seen from straight above the floor is everywhere under the body, not a line.
        return Projected(points, depth)
    # The floor the body rests on is level in the world, so seen from above it spans the body's depth.
    ground = min(min(y for _, y, _ in flat.values()) - LIMB_RADIUS, flat["head"][1] - HEAD_RADIUS)
    depths = [d for _, _, d in flat.values()]
    floor = (ground * cos_e - max(depths) * sin_e, ground * cos_e - min(depths) * sin_e)
    return Projected(points, depth, floor)


_WORLD: dict[Direction, Vec] = {
    Direction.UP: (0.0, 1.0, 0.0),
    Direction.DOWN: (0.0, -1.0, 0.0),
    Direction.FORWARD: (1.0, 0.0, 0.0),
    Direction.BACK: (-1.0, 0.0, 0.0),
}


def page_direction(pose: Pose, view: View, elevation: float, side: BodySide | None, direction: Direction) -> Point:
    """The page vector of a unit push ``direction`` at a point on ``side``; shorter where it points at the viewer.

    ``out`` and ``in`` follow the body's own sideways axis (lying on the side, ``out`` for the top leg is up).
    """
    if direction in (Direction.OUT, Direction.IN):
        sign = 1.0 if side is BodySide.RIGHT else -1.0
        if direction is Direction.IN:
            sign = -sign
        world = _apply(_body_frame(pose), (0.0, 0.0, sign))
    else:
        world = _WORLD[direction]
    x, y, d = _flatten(view, world)
    sin_e = math.sin(math.radians(elevation))
    return (x, y * math.cos(math.radians(elevation)) - d * sin_e)
