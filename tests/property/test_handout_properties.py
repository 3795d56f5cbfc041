"""The handout's layout over generated clients: every page reference points at the card, the pages add up."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

import revalidatie as rv
from revalidatie.export.layout import CARDS_PER_PAGE, has_card, layout
from revalidatie.export.pdf import _render
from tests.strategies import profiles

CATALOG = rv.load_catalog()
MANY = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RENDERED = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plan(profile: rv.ClientProfile) -> rv.Plan | None:
    try:
        return rv.plan_programme(profile, CATALOG)
    except rv.ProfileError:
        return None  # a protocol the client has already finished


@MANY
@given(profiles())
def test_every_card_the_plan_needs_has_a_page_and_the_pages_add_up(profile: rv.ClientProfile) -> None:
    plan = _plan(profile)
    if plan is None:
        return
    where = layout(plan)
    needed = {i.exercise_id for s in plan.sessions for i in s.items if has_card(plan, i)}
    assert set(where.cards) == needed
    pages = list(where.card_pages.values())
    assert pages == sorted(pages)
    for page in set(pages):
        assert pages.count(page) <= CARDS_PER_PAGE
    extras = list(where.extras.values())
    assert set(where.extras) == {"condition", "diary"}
    assert len(set(extras)) == len(extras)  # two small sections never share a place
    taken = {where.rules_page, *pages, *(page for _, page, _ in where.phases), *(page for page, _ in extras)}
    front = {1} | ({where.notes_page} if where.notes_page else set())
    assert taken | front == set(range(1, where.pages + 1))  # no page left empty, none beyond the count
    assert where.rules_page < min((page for _, page, _ in where.phases), default=where.pages + 1)
    for page, place in extras:
        others: list[str] = [p for _, phase_page, p in where.phases if phase_page == page]
        others += ["card" for p in pages if p == page]
        others += [p for other_page, p in extras if other_page == page and p != place]
        if place == "lower":
            assert others == ["upper"]
        elif place == "half":
            assert len(others) == 1  # the upper half holds one phase section, card or leading section
            assert others[0] in ("half", "card", "lead")
        elif place == "lead":
            assert len(others) <= 1  # the first phase section, or the diary, or nothing below it


@RENDERED
@given(profiles())
def test_the_rendered_handout_has_the_pages_the_layout_promised(profile: rv.ClientProfile) -> None:
    plan = _plan(profile)
    if plan is None:
        return
    where = layout(plan)
    pdf, scales = _render(plan, None, None, None, None)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == where.pages
    assert len(scales) >= 3  # first page, rules, diary at least
    assert min(scales) > 0.4  # a slot never needs more than a little shrinking to fit


@MANY
@given(profiles())
def test_a_booklet_without_a_diary_keeps_every_card_on_its_page_and_leaves_no_page_empty(
    profile: rv.ClientProfile,
) -> None:
    plan = _plan(profile)
    if plan is None:
        return
    paper, online = layout(plan), layout(plan, diary=False)
    assert online.card_pages == paper.card_pages  # a calendar event's "card on p. N" holds in either booklet
    assert online.diary_page is None
    assert set(online.extras) == {"condition"}
    diary_alone = paper.extras["diary"][1] == "full"
    assert online.pages == paper.pages - (1 if diary_alone else 0)
    taken = {online.rules_page, *online.card_pages.values(), *(page for _, page, _ in online.phases)}
    taken |= {page for page, _ in online.extras.values()}
    front = {1} | ({online.notes_page} if online.notes_page else set())
    assert taken | front == set(range(1, online.pages + 1))


@RENDERED
@given(profiles())
def test_a_check_in_clients_handout_has_the_pages_its_layout_promised(profile: rv.ClientProfile) -> None:
    plan = _plan(profile)
    if plan is None:
        return
    pdf, _ = _render(plan, None, None, None, None, "https://feeds.example/checkin/abc")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == layout(plan, diary=False).pages
