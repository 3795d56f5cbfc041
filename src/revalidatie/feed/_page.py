"""The feed's web page: subscribe links for every calendar app, the handout, and the feed's address.

One small HTML document in the client's language, with no scripts, images, fonts or other requests: its
only style is inline, allowed by hash in the Content-Security-Policy, so ``default-src 'none'`` holds.
The server and the static export write the same bytes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from html import escape
from urllib.parse import quote

from .._bidi import strip_bidi_controls
from ..i18n import texts_for
from ._html import document, page_language, style_hash
from .store import FeedEntry

STYLE = (
    "body{font:1.05rem/1.5 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;"
    "color:#1a1a1a;background:#fff}"
    "h1{font-size:1.5rem;line-height:1.25}"
    "a{color:#0b4f8a}a:focus{outline:3px solid #f2a900;outline-offset:2px}"
    "ul{padding-inline-start:0;list-style:none}li{margin:.6rem 0}"
    ".button{display:inline-block;padding:.55rem .9rem;border:2px solid #0b4f8a;border-radius:.4rem;"
    "text-decoration:none;font-weight:600}"
    "code{word-break:break-all;background:#f1f1f1;padding:.1rem .25rem}"
    "small,.note{color:#444}"
)
STYLE_HASH = style_hash(STYLE)
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


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
    """The feed's web page in the client's language, as UTF-8 HTML bytes; every text from the store is escaped.

    The language is the plan's (any client language; another gets the text layer's fallback, English). A
    right-to-left language gets ``dir="rtl"``; the client's name and the addresses keep their own direction.
    """
    language = page_language(entry.language)
    t = texts_for(language)
    client = strip_bidi_controls(entry.client)
    # The name may be in another script than the page: isolated, so it neither takes nor gives direction.
    title = escape(t("page.title", client=f"\u2068{client}\u2069"))
    heading = escape(t("page.title")).format(client=f"<bdi>{escape(client)}</bdi>")
    period = t("page.period", start=t.date(entry.first_day, "long"), end=t.date(entry.last_day, "long"))
    updated = t(
        "page.updated", revision=entry.revision, date=t.date(_local_date(entry.updated, entry.timezone), "long")
    )
    handout = (
        f'<li><a href="{escape(entry.pdf_url)}" type="application/pdf">{escape(t("page.handout"))}</a>'
        f" <small>({escape(t('page.handout-note'))})</small></li>\n"
        if has_pdf
        else ""
    )
    body = f"""<h1>{heading}</h1>
<p>{escape(t("page.intro"))}</p>
<p>{escape(period)} {escape(updated)}</p>
<h2>{escape(t("page.subscribe"))}</h2>
<ul>
<li><a class="button" href="{escape(webcal_url(entry.url))}">{escape(t("page.apple"))}</a></li>
<li><a class="button" href="{escape(google_url(entry.url))}">{escape(t("page.google"))}</a></li>
<li><a href="{escape(entry.url)}" type="text/calendar" download>{escape(t("page.download"))}</a>
 <small>({escape(t("page.download-note"))})</small></li>
{handout}</ul>
<p>{escape(t("page.manual"))}<br><code dir="ltr">{escape(entry.url)}</code></p>
<p class="note">{escape(t("page.private"))}</p>
"""
    return document(t, title=title, style=STYLE, body=body)
