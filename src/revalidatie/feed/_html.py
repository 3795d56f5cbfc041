"""What the feed's two web pages share: the document around their content, its style hash and its language."""

from __future__ import annotations

import base64
import hashlib

from ..i18n import CLIENT_LANGUAGES, FALLBACK, Texts


def style_hash(style: str) -> str:
    """The Content-Security-Policy source that allows exactly ``style`` as an inline stylesheet."""
    return "sha256-" + base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")


def page_language(language: str) -> str:
    """A page's language: ``language`` when it is a client language, else the text layer's fallback."""
    return language if language in CLIENT_LANGUAGES else FALLBACK


def document(t: Texts, *, title: str, style: str, body: str) -> bytes:
    """The page as UTF-8 HTML in the language of ``t`` (``dir="rtl"`` for Arabic): not indexed, no referrer.

    ``title`` is plain text (escaped by the caller); ``body`` is the HTML inside ``<main>``.
    """
    direction = ' dir="rtl"' if t.rtl else ""
    html = f"""<!DOCTYPE html>
<html lang="{t.language}"{direction}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
{body}</main>
</body>
</html>
"""
    return html.encode("utf-8")
