"""Names derived from a client: the plan id and the file-name stem of the client's outputs.

Shared by the planner (plan id), the command line and batches (file names), so the same client always gets
the same names. Imports nothing heavy: the command line reads it before it loads the library.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model.plan import Plan
    from .model.profile import ClientProfile

_NO_DECOMPOSITION = str.maketrans(
    {"\u0131": "i", "\u0142": "l", "\u0141": "L", "\u00f8": "o", "\u00d8": "O", "\u00df": "ss"}
)
_MAX_STEM = 60


def plan_id(profile: ClientProfile) -> str:
    """The plan's stable id: the profile's ``client_id``, else a digest of the name and start date."""
    if profile.client_id:
        return profile.client_id
    digest = hashlib.sha256(f"{profile.name}\x00{profile.start_date.isoformat()}".encode()).hexdigest()
    return f"plan-{digest[:16]}"


def client_stem(profile: ClientProfile) -> str:
    """A file-name-safe stem for a client's outputs: the name in plain letters, else the plan id."""
    # NFKD splits accents off most letters; these few have no decomposition and get a plain twin.
    plain = unicodedata.normalize("NFKD", profile.name.translate(_NO_DECOMPOSITION))
    letters = "".join(ch if ch.isalnum() and ch.isascii() else "-" for ch in plain if not unicodedata.combining(ch))
    stem = "-".join(part for part in letters.lower().split("-") if part)
    return stem[:_MAX_STEM] or plan_id(profile)


def file_stem(plan: Plan) -> str:
    """The stem of a plan's output files (``NAME.pdf``, ``NAME.ics``, ``NAME.json``); see :func:`client_stem`."""
    return client_stem(plan.profile)
