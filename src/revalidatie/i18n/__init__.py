"""The one text layer: every word a client or physio reads, from gettext catalogs per language.

A module asks for its words by message id, never by position::

    from revalidatie.i18n import texts_for

    t = texts_for("tr")
    t("handout.doc-title")                 # the title of the handout, in Turkish
    t("handout.weeks", n=6)                # placeholders are str.format fields
    t.plural("rules.days", 3, n=3)         # plural forms from the catalog's Plural-Forms
    t.date(day, "long"), t.number(4.5)     # Babel, in the language's locale

Message ids are ``<area>.<key>`` (``handout.``, ``calendar.``, ``rules.``, ``dose.``, ``warning.``, ...), written
in full where they are used (never built with an f-string, so extraction finds every one). The
catalogs are ``locale/<language>/LC_MESSAGES/revalidatie.po`` in this package; they are compiled with Babel
the first time a language is used, and kept for the life of the process. ``make translations`` extracts the
ids from the source (Babel, with :func:`revalidatie.i18n._extract.extract_ids`) and checks every catalog is
complete; ``tests/unit/test_translations.py`` fails on a missing, empty, fuzzy or stale message, or on a
translation whose ``{placeholders}`` differ from the English text.

A client-facing language (:data:`CLIENT_LANGUAGES`) has every message. A message missing from a catalog
falls back to English, then to the id itself, so a practice's own catalog never crashes a render.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from functools import cache
from pathlib import Path
from typing import Final

CLIENT_LANGUAGES: Final = ("nl", "en", "tr", "pl", "ar")
"""Languages of everything a client sees: the handout and the calendar."""
PHYSIO_LANGUAGES: Final = ("nl", "en")
"""Languages of what the physio reads: the summary, planner warnings and error messages."""
RTL_LANGUAGES: Final = frozenset({"ar", "he"})
"""Languages written right to left."""
DOMAIN: Final = "revalidatie"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
FALLBACK: Final = "en"

_LOCALES: Final = {"nl": "nl_NL", "en": "en_GB", "tr": "tr_TR", "pl": "pl_PL", "ar": "ar"}


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention for "mark for extraction only"
    """Mark ``msgid`` for extraction where it is looked up later (a table of ids); returns it unchanged."""
    return msgid


def physio_language(language: str) -> str:
    """The language of physio-facing output for a client's ``language``: itself when supported, else Dutch."""
    return language if language in PHYSIO_LANGUAGES else "nl"


INTERFACE_ENV: Final = "REVALIDATIE_LANG"
"""Set to ``nl`` or ``en`` to choose the language of the command line's words and of error messages."""
_LOCALE_ENV: Final = ("LC_ALL", "LC_MESSAGES", "LANG")


def interface_language() -> str:
    """The language of the tool's own words (what the CLI prints) and of error messages: ``nl`` or ``en``.

    :data:`INTERFACE_ENV` when it names ``nl`` or ``en`` (``nl_NL.UTF-8`` counts as ``nl``); else the POSIX
    locale, the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set (``nl`` or ``nl_BE.UTF-8``
    give Dutch); else English. Read on every call, so a change of the environment counts at once.
    """
    chosen = _language_code(os.environ.get(INTERFACE_ENV, ""))
    if chosen in PHYSIO_LANGUAGES:
        return chosen
    for name in _LOCALE_ENV:
        value = os.environ.get(name, "")
        if value:
            return "nl" if _language_code(value) == "nl" else FALLBACK
    return FALLBACK


def _language_code(value: str) -> str:
    # "nl_NL.UTF-8@euro" -> "nl"; "C", "POSIX" and "" -> themselves, which no language matches.
    return value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def po_path(language: str) -> Path:
    """Where the catalog of ``language`` lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> tuple[str, ...]:
    """Every language with a catalog in the package, sorted."""
    return tuple(sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))


class Texts:
    """The words of one language.

    Attributes:
        language: The language code (``nl``, ``en``, ``tr``, ``pl``, ...).
        locale: The Babel locale used for dates and numbers.
        rtl: Whether the language is written right to left.

    """

    __slots__ = ("_translations", "language", "locale", "rtl")

    def __init__(self, language: str, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.locale = _LOCALES.get(language, language)
        self.rtl = language in RTL_LANGUAGES
        self._translations = translations

    def __call__(self, msgid: str, /, **values: object) -> str:
        """The text of ``msgid``, with ``{placeholders}`` filled from ``values``."""
        text = self._translations.gettext(msgid)
        if text is msgid or text == msgid:
            _missing(msgid)
        return text.format(**values) if values else text

    def plural(self, msgid: str, count: int, /, **values: object) -> str:
        """The form of ``msgid`` for ``count`` by the language's plural rule, filled from ``values``."""
        text = self._translations.ngettext(msgid, msgid, count)
        if text == msgid:
            _missing(msgid)
        return text.format(**values) if values else text

    def date(self, day: dt.date, style: str = "long") -> str:
        """``day`` in this language (a Babel style such as ``long`` or a CLDR pattern such as ``d MMM``)."""
        return _format_date(day, self.locale, style)

    def number(self, value: float) -> str:
        """``value`` with this language's decimal sign and at most one decimal, no trailing zeros."""
        if value == int(value):
            return str(int(value))
        return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", _decimal_symbol(self.locale))


STRICT_ENV: Final = "REVALIDATIE_STRICT_TEXTS"
"""Set to ``1`` (the test suite does) to make a message id no catalog has an error instead of printing the id."""


def _missing(msgid: str) -> None:
    if os.environ.get(STRICT_ENV) == "1":
        raise KeyError(f"no catalog has the message {msgid!r}; add it (make translations)")


@cache
def texts_for(language: str) -> Texts:
    """The words of ``language`` (compiled from its catalog on first use); unknown languages get English."""
    language = str(language)
    fallback = gettext.NullTranslations()
    if language != FALLBACK:
        english = _compiled(FALLBACK)
        english.add_fallback(fallback)
        fallback = english
    path = po_path(language)
    if not path.is_file():
        return Texts(language, fallback)
    translations = _compiled(language)
    translations.add_fallback(fallback)
    return Texts(language, translations)


def interface_texts() -> Texts:
    """The words of :func:`interface_language`: for what the CLI prints and for error messages."""
    return texts_for(interface_language())


def word(msgid: str, language: str, /, **values: object) -> str:
    """The text of ``msgid`` in ``language``, filled from ``values`` (a shortcut for ``texts_for(language)``)."""
    return texts_for(language)(msgid, **values)


def _compiled(language: str) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as file:
        catalog = read_po(file, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def _format_date(day: dt.date, locale: str, style: str) -> str:
    from babel.dates import format_date

    return format_date(day, format=style, locale=locale)


@cache
def _decimal_symbol(locale: str) -> str:
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(locale)
