"""revalidatie: periodised hip rehab and return-to-running programmes for runners.

A physio describes a client (:class:`ClientProfile`), the planner turns it into a dated programme
(:func:`plan_programme`) after red-flag screening, and the programme adapts to the client's session logs
(:func:`revise`). Exporters turn a :class:`Plan` into a PDF handout, a physio's summary, a calendar and JSON,
and a :class:`FeedStore` publishes plans as calendars the client subscribes to.

Example:
    >>> import revalidatie as rv
    >>> catalog = rv.load_catalog()
    >>> profile = rv.load_profile("examples/profiles/gluteal-tendinopathy.toml")  # doctest: +SKIP
    >>> plan = rv.plan_programme(profile, catalog)  # doctest: +SKIP

"""

# Names are imported on first use (PEP 562), so `import revalidatie` loads neither pydantic nor attrs nor any
# exporter: see docs/decisions/0008-lazy-public-api.md. Type checkers and IDEs read the imports below; at
# run time `_LAZY` says which module holds each name. tests/unit/test_exported_members.py keeps the three
# lists (these imports, `_LAZY`, `__all__`) in step.
import typing

from ._version import __version__

if typing.TYPE_CHECKING:
    from .batch import BatchResult, BatchStatus, render_batch
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
    from .export.summary import render_summary_markdown, render_summary_pdf, write_summary
    from .export.text import warning_text
    from .feed._postgres import PostgresFeedStore
    from .feed.port import FeedStorePort
    from .feed.store import FeedEntry, FeedStore, open_store
    from .loading import load_profile, load_session_logs, parse_profile
    from .model.common import Language, Localized, Side, Weekday
    from .model.dose import (
        AddedLoad,
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
    from .model.plan import Item, Pause, PhasePlan, Plan, PlanWarning, Session, SessionKind, WeekSummary
    from .model.pose import Figure, Pose
    from .model.profile import (
        Clearance,
        ClientProfile,
        Contact,
        CrossTrainingAccess,
        Goal,
        Race,
        RunningHistory,
        Screening,
        StrengthAccess,
    )
    from .model.protocol import DaySequence, Phase, Protocol, Stage, SymptomAction, SymptomRules
    from .planning.engine import pause, plan_programme, resume, revise
    from .planning.screening import ScreeningResult, screen

_LAZY: dict[str, str] = {
    "BatchResult": ".batch",
    "BatchStatus": ".batch",
    "render_batch": ".batch",
    "Catalog": ".catalog",
    "load_catalog": ".catalog",
    "CatalogError": ".errors",
    "ExportError": ".errors",
    "FeedConflict": ".errors",
    "FeedError": ".errors",
    "FeedNotFound": ".errors",
    "FeedStoreError": ".errors",
    "Finding": ".errors",
    "InputError": ".errors",
    "Problem": ".errors",
    "ProfileError": ".errors",
    "ReferralRequired": ".errors",
    "RevalidatieError": ".errors",
    "render_ics": ".export.ics",
    "write_ics": ".export.ics",
    "plan_from_json": ".export.json",
    "plan_to_json": ".export.json",
    "render_json": ".export.json",
    "write_json": ".export.json",
    "render_pdf": ".export.pdf",
    "exercise_drawing": ".export.figures",
    "exercise_svg": ".export.figures",
    "write_exercise_svg": ".export.figures",
    "Figure": ".model.pose",
    "Pose": ".model.pose",
    "write_pdf": ".export.pdf",
    "render_summary_markdown": ".export.summary",
    "render_summary_pdf": ".export.summary",
    "write_summary": ".export.summary",
    "warning_text": ".export.text",
    "PostgresFeedStore": ".feed._postgres",
    "FeedStorePort": ".feed.port",
    "FeedEntry": ".feed.store",
    "FeedStore": ".feed.store",
    "open_store": ".feed.store",
    "load_profile": ".loading",
    "load_session_logs": ".loading",
    "parse_profile": ".loading",
    "Language": ".model.common",
    "Localized": ".model.common",
    "Side": ".model.common",
    "Weekday": ".model.common",
    "AddedLoad": ".model.dose",
    "BandColour": ".model.dose",
    "Distance": ".model.dose",
    "Duration": ".model.dose",
    "Effort": ".model.dose",
    "Frequency": ".model.dose",
    "Intervals": ".model.dose",
    "Pace": ".model.dose",
    "Segment": ".model.dose",
    "SetsHold": ".model.dose",
    "SetsReps": ".model.dose",
    "Category": ".model.exercise",
    "Condition": ".model.exercise",
    "Exercise": ".model.exercise",
    "Laterality": ".model.exercise",
    "RedFlag": ".model.exercise",
    "Urgency": ".model.exercise",
    "SessionLog": ".model.log",
    "Zone": ".model.log",
    "Item": ".model.plan",
    "PhasePlan": ".model.plan",
    "Plan": ".model.plan",
    "Pause": ".model.plan",
    "PlanWarning": ".model.plan",
    "Session": ".model.plan",
    "SessionKind": ".model.plan",
    "WeekSummary": ".model.plan",
    "Clearance": ".model.profile",
    "ClientProfile": ".model.profile",
    "Contact": ".model.profile",
    "CrossTrainingAccess": ".model.profile",
    "Goal": ".model.profile",
    "Race": ".model.profile",
    "RunningHistory": ".model.profile",
    "Screening": ".model.profile",
    "StrengthAccess": ".model.profile",
    "DaySequence": ".model.protocol",
    "Phase": ".model.protocol",
    "Protocol": ".model.protocol",
    "Stage": ".model.protocol",
    "SymptomAction": ".model.protocol",
    "SymptomRules": ".model.protocol",
    "plan_programme": ".planning.engine",
    "revise": ".planning.engine",
    "pause": ".planning.engine",
    "resume": ".planning.engine",
    "ScreeningResult": ".planning.screening",
    "screen": ".planning.screening",
}

__all__ = [
    "AddedLoad",
    "BandColour",
    "BatchResult",
    "BatchStatus",
    "Catalog",
    "CatalogError",
    "Category",
    "Clearance",
    "ClientProfile",
    "Condition",
    "Contact",
    "CrossTrainingAccess",
    "DaySequence",
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
    "FeedStorePort",
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
    "Pause",
    "Phase",
    "PhasePlan",
    "Plan",
    "PlanWarning",
    "Pose",
    "PostgresFeedStore",
    "Problem",
    "ProfileError",
    "Protocol",
    "Race",
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
    "Stage",
    "StrengthAccess",
    "SymptomAction",
    "SymptomRules",
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
    "open_store",
    "parse_profile",
    "pause",
    "plan_from_json",
    "plan_programme",
    "plan_to_json",
    "render_batch",
    "render_ics",
    "render_json",
    "render_pdf",
    "render_summary_markdown",
    "render_summary_pdf",
    "resume",
    "revise",
    "screen",
    "warning_text",
    "write_exercise_svg",
    "write_ics",
    "write_json",
    "write_pdf",
    "write_summary",
]


if not typing.TYPE_CHECKING:  # hidden from type checkers, so a misspelt `rv.name` stays an error under mypy

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(module, __name__), name)
        globals()[name] = value  # later look-ups skip this function
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
