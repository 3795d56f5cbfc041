"""Keep the catalogs in step with the source: extract the ids, update the catalogs, report what is missing.

``make translations`` runs ``python -m revalidatie.i18n._maintain --update``: it writes the template
(``locale/revalidatie.pot``) from the source with Babel, adds new ids to every catalog (empty, to be
translated), marks ids the source no longer has as obsolete, and fails while a catalog is incomplete.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import CLIENT_LANGUAGES, DOMAIN, FALLBACK, LOCALE_DIR, PHYSIO_LANGUAGES, available_languages, po_path

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
PHYSIO_AREAS = ("warning.", "summary.", "error.", "cli.")
"""Ids of physio-facing text: only the languages in :data:`PHYSIO_LANGUAGES` must have them."""
_FIELD = re.compile(r"\{([a-z_]+)\}")


def extract() -> Catalog:
    """Every message id the package's source uses, as a Babel catalog (the template)."""
    template = Catalog(domain=DOMAIN, project="revalidatie", fuzzy=False)
    found = extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "revalidatie.i18n._extract:extract_ids")],
        keywords={"plural": (1, 2)},
    )
    for filename, lineno, message, _comments, _context in found:
        template.add(message, locations=[(filename, lineno)])
    return template


def read(language: str) -> Catalog:
    """The catalog of ``language`` as it is on disk."""
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language, domain=DOMAIN)


def required(msgid: str, language: str) -> bool:
    """Whether ``language`` must translate ``msgid``: client texts in every language, physio texts in nl/en."""
    if msgid.startswith(PHYSIO_AREAS):
        return language in PHYSIO_LANGUAGES
    return language in CLIENT_LANGUAGES or language in PHYSIO_LANGUAGES


def _forms(message: Message) -> tuple[str, ...]:
    value = message.string
    return tuple(value) if isinstance(value, tuple | list) else (str(value or ""),)


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def problems(template: Catalog, catalog: Catalog, english: Catalog) -> list[str]:
    """Everything wrong with one catalog against the template: missing, empty, fuzzy, stale, wrong fields."""
    language = str(catalog.locale)
    wanted = {str(m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    found: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        msgid = str(message.id if isinstance(message.id, str) else message.id[0])
        if msgid not in wanted:
            found.append(f"{language}: {msgid} is stale (no longer in the source)")
            continue
        forms = _forms(message)
        if message.fuzzy:
            found.append(f"{language}: {msgid} is fuzzy")
        if not all(form.strip() for form in forms):
            if required(msgid, language):
                found.append(f"{language}: {msgid} is not translated")
            continue
        source = english.get(message.id)
        if source is not None and language != FALLBACK:
            expected = set().union(*(_fields(form) for form in _forms(source)))
            for form in forms:
                # A plural form may leave out {n} ("one day"), never add a field the source has not.
                extra = _fields(form) - expected - {"n"}
                lost = expected - _fields(form) - {"n"}
                if extra or lost:
                    found.append(f"{language}: {msgid} has fields {sorted(_fields(form))}, English {sorted(expected)}")
    present = {str(m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}
    for msgid in sorted(wanted - present):
        if required(msgid, language):
            found.append(f"{language}: {msgid} is missing")
    plural_template = {str(m.id[0]) for m in template if m.id and not isinstance(m.id, str)}
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.id in plural_template:
            found.append(f"{language}: {message.id} needs plural forms")
    return found


def check(languages: Iterable[str] | None = None) -> list[str]:
    """The problems of every catalog (or of ``languages``); empty when all are complete and current."""
    template = extract()
    english = read(FALLBACK)
    result: list[str] = []
    for language in languages or available_languages():
        result += problems(template, read(language), english)
    return result


def update() -> None:
    """Write the template and merge it into every catalog (new ids empty, gone ids obsolete)."""
    template = extract()
    english = read(FALLBACK)
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as file:
        write_po(file, template, omit_header=False, no_location=True, sort_output=True, width=0)
    for language in available_languages():
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        if language != FALLBACK:
            for message in catalog:
                source = english.get(message.id)
                if message.id and source is not None:
                    message.auto_comments = [" / ".join(_forms(source))]
        with po_path(language).open("wb") as file:
            write_po(
                file, catalog, no_location=True, sort_output=True, width=0, include_previous=False, ignore_obsolete=True
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Update (with ``--update``) and check the catalogs; exit status 1 while anything is missing."""
    parser = argparse.ArgumentParser(prog="python -m revalidatie.i18n._maintain")
    parser.add_argument("--update", action="store_true", help="write the template and merge it into every catalog")
    args = parser.parse_args(argv)
    if args.update:
        update()
    found = check()
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{len(available_languages())} catalogs, {len(found)} problems")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
