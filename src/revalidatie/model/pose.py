"""Exercise figures as data: a start and an end pose given as joint angles, a view and a few props.

Only angles are written by hand; limb lengths belong to the renderer's body model, so every figure has the
same proportions. Angles are in degrees. Zero everywhere is a person standing upright with the arms hanging.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, model_validator

from ..errors import error_message
from .common import Flag, Spec


def _within(low: float, high: float, what: str) -> AfterValidator:
    """A validator that keeps an angle inside a range, naming the joint and the range in its message."""

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(error_message("error.pose-angle", what=what, low=f"{low:g}", high=f"{high:g}"))
        return value

    return AfterValidator(check)


# Human ranges of motion, a little generous so that an honest figure is never rejected (degrees).
HipFlexion = Annotated[float, _within(-30, 140, "hip flexion (negative is extension)")]
HipAbduction = Annotated[float, _within(-30, 50, "hip abduction (negative is adduction)")]
HipRotation = Annotated[float, _within(-45, 60, "hip rotation (positive is external)")]
KneeFlexion = Annotated[float, _within(-10, 160, "knee flexion (negative is hyperextension, at most 10)")]
AnkleAngle = Annotated[float, _within(-50, 30, "ankle dorsiflexion (negative is plantarflexion)")]
ShoulderFlexion = Annotated[float, _within(-60, 180, "shoulder flexion (negative is extension)")]
ShoulderAbduction = Annotated[float, _within(-30, 180, "shoulder abduction")]
ShoulderRotation = Annotated[float, _within(-90, 90, "shoulder rotation (positive is external)")]
ElbowFlexion = Annotated[float, _within(0, 150, "elbow flexion")]
NeckFlexion = Annotated[float, _within(-60, 70, "neck flexion (negative is extension)")]
TrunkPitch = Annotated[float, _within(-180, 180, "the trunk angle")]
TrunkLean = Annotated[float, _within(-90, 90, "the sideways lean of the body")]
Elevation = Annotated[float, _within(0, 60, "the elevation of the viewpoint")]
OffFloor = Annotated[float, _within(0, 1, "the height off the floor (metres, not degrees)")]


class View(StrEnum):
    """From where the figure is seen."""

    SIDE = "side"
    """From the figure's right side; the figure faces right. The right limbs are near and drawn darker."""
    FRONT = "front"
    """From the front; the figure faces the reader, so its right side is on the left of the picture."""
    TOP = "top"
    """From straight above, for a figure lying on its back or front: the head on the left, and (on the back)
    its right side at the bottom of the picture. Shows what moves sideways on the floor: legs pressed apart."""


class Base(StrEnum):
    """The position the exercise starts from; the start pose must agree with it."""

    STANDING = "standing"
    SEATED = "seated"
    KNEELING = "kneeling"
    HANDS_KNEES = "hands-knees"
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side-lying"
    FLOATING = "floating"
    """In deep water, not touching the floor; no floor is drawn."""


class BodySide(StrEnum):
    """A side of the body in a figure."""

    LEFT = "left"
    RIGHT = "right"


class Joint(StrEnum):
    """A point on the body that props attach to."""

    PELVIS = "pelvis"
    NECK = "neck"
    HEAD = "head"
    LEFT_SHOULDER = "left-shoulder"
    LEFT_ELBOW = "left-elbow"
    LEFT_HAND = "left-hand"
    LEFT_HIP = "left-hip"
    LEFT_KNEE = "left-knee"
    LEFT_ANKLE = "left-ankle"
    LEFT_HEEL = "left-heel"
    LEFT_TOE = "left-toe"
    RIGHT_SHOULDER = "right-shoulder"
    RIGHT_ELBOW = "right-elbow"
    RIGHT_HAND = "right-hand"
    RIGHT_HIP = "right-hip"
    RIGHT_KNEE = "right-knee"
    RIGHT_ANKLE = "right-ankle"
    RIGHT_HEEL = "right-heel"
    RIGHT_TOE = "right-toe"
    ANCHOR = "anchor"
    """A fixed post in front of the figure (side view) or beside it (front view), for one end of a band."""


_FEET = {
    Joint.LEFT_ANKLE,
    Joint.LEFT_HEEL,
    Joint.LEFT_TOE,
    Joint.RIGHT_ANKLE,
    Joint.RIGHT_HEEL,
    Joint.RIGHT_TOE,
}


