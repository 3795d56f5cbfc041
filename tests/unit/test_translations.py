"""The text layer: every catalog complete and current, plural forms, fallbacks, and checks that can fail."""

from __future__ import annotations

import datetime as dt
import io
import tomllib
from pathlib import Path

import pydantic
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

import revalidatie as rv
from revalidatie.i18n import (
    CLIENT_LANGUAGES,
    PHYSIO_LANGUAGES,
    available_languages,
    interface_language,
    physio_language,
    texts_for,
)
from revalidatie.i18n import _maintain as maintain
from revalidatie.model.common import Localized, LocalizedList


@pytest.fixture(scope="module")
def template() -> Catalog:
    return maintain.extract()


def test_every_catalog_is_complete_and_current() -> None:
    # `make translations` updates the catalogs from the source; this fails on a missing, empty, fuzzy or stale
    # message, or one whose {placeholders} differ from the English text.
    assert maintain.check() == []


def test_every_client_language_has_a_catalog() -> None:
    assert set(CLIENT_LANGUAGES) | set(PHYSIO_LANGUAGES) <= set(available_languages())


def test_the_source_uses_the_ids_of_every_area(template: Catalog) -> None:
    ids = {str(m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
    for area in ("handout.", "calendar.", "rules.", "dose.", "warning."):
        assert any(msgid.startswith(area) for msgid in ids), area
    assert "rules.days" in ids
    plural = {str(m.id[0]) for m in template if m.id and not isinstance(m.id, str)}
    assert {"rules.days", "dose.weight-raised"} <= plural


def _without(language: str, msgid: str) -> Catalog:
    catalog = maintain.read(language)
    catalog.delete(msgid)
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    buffer.seek(0)
    return read_po(buffer, locale=language)


@pytest.mark.parametrize("language", CLIENT_LANGUAGES)
def test_a_missing_message_is_found(template: Catalog, language: str) -> None:
    english = maintain.read("en")
    catalog = _without(language, "handout.doc-title")
    assert f"{language}: handout.doc-title is missing" in maintain.problems(template, catalog, english)


def test_a_stale_an_empty_and_a_misspelt_placeholder_are_found(template: Catalog) -> None:
    english = maintain.read("en")
    catalog = maintain.read("tr")
    catalog.add("handout.gone", "eski")
    catalog["handout.doc-title"].string = ""
    catalog["handout.week-heading"].string = "Hafta {m}"
    found = maintain.problems(template, catalog, english)
    assert "tr: handout.gone is stale (no longer in the source)" in found
    assert "tr: handout.doc-title is not translated" in found
    assert any(problem.startswith("tr: handout.week-heading has fields") for problem in found)


def test_physio_texts_are_required_only_in_nl_and_en() -> None:
    assert maintain.required("warning.plan-too-long", "nl")
    assert not maintain.required("warning.plan-too-long", "tr")
    assert maintain.required("handout.doc-title", "pl")
    assert physio_language("tr") == "nl"
    assert physio_language("en") == "en"


def test_plural_forms_follow_each_language() -> None:
    pl = texts_for("pl")
    assert [pl.plural("rules.days", n, n=n) for n in (1, 2, 5, 22)] == ["jeden dzień", "2 dni", "5 dni", "22 dni"]
    nl = texts_for("nl")
    assert [nl.plural("rules.days", n, n=n) for n in (1, 3)] == ["een dag", "3 dagen"]
    ar = texts_for("ar")  # six forms: zero, one, two, few (3-10), many (11-99), other
    weeks = [ar.plural("handout.weeks", n, n=n) for n in (1, 2, 3, 11, 100)]
    assert weeks == ["أسبوع واحد", "أسبوعان", "3 أسابيع", "11 أسبوعًا", "100 أسبوع"]
    en = texts_for("en")
    assert en.plural("dose.weight-raised", 1, n=1) == "weight raised once (2-10% each time)"
    assert en.plural("dose.weight-raised", 2, n=2) == "weight raised 2 times (2-10% each time)"


def test_numbers_and_dates_come_from_the_locale() -> None:
    import datetime as dt

    assert [texts_for(lang).number(4.5) for lang in ("nl", "en", "tr", "pl")] == ["4,5", "4.5", "4,5", "4,5"]
    day = dt.date(2026, 3, 2)
    assert texts_for("nl").date(day) == "2 maart 2026"
    assert texts_for("tr").date(day) == "2 Mart 2026"
    assert texts_for("pl").date(day) == "2 marca 2026"


def test_an_unknown_id_or_language_falls_back_without_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(KeyError, match=r"handout\.no-such-text"):
        texts_for("tr")("handout.no-such-text")  # the tests run strict
    monkeypatch.setenv("REVALIDATIE_STRICT_TEXTS", "0")
    assert texts_for("tr")("handout.no-such-text") == "handout.no-such-text"
    assert texts_for("xx")("handout.doc-title") == texts_for("en")("handout.doc-title")
    # Physio-facing texts are not translated into tr; English stands in where one is asked for anyway.
    assert texts_for("tr")("warning.nothing") == texts_for("en")("warning.nothing")


@pytest.mark.parametrize("language", ["tr", "pl", "ar"])
def test_every_bundled_text_a_client_reads_is_translated(catalog: rv.Catalog, language: str) -> None:
    assert catalog.untranslated(language) == ()


def test_a_catalog_text_without_a_translation_falls_back_to_english() -> None:
    text = Localized(nl="Bruggetje", en="Bridge", tr="Köprü")
    assert [text(lang) for lang in ("nl", "en", "tr", "pl", "ar")] == [
        "Bruggetje",
        "Bridge",
        "Köprü",
        "Bridge",
        "Bridge",
    ]
    assert text.has("tr")
    assert not text.has("pl")
    items = LocalizedList(nl=("een", "twee"), en=("one", "two"), pl=("jeden", "dwa"))
    assert items("pl") == ("jeden", "dwa")
    assert items("tr") == ("one", "two")


def test_a_translation_with_too_few_items_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="has 1 items but nl has 2"):
        LocalizedList(nl=("een", "twee"), en=("one", "two"), tr=("bir",))


def test_a_practice_sees_what_its_own_exercise_lacks(catalog: rv.Catalog, tmp_path: Path) -> None:
    own = tmp_path / "exercises"
    own.mkdir()
    source = (rv.load_catalog().folders[0] / "exercises" / "bridges.toml").read_text(encoding="utf-8")
    # The bundled bridge with its Polish texts taken out: the practice's copy replaces it.
    kept = "\n".join(line for line in _drop_polish_lists(source).splitlines() if not line.startswith("pl = "))
    (own / "bridges.toml").write_text(kept + "\n", encoding="utf-8")
    mine = rv.load_catalog(tmp_path)
    missing = mine.untranslated("pl")
    assert "exercise bridge-double-leg: name" in missing
    assert "exercise bridge-double-leg: steps" in missing
    assert mine.exercises["bridge-double-leg"].name("pl") == "Double-leg bridge"
    assert mine.untranslated("tr") == ()


def _drop_polish_lists(text: str) -> str:
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        if line.startswith("pl = ["):
            skipping = True
            continue
        if skipping:
            skipping = line.strip() != "]"
            continue
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.mark.parametrize(
    ("interface", "header"), [("nl", "Geen programma voor {}: verwijzing nodig"), ("en", "No programme for {}")]
)
def test_a_turkish_clients_referral_has_the_interface_languages_header_and_turkish_findings(
    catalog: rv.Catalog, monkeypatch: pytest.MonkeyPatch, interface: str, header: str
) -> None:
    monkeypatch.setenv("REVALIDATIE_LANG", interface)
    source = (Path(__file__).resolve().parents[2] / "examples" / "profiles" / "cleared-urgent-flag.toml").read_text()
    profile = rv.parse_profile(tomllib.loads(source.split("[[screening.clearances]]")[0]))
    turkish = profile.model_copy(update={"language": rv.Language.TR})
    with pytest.raises(rv.ReferralRequired) as caught:
        rv.plan_programme(turkish, catalog)
    message = str(caught.value)
    assert message.startswith(header.format(profile.name))
    assert catalog.red_flags["groin-pain-on-exercise"].question("tr") in message


@pytest.mark.parametrize("language", ["tr", "pl", "ar"])
def test_a_turkish_polish_or_arabic_handout_and_calendar_are_in_that_language_and_the_same_every_time(
    catalog: rv.Catalog, language: str
) -> None:
    import icalendar

    path = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "hip-overload.toml"
    plan = rv.plan_programme(rv.load_profile(path), catalog)
    assert rv.render_pdf(plan, language=language) == rv.render_pdf(plan, language=language)
    data = rv.render_ics(plan, language=language)
    assert data == rv.render_ics(plan, language=language)
    calendar = icalendar.Calendar.from_ical(data)
    t = texts_for(language)
    assert str(calendar["X-WR-CALNAME"]) == t("calendar.calendar", name=plan.profile.first_name)
    events = list(calendar.walk("VEVENT"))
    assert events
    described = " ".join(str(event["DESCRIPTION"]) for event in events)
    assert t("calendar.pain") in described
    assert t("rules.strength-red") in described
    first = catalog.exercises[plan.sessions[0].items[0].exercise_id]
    assert first.name(language) in described
    assert first.name(language) != first.name("en")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "nl_NL.UTF-8"}, "nl"),
        ({"LANG": "nl_BE.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "nl_NL@euro"}, "nl"),
        ({"LC_ALL": "", "LANG": "nl"}, "nl"),
        ({"LANG": "tr_TR.UTF-8"}, "en"),
        ({"REVALIDATIE_LANG": "nl", "LC_ALL": "en_GB.UTF-8"}, "nl"),
        ({"REVALIDATIE_LANG": "en", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"REVALIDATIE_LANG": "nl_NL.UTF-8"}, "nl"),
        ({"REVALIDATIE_LANG": "tr", "LANG": "nl_NL.UTF-8"}, "nl"),
    ],
)
def test_the_interface_language_comes_from_revalidatie_lang_then_the_locale_then_english(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in ("REVALIDATIE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert interface_language() == expected


def _emitted_warnings() -> dict[str, set[str]]:
    """Every warning code the planner's source adds, with the parameters each call gives, read from the source."""
    import ast

    from revalidatie.planning.warnings import WarningCode

    found: dict[str, set[str]] = {}
    planning = Path(rv.__file__).parent / "planning"
    for path in sorted(planning.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "add"):
                continue
            codes = [
                arg.attr
                for arg in node.args
                if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "WarningCode"
            ]
            for name in codes:
                found.setdefault(WarningCode[name].value, set()).update(k.arg for k in node.keywords if k.arg)
    return found


def test_every_warning_the_planner_gives_has_words_in_dutch_and_english() -> None:
    from revalidatie.export.text import _WARNINGS

    emitted = _emitted_warnings()
    assert len(emitted) >= 10, emitted  # the reading of the source found the planner's calls
    catalogs = {language: maintain.read(language) for language in PHYSIO_LANGUAGES}
    for code, params in sorted(emitted.items()):
        assert code in _WARNINGS, f"{code} has no warning. message in revalidatie.export.text._WARNINGS"
        msgid = _WARNINGS[code]
        for language, catalog in catalogs.items():
            message = catalog.get(msgid)
            assert message is not None, f"{language}: {msgid} is missing"
            forms = message.string if isinstance(message.string, tuple | list) else (message.string,)
            assert all(str(form or "").strip() for form in forms), f"{language}: {msgid} is empty"
            # Every field of the words comes from the warning's parameters or is named from them (phase_name).
            fields = set().union(*(maintain._fields(str(form)) for form in forms))
            derived = {f"{name}_name" for name in ("phase", "exercise", "replacement")}
            assert fields <= params | derived, f"{language}: {msgid} uses {sorted(fields - params - derived)}"


def _web_plan(catalog: rv.Catalog, language: str, start: dt.date) -> rv.Plan:
    path = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "gluteal-tendinopathy.toml"
    profile = rv.load_profile(path).model_copy(update={"language": rv.Language(language), "start_date": start})
    return rv.plan_programme(profile, catalog)


@pytest.mark.parametrize("language", CLIENT_LANGUAGES)
def test_the_feed_page_and_the_checkin_page_are_in_every_client_language(catalog: rv.Catalog, language: str) -> None:
    from revalidatie.feed._checkin_page import Outcome, render_checkin
    from revalidatie.feed._page import render_page
    from revalidatie.feed._records import FeedEntry
    from revalidatie.model.log import Zone

    # The suite runs with REVALIDATIE_STRICT_TEXTS=1: an id no catalog has raises instead of showing the id.
    today = dt.date(2027, 1, 20)
    plan = _web_plan(catalog, language, today - dt.timedelta(days=today.weekday() + 14))
    t, english = texts_for(language), texts_for("en")
    entry = FeedEntry(
        token="T0k3n",
        url="https://feeds.example.nl/feeds/T0k3n.ics",
        base_url="https://feeds.example.nl",
        plan_id=plan.id,
        client="\u0633\u0627\u0631\u0629 Yilmaz",  # an Arabic first name in any page's language
        language=language,
        timezone="Europe/Amsterdam",
        first_day=plan.start,
        last_day=plan.end,
        revision=2,
        updated=dt.datetime(2027, 1, 3, 9, tzinfo=dt.UTC),
        revoked=False,
    )
    outcomes = [None, Outcome(bad=True), Outcome(zone=Zone.AMBER), Outcome(zone=Zone.RED, revised=True, alerts=("x",))]
    pages = [render_page(entry, has_pdf=True).decode()]
    pages += [
        render_checkin(
            token="T0k3n", client=entry.client, plan=plan, checkins=(), today=today, secret=b"s", outcome=outcome
        ).decode()
        for outcome in outcomes
    ]
    pages.append(  # a day without sessions: the plural message
        render_checkin(
            token="T0k3n", client="A", plan=plan, checkins=(), today=plan.start - dt.timedelta(days=9), secret=b"s"
        ).decode()
    )
    rtl = ' dir="rtl"' if language == "ar" else ""
    for html in pages:
        assert f'<html lang="{language}"{rtl}>' in html
        assert "<bdi>\u0633\u0627\u0631\u0629" in html or "<bdi>A</bdi>" in html
    feed, checkin, bad, amber, red, empty = pages
    assert t("page.subscribe") in feed
    assert t.date(plan.start, "long") in feed
    assert t("checkin.status") in checkin
    assert t.date(today, "EEEE d MMMM") in checkin
    assert t("checkin.kind-strength") in checkin or t("checkin.kind-run") in checkin
    assert t("checkin.bad") in bad
    assert t("checkin.zone-amber") in amber
    assert t("checkin.revised") in red
    assert t("checkin.alert") in red
    assert t.plural("checkin.none", 3, n=3) in empty
    if language != "en":
        for msgid in ("page.intro", "page.private", "checkin.status", "checkin.send", "checkin.private"):
            assert english(msgid) not in "".join(pages), msgid


def test_a_language_the_pages_lack_falls_back_to_english() -> None:
    from revalidatie.feed._page import render_page
    from revalidatie.feed._records import FeedEntry

    entry = FeedEntry(
        token="T",
        url="https://feeds.example.nl/feeds/T.ics",
        base_url="https://feeds.example.nl",
        plan_id="p",
        client="Zo\u00eb",
        language="de",
        timezone="Europe/Berlin",
        first_day=dt.date(2027, 1, 4),
        last_day=dt.date(2027, 3, 1),
        revision=1,
        updated=dt.datetime(2027, 1, 3, tzinfo=dt.UTC),
        revoked=False,
    )
    html = render_page(entry, has_pdf=False).decode()
    assert '<html lang="en">' in html
    assert texts_for("en")("page.intro") in html


@pytest.mark.parametrize("msgid", ["cli.feed-list-client", "error.field-missing", "error.and-more"])
def test_a_missing_cli_or_error_message_is_found_in_dutch_and_english_only(template: Catalog, msgid: str) -> None:
    english = maintain.read("en")
    for language in PHYSIO_LANGUAGES:
        found = maintain.problems(template, _without(language, msgid), english)
        assert f"{language}: {msgid} is missing" in found
    assert not any(msgid in problem for problem in maintain.problems(template, _without("tr", msgid), english))
