"""Bidirectional controls in a client's name reach no output: the handout, the feed page and the terminal."""

from __future__ import annotations

import datetime as dt

import revalidatie as rv
from revalidatie.cli import _common as cli
from revalidatie.export.pdf import _styles
from revalidatie.feed import _page
from revalidatie.feed.store import FeedEntry

NAME = "Ann\u202eevil \u2067Lee\u2069"


def test_handout_markup_drops_a_right_to_left_override() -> None:
    assert _styles.esc(NAME) == "Annevil Lee"


def test_terminal_text_drops_bidi_controls_and_shows_escapes() -> None:
    assert cli.plain(NAME + "\x1b[2J") == "Annevil Lee\\x1b[2J"


def test_feed_page_title_drops_bidi_controls() -> None:
    entry = FeedEntry(
        token="t" * 32,
        url="https://example.org/feeds/t.ics",
        base_url="https://example.org",
        plan_id="plan-1",
        client=NAME,
        language="en",
        timezone="Europe/Amsterdam",
        first_day=dt.date(2027, 1, 4),
        last_day=dt.date(2027, 5, 2),
        revision=1,
        updated=dt.datetime(2027, 1, 4, tzinfo=dt.UTC),
        revoked=False,
    )
    page = _page.render_page(entry, has_pdf=False).decode("utf-8")
    assert "\u202e" not in page
    assert "\u2067" not in page
    assert "Annevil" in page


def test_a_handout_for_such_a_name_renders(catalog: rv.Catalog) -> None:
    profile = rv.parse_profile(
        {
            "name": NAME,
            "condition": "hip-overload",
            "side": "left",
            "start_date": "2027-01-04",
            "available_days": ["mon", "wed", "fri"],
            "screening": {"answers": dict.fromkeys(catalog.red_flags, False)},
        }
    )
    assert rv.render_pdf(rv.plan_programme(profile, catalog)).startswith(b"%PDF")