class PropKind(StrEnum):
    """Things drawn with the figure."""

    MAT = "mat"
    """An exercise mat on the floor under the figure."""
    STEP = "step"
    """A stair step under the foot named by ``at``."""
    BAND = "band"
    """A resistance band between the two points named by ``between``."""
    WALL = "wall"
    """A wall touching the point named by ``at`` (a hand, a knee, a shoulder)."""
    CHAIR = "chair"
    """A chair whose seat is under the point named by ``at`` at its lowest in the start or end pose."""
    BENCH = "bench"
    """A low bench whose edge is under the point named by ``at`` (the upper back in a hip thrust)."""
    WATER = "water"
    """A water line at the height of the point named by ``at``."""
    BIKE = "bike"
    """An exercise bike outline fitted to the figure: saddle, pedals, handlebar."""
    CROSS_TRAINER = "cross-trainer"
    """A cross-trainer outline fitted to the figure: pedals, handles, frame."""
    BALL = "ball"
    """A small ball at the point named by ``at``."""


# Seen from above there is no floor line or height to stand things on.
_FROM_ABOVE = {PropKind.MAT, PropKind.BAND, PropKind.BALL}

_NEEDS_AT = {PropKind.STEP, PropKind.WALL, PropKind.CHAIR, PropKind.BENCH, PropKind.WATER, PropKind.BALL}


class Prop(Spec):
    """One prop in a figure.

    Attributes:
        kind: What it is.
        at: The body point it is placed against (required for step, wall, chair, bench, water and ball).
        between: The two points a band runs between (bands only); ``anchor`` is a fixed post.

    """

    kind: PropKind
    at: Joint | None = None
    between: tuple[Joint, Joint] | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> Prop:
        if self.kind is PropKind.BAND:
            if self.between is None:
                raise ValueError(error_message("error.pose-band-between"))
            if self.between[0] == self.between[1]:
                raise ValueError(error_message("error.pose-band-two-points"))
            if self.at is not None:
                raise ValueError(error_message("error.pose-band-not-at"))
            return self
        if self.between is not None:
            raise ValueError(error_message("error.pose-between-only-bands", kind=self.kind.value))
        if self.kind in _NEEDS_AT and self.at is None:
            raise ValueError(error_message("error.pose-needs-at", kind=self.kind.value))
        if self.kind not in _NEEDS_AT and self.at is not None:
            raise ValueError(error_message("error.pose-no-at", kind=self.kind.value))
        if self.at is Joint.ANCHOR:
            raise ValueError(error_message("error.pose-anchor-band"))
        if self.kind is PropKind.STEP and self.at not in _FEET:
            raise ValueError(error_message("error.pose-step-foot"))
        return self


class Direction(StrEnum):
    """Which way a push goes."""

    OUT = "out"
    """Away from the body's midline, on the side of the point that pushes (a knee pressed outward)."""
    IN = "in"
    """Towards the midline (knees squeezed together)."""
    UP = "up"
    """Towards the ceiling."""
    DOWN = "down"
    """Towards the floor (a heel pressed into it)."""
    FORWARD = "forward"
    """The way the figure faces when standing: to the right of the picture in a side view."""
    BACK = "back"
    """The opposite of forward."""


_SIDED = {Direction.OUT, Direction.IN}


class Push(Spec):
    """An arrow at a body point in the last pose, showing the way it pushes or moves.

    Attributes:
        at: The body point that pushes: a knee against a band, a heel into the floor.
        direction: Which way: ``out``, ``in``, ``up``, ``down``, ``forward`` or ``back``.

    """

    at: Joint
    direction: Direction

    @model_validator(mode="after")
    def _fits_point(self) -> Push:
        if self.at is Joint.ANCHOR:
            raise ValueError(error_message("error.pose-push-anchor"))
        if self.direction in _SIDED and not self.at.value.startswith(("left-", "right-")):
            raise ValueError(
                error_message("error.pose-push-sided", direction=self.direction.value, point=self.at.value)
            )
        return self


class Limbs(Spec):
    """The joint angles of one side of the body, in degrees; zero is standing with the arm hanging.

    Attributes:
        hip: Hip flexion: the thigh forward (positive) or backward (negative, extension).
        hip_abduction: The thigh out to the side (positive) or across the midline (negative).
        hip_rotation: Rotation of the thigh about its own axis, outward positive.
        knee: Knee flexion, 0 straight; at most 10 degrees of hyperextension.
        ankle: Toes up (dorsiflexion, positive) or pointed (plantarflexion, negative).
        shoulder: The arm forward and up (positive) or backward (negative).
        shoulder_abduction: The arm out to the side.
        shoulder_rotation: Rotation of the upper arm about its own axis, outward positive (turns a bent
            forearm out to the side).
        elbow: Elbow flexion, 0 straight.

    """

    hip: HipFlexion = 0
    hip_abduction: HipAbduction = 0
    hip_rotation: HipRotation = 0
    knee: KneeFlexion = 0
    ankle: AnkleAngle = 0
    shoulder: ShoulderFlexion = 0
    shoulder_abduction: ShoulderAbduction = 0
    shoulder_rotation: ShoulderRotation = 0
    elbow: ElbowFlexion = 0


