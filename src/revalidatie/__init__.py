"""revalidatie: periodised hip rehab and return-to-running programmes for runners.

A physio describes a client (:class:`ClientProfile`), the planner turns it into a dated programme
(:func:`plan_programme`) after red-flag screening, and the programme adapts to the client's session logs
(:func:`revise`). Exporters turn a :class:`Plan` into a PDF handout, a calendar and JSON, and a
:class:`FeedStore` publishes plans as calendars the client subscribes to.

Example:
    >>> import revalidatie as rv
    >>> catalog = rv.load_catalog()
    >>> profile = rv.load_profile("examples/profiles/gluteal-tendinopathy.toml")  # doctest: +SKIP
    >>> plan = rv.plan_programme(profile, catalog)  # doctest: +SKIP

"""

from ._version import __version__
from .catalog import Catalog, load_catalog
from .errors import (
    CatalogError,
    ExportError,
    FeedConflict,
    FeedError,
    FeedNotFound,
    FeedStoreError,
    Finding,
    InputError,
    Problem,
    ProfileError,
    ReferralRequired,
    RevalidatieError,
)
from .export.figures import exercise_drawing, exercise_svg, write_exercise_svg
from .export.ics import render_ics, write_ics
from .export.json import plan_from_json, plan_to_json, render_json, write_json
from .export.pdf import render_pdf, write_pdf
from .feed.store import FeedEntry, FeedStore
from .loading import load_profile, load_session_logs, parse_profile
from .model.common import Language, Localized, Side, Weekday
from .model.dose import (
    BandColour,
    Distance,
    Duration,
    Effort,
    Frequency,
    Intervals,
    Pace,
    Segment,
    SetsHold,
    SetsReps,
)
from .model.exercise import Category, Condition, Exercise, Laterality, RedFlag, Urgency
from .model.log import SessionLog, Zone
from .model.plan import Item, PhasePlan, Plan, PlanWarning, Session, SessionKind, WeekSummary
from .model.pose import Figure, Pose
from .model.profile import (
    Clearance,
    ClientProfile,
    Contact,
    CrossTrainingAccess,
    Goal,
    RunningHistory,
    Screening,
)
from .model.protocol import Phase, Protocol
from .planning.engine import plan_programme, revise
from .planning.screening import ScreeningResult, screen

__all__ = [
    "BandColour",
    "Catalog",
    "CatalogError",
    "Category",
    "Clearance",
    "ClientProfile",
    "Condition",
    "Contact",
    "CrossTrainingAccess",
    "Distance",
    "Duration",
    "Effort",
    "Exercise",
    "ExportError",
    "FeedConflict",
    "FeedEntry",
    "FeedError",
    "FeedNotFound",
    "FeedStore",
    "FeedStoreError",
    "Figure",
    "Finding",
    "Frequency",
    "Goal",
    "InputError",
    "Intervals",
    "Item",
    "Language",
    "Laterality",
    "Localized",
    "Pace",
    "Phase",
    "PhasePlan",
    "Plan",
    "PlanWarning",
    "Pose",
    "Problem",
    "ProfileError",
    "Protocol",
    "RedFlag",
    "ReferralRequired",
    "RevalidatieError",
    "RunningHistory",
    "Screening",
    "ScreeningResult",
    "Segment",
    "Session",
    "SessionKind",
    "SessionLog",
    "SetsHold",
    "SetsReps",
    "Side",
    "Urgency",
    "WeekSummary",
    "Weekday",
    "Zone",
    "__version__",
    "exercise_drawing",
    "exercise_svg",
    "load_catalog",
    "load_profile",
    "load_session_logs",
    "parse_profile",
    "plan_from_json",
    "plan_programme",
    "plan_to_json",
    "render_ics",
    "render_json",
    "render_pdf",
    "revise",
    "screen",
    "write_exercise_svg",
    "write_ics",
    "write_json",
    "write_pdf",
]
