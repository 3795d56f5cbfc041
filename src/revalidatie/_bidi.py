"""Unicode bidirectional controls, which text a person typed must not carry into an export.

A right-to-left override (U+202E) or an isolate in a client's name would reorder the text around the name
wherever it is shown ("Revalidatieschema Ann" followed by the rest of the line reversed). These are the
explicit controls of UAX #9: embeddings and overrides (U+202A to U+202E), isolates (U+2066 to U+2069) and the
marks (U+200E, U+200F, U+061C). Right-to-left script itself is left alone: the Unicode bidi algorithm lays
it out from its letters, which no name or note needs to override.
"""

from __future__ import annotations

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""Every explicit bidirectional formatting character (UAX #9 section 2)."""

DROP_BIDI_CONTROLS: dict[int, None] = dict.fromkeys(map(ord, BIDI_CONTROLS))
"""A ``str.translate`` table that removes them."""


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidirectional controls."""
    return text.translate(DROP_BIDI_CONTROLS)