class Pose(Spec):
    """The body at one moment of an exercise.

    Attributes:
        trunk: Angle of the trunk (pelvis to neck) from vertical: 0 upright, positive leaning forward,
            90 lying face down, -90 lying on the back, beyond -90 with the shoulders lower than the hips.
        lean: Sideways lean of the whole body: positive towards its left, 90 lying on the left side.
        neck: Head bent forward (positive) or back (negative) relative to the trunk.
        left: Angles of the left side.
        right: Angles of the right side; omitted means the same as ``left``.
        off_floor: How far (metres) the lowest point is above the floor, for the flight phase of a hop.

    """

    trunk: TrunkPitch = 0
    lean: TrunkLean = 0
    neck: NeckFlexion = 0
    left: Limbs = Limbs()
    right: Limbs | None = None
    off_floor: OffFloor = 0

    def side(self, side: BodySide) -> Limbs:
        """Return the angles of one side (the right side defaults to the left one)."""
        if side is BodySide.RIGHT and self.right is not None:
            return self.right
        return self.left


# Start poses that contradict the base are almost always a sign error (trunk 90 instead of -90).
_BASE_PITCH: dict[Base, tuple[float, float]] = {
    Base.STANDING: (-45, 70),
    Base.SEATED: (-60, 70),
    Base.KNEELING: (-45, 60),
    Base.HANDS_KNEES: (45, 135),
    Base.SUPINE: (-135, -40),
    Base.PRONE: (45, 135),
}


class Figure(Spec):
    """How an exercise is drawn: the start and end pose, seen from the side or the front, with props.

    Attributes:
        view: ``side`` or ``front``.
        elevation: Degrees the viewpoint rises above the floor, looking down, so that bends that point at
            the viewer show (a clamshell's knees); 0 looks straight on.
        base: The starting position (standing, supine, side-lying ...); the start pose must match it.
        start: The pose at the start of a repetition.
        end: The pose at the end of the movement; omitted for a hold without visible movement.
        working: The working leg for single-leg work, drawn in colour (the other leg muted); omitted when
            both legs work.
        props: Mat, step, band, wall, chair, bench, water, bike, cross-trainer or ball.
        hold: The last pose (the end, or the only pose) is held still: isometric work, a held stretch or
            balance. Drawn with a hold mark (a stopwatch), and push arrows meet a stop bar.
        push: Arrows at body points in the last pose, the way they push (against a band, a wall, the floor)
            or move.

    """

    view: View = View.SIDE
    elevation: Elevation = 0
    base: Base
    start: Pose
    end: Pose | None = None
    working: BodySide | None = None
    props: tuple[Prop, ...] = ()
    hold: Flag = False
    push: tuple[Push, ...] = ()

    @model_validator(mode="after")
    def _start_matches_base(self) -> Figure:
        pose = self.start
        if self.base is Base.SIDE_LYING:
            if abs(pose.lean) < 45:
                raise ValueError(error_message("error.pose-side-lying", lean=f"{pose.lean:g}"))
            return self
        if self.base is Base.FLOATING:
            return self
        low, high = _BASE_PITCH[self.base]
        if not low <= pose.trunk <= high:
            raise ValueError(
                error_message(
                    "error.pose-base-trunk",
                    base=self.base.value,
                    low=f"{low:g}",
                    high=f"{high:g}",
                    trunk=f"{pose.trunk:g}",
                )
            )
        if abs(pose.lean) > 45:
            raise ValueError(error_message("error.pose-base-side", base=self.base.value, lean=f"{pose.lean:g}"))
        return self

    @model_validator(mode="after")
    def _top_view_lies_down(self) -> Figure:
        if self.view is not View.TOP:
            return self
        if self.base not in (Base.SUPINE, Base.PRONE):
            raise ValueError(error_message("error.pose-top-base", base=self.base.value))
        if self.elevation:
            raise ValueError(error_message("error.pose-top-elevation", elevation=f"{self.elevation:g}"))
        unseen = sorted({p.kind.value for p in self.props if p.kind not in _FROM_ABOVE})
        if unseen:
            raise ValueError(error_message("error.pose-top-props", props=", ".join(unseen)))
        return self

    @model_validator(mode="after")
    def _pushes_once(self) -> Figure:
        points = [push.at for push in self.push]
        doubled = sorted({point.value for point in points if points.count(point) > 1})
        if doubled:
            raise ValueError(error_message("error.pose-push-twice", points=", ".join(doubled)))
        return self

    @model_validator(mode="after")
    def _props_once(self) -> Figure:
        kinds = [prop.kind for prop in self.props if prop.kind is not PropKind.BAND]
        doubled = sorted({kind.value for kind in kinds if kinds.count(kind) > 1})
        if doubled:
            raise ValueError(error_message("error.pose-prop-twice", props=", ".join(doubled)))
        return self
