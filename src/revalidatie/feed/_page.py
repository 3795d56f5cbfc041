"""The feed's web page: subscribe links for every calendar app, the handout, and the feed's address.

One small HTML document in the client's language, with no scripts, images, fonts or other requests: its
only style is inline, allowed by hash in the Content-Security-Policy, so ``default-src 'none'`` holds.
The server and the static export write the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import zoneinfo
from html import escape
from urllib.parse import quote

from .._bidi import strip_bidi_controls
from ..export.text import format_date
from .store import FeedEntry

STYLE = (
    "body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;"
    "color:#1a1a1a;background:#fff}"
    "h1{font-size:1.5rem;line-height:1.25}"
    "a{color:#0b4f8a}a:focus{outline:3px solid #f2a900;outline-offset:2px}"
    "ul{padding-left:0;list-style:none}li{margin:.6rem 0}"
    ".button{display:inline-block;padding:.55rem .9rem;border:2px solid #0b4f8a;border-radius:.4rem;"
    "text-decoration:none;font-weight:600}"
    "code{word-break:break-all;background:#f1f1f1;padding:.1rem .25rem}"
    "small,.note{color:#444}"
)
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_WORDS = {
    "nl": {
        "title": "Trainingsagenda van {client}",
        "intro": (
            "Abonneer je op deze agenda. Je telefoon of computer haalt wijzigingen in je programma dan vanzelf "
            "op als je fysiotherapeut het aanpast."
        ),
        "period": "Programma van {start} tot en met {end}.",
        "updated": "Versie {revision}, bijgewerkt op {date}.",
        "subscribe": "Abonneren",
        "apple": "Abonneren in Agenda (iPhone, iPad, Mac) of Outlook",
        "google": "Toevoegen aan Google Agenda",
        "download": "Download als .ics-bestand",
        "download_note": "eenmalige kopie: volgt geen wijzigingen",
        "handout": "Handout (PDF)",
        "handout_note": "je oefeningen met uitleg, om te printen",
        "manual": "Andere agenda-app? Voeg een agenda toe via een internetadres (URL) en plak dit adres:",
        "private": (
            "Deze link is persoonlijk: deel hem niet. Je fysiotherapeut kan hem intrekken en je een nieuwe geven."
        ),
    },
    "en": {
        "title": "Training calendar for {client}",
        "intro": (
            "Subscribe to this calendar. Your phone or computer then picks up changes to your programme by "
            "itself when your physiotherapist adjusts it."
        ),
        "period": "Programme from {start} to {end}.",
        "updated": "Version {revision}, updated on {date}.",
        "subscribe": "Subscribe",
        "apple": "Subscribe in Calendar (iPhone, iPad, Mac) or Outlook",
        "google": "Add to Google Calendar",
        "download": "Download as an .ics file",
        "download_note": "a one-off copy: does not follow changes",
        "handout": "Handout (PDF)",
        "handout_note": "your exercises explained, to print",
        "manual": "Another calendar app? Add a calendar from an internet address (URL) and paste this address:",
        "private": (
            "This link is personal: do not share it. Your physiotherapist can revoke it and give you a new one."
        ),
    },
}


def webcal_url(url: str) -> str:
    """The subscription URL with the ``webcal://`` scheme that makes calendar apps offer to subscribe."""
    return "webcal://" + url.split("://", 1)[1]


def google_url(url: str) -> str:
    """Google Calendar's add-by-URL address for a subscription URL."""
    return "https://calendar.google.com/calendar/r?cid=" + quote(webcal_url(url), safe="")


def _local_date(moment: dt.datetime, timezone: str) -> dt.date:
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return moment.date()


def render_page(entry: FeedEntry, *, has_pdf: bool) -> bytes:
    """The feed's web page in the client's language, as UTF-8 HTML bytes; every text from the store is escaped."""
    language = entry.language if entry.language in _WORDS else "nl"
    words = _WORDS[language]
    title = escape(words["title"].format(client=strip_bidi_controls(entry.client)))
    period = words["period"].format(
        start=format_date(entry.first_day, language), end=format_date(entry.last_day, language)
    )
    updated = words["updated"].format(
        revision=entry.revision, date=format_date(_local_date(entry.updated, entry.timezone), language)
    )
    handout = (
        f'<li><a href="{escape(entry.pdf_url)}" type="application/pdf">{words["handout"]}</a>'
        f" <small>({words['handout_note']})</small></li>\n"
        if has_pdf
        else ""
    )
    html = f"""<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{escape(words["intro"])}</p>
<p>{escape(period)} {escape(updated)}</p>
<h2>{words["subscribe"]}</h2>
<ul>
<li><a class="button" href="{escape(webcal_url(entry.url))}">{escape(words["apple"])}</a></li>
<li><a class="button" href="{escape(google_url(entry.url))}">{escape(words["google"])}</a></li>
<li><a href="{escape(entry.url)}" type="text/calendar" download>{escape(words["download"])}</a>
 <small>({escape(words["download_note"])})</small></li>
{handout}</ul>
<p>{escape(words["manual"])}<br><code>{escape(entry.url)}</code></p>
<p class="note">{escape(words["private"])}</p>
</main>
</body>
</html>
"""
    return html.encode("utf-8")
