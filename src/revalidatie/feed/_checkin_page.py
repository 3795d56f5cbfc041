"""The client's check-in page: one plain HTML form per recent session, read without JavaScript.

The page shows the client's first name and their sessions of the last days, nothing else of the plan. Its
only style is inline and allowed by hash; forms post to the page itself (``form-action 'self'``). The
server's handlers are in :mod:`._app`; what a report does is in :mod:`.checkin`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from html import escape

import attrs

from .._bidi import strip_bidi_controls
from ..i18n import Texts, texts_for
from ..model.log import SessionLog, Zone
from ..model.plan import Plan, Session, SessionKind
from ._html import document, page_language, style_hash
from ._records import CheckIn, latest_logs
from .checkin import form_token

DAYS_BACK = 2
"""How many days before today the page still offers sessions to report (yesterday's for next-morning pain)."""
MAX_FORM_BYTES = 8192
"""Largest check-in form body accepted; larger ones get 413."""
MAX_NOTE = 500
"""Longest note the form takes."""
PARTLY = "[partly] "
"""How a partly done session is kept in the one log model: done, with this at the start of the note."""

STYLE = (
    "body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:0 auto;padding:1rem;color:#1a1a1a;"
    "background:#fff}h1{font-size:1.45rem;line-height:1.25;margin:.5rem 0 1rem}"
    "h2{font-size:1.2rem;margin:0 0 .5rem}"
    "section{border:2px solid #ccd;border-radius:.6rem;padding:1rem;margin:0 0 1.25rem}"
    "fieldset{border:0;padding:0;margin:0 0 1rem}legend{font-weight:600;margin-bottom:.4rem}"
    ".choices{display:flex;flex-wrap:wrap;gap:.5rem}"
    ".choices label,.check{display:flex;align-items:center;gap:.6rem;min-height:3rem;padding:.25rem .9rem;"
    "border:2px solid #0b4f8a;border-radius:.5rem}.choices label{flex:1 1 auto}"
    "input[type=radio],input[type=checkbox]{flex:none;width:1.5rem;height:1.5rem;margin:0}"
    "details{margin:0 0 1rem}summary{font-weight:600;min-height:2.5rem;padding:.4rem 0;cursor:pointer}"
    ".check+.check{margin-top:.5rem}"
    "label.field{display:block;font-weight:600;margin:.75rem 0 .3rem}"
    "select,textarea{font:inherit;width:100%;box-sizing:border-box;min-height:3rem;padding:.4rem;"
    "border:2px solid #556;border-radius:.4rem}"
    "button{font:inherit;font-weight:700;width:100%;min-height:3.25rem;margin-top:1rem;border:0;"
    "border-radius:.5rem;background:#0b4f8a;color:#fff}"
    "button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f2a900;outline-offset:2px}"
    ".message{padding:.5rem 1rem;border-radius:.6rem;margin:0 0 1.25rem;border:3px solid}.message p{margin:.5rem 0}"
    ".red{border-color:#b00020;background:#fdecef}.amber{border-color:#b36b00;background:#fff4e0}"
    ".green{border-color:#1b7a3a;background:#e9f7ee}.alert{border-color:#b00020;background:#b00020;color:#fff}"
    ".morning{border-color:#0b4f8a}.small{color:#444;font-size:.95rem}"
)
STYLE_HASH = style_hash(STYLE)
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; style-src '{STYLE_HASH}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

_KIND = {
    SessionKind.RUN: "checkin.kind-run",
    SessionKind.STRENGTH: "checkin.kind-strength",
    SessionKind.CROSS_TRAINING: "checkin.kind-cross-training",
    SessionKind.CHECK: "checkin.kind-check",
}
_STATUS = {"done": "checkin.done", "partly": "checkin.partly", "missed": "checkin.missed"}
_ZONE = {Zone.GREEN: "checkin.zone-green", Zone.AMBER: "checkin.zone-amber", Zone.RED: "checkin.zone-red"}


@attrs.frozen
class Outcome:
    """What the page tells the client after a report.

    Attributes:
        zone: The report's zone (``None`` for a session not done).
        advice: What to do, for a red report (the meaning of red and the rule of the session's work).
        revised: Whether the calendar was revised at once.
        alerts: The actions of the red flags the client reported.
        bad: Whether the form was refused (its token did not match, or a value was out of range).

    """

    zone: Zone | None = None
    advice: tuple[str, ...] = ()
    revised: bool = False
    alerts: tuple[str, ...] = ()
    bad: bool = False


def offered(plan: Plan, today: dt.date) -> tuple[Session, ...]:
    """The sessions the page offers: those of today and the days just before, newest first."""
    first = today - dt.timedelta(days=DAYS_BACK)
    return tuple(sorted((s for s in plan.sessions if first <= s.date <= today), key=lambda s: s.date, reverse=True))


def first_name(name: str) -> str:
    """The first word of the client's name: all of the name the page shows."""
    words = strip_bidi_controls(name).split()
    return words[0] if words else ""


def log_from_form(form: Mapping[str, list[str]], session: Session) -> tuple[SessionLog, tuple[str, ...]]:
    """The report a posted form describes, validated by the one session-log model, and its red flags.

    Raises:
        pydantic.ValidationError: A value is out of range or of the wrong kind.
        KeyError: A field the form always has is missing.

    """

    def one(name: str, default: str | None = None) -> str | None:
        values = form.get(name)
        return values[0] if values else default

    status = one("status", "done")
    note = (one("note", "") or "").strip()[:MAX_NOTE]
    if status == "partly":
        note = PARTLY + note
    morning = one("pain_next_morning", "")
    data: dict[str, object] = {
        "session_id": session.id,
        "date": session.date.isoformat(),
        "completed": status != "missed",
        "pain_before": one("pain_before", "0"),
        "pain_during": one("pain_during", "0"),
        "swelling": one("swelling") == "on",
        "note": note,
    }
    if status not in ("done", "partly", "missed"):
        data["completed"] = status  # refused by the model, with the value
    if morning:
        data["pain_next_morning"] = morning
    return SessionLog.model_validate(data), tuple(form.get("flag", ()))


def _options(selected: int | None, *, unknown: str | None = None) -> str:
    parts = [f'<option value=""{" selected" if selected is None else ""}>{escape(unknown)}</option>'] if unknown else []
    for n in range(11):
        parts.append(f'<option value="{n}"{" selected" if selected == n else ""}>{n}</option>')
    return "".join(parts)


def _form(
    plan: Plan, session: Session, t: Texts, today: dt.date, latest: SessionLog | None, token: str, secret: bytes
) -> str:
    language = t.language
    sid = escape(session.id)
    done = latest is None or latest.completed
    partly = latest is not None and latest.note.startswith(PARTLY)
    status = "missed" if not done else "partly" if partly else "done"
    choices = "".join(
        f'<label><input type="radio" name="status" value="{value}"{" checked" if status == value else ""}>'
        f"{escape(t(msgid))}</label>"
        for value, msgid in _STATUS.items()
    )
    morning = ""
    if session.date < today:
        morning = (
            f'<label class="field" for="m-{sid}">{escape(t("checkin.morning"))}</label>'
            f'<select id="m-{sid}" name="pain_next_morning">'
            f"{_options(latest.pain_next_morning if latest else None, unknown=t('checkin.unknown'))}</select>"
        )
    # A practice's own red flags may not have the page's language (they fall back to English): isolated.
    flags = "".join(
        f'<label class="check"><input type="checkbox" name="flag" value="{escape(flag.id)}">'
        f"<bdi>{escape(flag.question(language))}</bdi></label>"
        for flag in plan.red_flags
    )
    # Folded away (works without JavaScript): the questions are long, and nearly always answered "no".
    flag_set = f"<details><summary>{escape(t('checkin.flags'))}</summary>{flags}</details>" if flags else ""
    note = latest.note.removeprefix(PARTLY) if latest else ""
    heading = escape(t("checkin.heading", date=t.date(session.date, "EEEE d MMMM"), session=session_title(session, t)))
    ask = (
        f'<p class="small">{escape(t("checkin.morning-ask"))}</p>'
        if latest is not None and latest.completed and latest.pain_next_morning is None and session.date < today
        else ""
    )
    return f"""<section id="s-{sid}"{' class="morning"' if ask else ""}>
<h2>{heading}</h2>{ask}
<form method="post" action="#result">
<input type="hidden" name="session" value="{sid}">
<input type="hidden" name="csrf" value="{form_token(secret, token, session.id)}">
<fieldset><legend>{escape(t("checkin.status"))}</legend><div class="choices">{choices}</div></fieldset>
<label class="field" for="b-{sid}">{escape(t("checkin.before"))}</label>
<select id="b-{sid}" name="pain_before">{_options(latest.pain_before if latest else 0)}</select>
<label class="field" for="d-{sid}">{escape(t("checkin.during"))}</label>
<select id="d-{sid}" name="pain_during">{_options(latest.pain_during if latest else 0)}</select>
{morning}
<p><label class="check"><input type="checkbox" name="swelling"{" checked" if latest and latest.swelling else ""}>
{escape(t("checkin.swelling"))}</label></p>
{flag_set}
<label class="field" for="n-{sid}">{escape(t("checkin.note"))}</label>
<textarea id="n-{sid}" name="note" rows="2" maxlength="{MAX_NOTE}" dir="auto">{escape(note)}</textarea>
<button type="submit">{escape(t("checkin.send"))}</button>
</form>
</section>
"""


def session_title(session: Session, t: Texts) -> str:
    """A short name of the session's kind, in the words of the handout."""
    return t(_KIND[session.kind])


def _message(outcome: Outcome, t: Texts) -> str:
    if outcome.bad:
        return f'<div class="message red" id="result" role="alert"><p>{escape(t("checkin.bad"))}</p></div>\n'
    parts = ['<div id="result">']
    if outcome.alerts:
        # The red flags' actions are catalog texts, English where the practice's own flag lacks the language.
        items = "".join(f"<li><bdi>{escape(text)}</bdi></li>" for text in outcome.alerts)
        parts.append(
            f'<div class="message alert" role="alert"><p><strong>{escape(t("checkin.alert"))}</strong></p>'
            f"<ul>{items}</ul></div>\n"
        )
    css = outcome.zone.value if outcome.zone is not None else "green"
    lines = [t("checkin.sent")]
    if outcome.zone is not None:
        lines.append(t(_ZONE[outcome.zone]))
    lines.extend(outcome.advice)
    if outcome.revised:
        lines.append(t("checkin.revised"))
    body = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    parts.append(f'<div class="message {css}" role="status">{body}</div></div>\n')
    return "".join(parts)


def _paused(since: dt.date, t: Texts) -> str:
    """The box of a paused plan, in the calendar's words: no training, contact the physio."""
    return (
        f'<div class="message alert" role="alert"><p><strong>{escape(t("calendar.paused"))}</strong></p>'
        f"<p>{escape(t('calendar.paused_note', date=t.date(since, 'long')))}</p></div>\n"
    )


def render_checkin(
    *,
    token: str,
    client: str,
    plan: Plan,
    checkins: tuple[CheckIn, ...],
    today: dt.date,
    secret: bytes,
    outcome: Outcome | None = None,
) -> bytes:
    """The check-in page as UTF-8 HTML: the client's first name and the recent sessions' forms.

    The page is in the plan's language; a right-to-left one gets ``dir="rtl"``, and the name keeps its own
    direction.
    """
    language = page_language(plan.profile.language.value)
    t = texts_for(language)
    latest = {log.session_id: log for log in latest_logs(checkins)}
    sessions = offered(plan, today)
    forms = "".join(_form(plan, s, t, today, latest.get(s.id), token, secret) for s in sessions)
    if not forms:
        days = DAYS_BACK + 1
        forms = f"<p>{escape(t.plural('checkin.none', days, n=days))}</p>\n"
    name = first_name(client)
    title = escape(t("checkin.title", name=f"\u2068{name}\u2069"))
    heading = escape(t("checkin.title")).format(name=f"<bdi>{escape(name)}</bdi>")
    message = _message(outcome, t) if outcome is not None else ""
    if plan.paused is not None and (outcome is None or not outcome.alerts):
        message += _paused(plan.paused.since, t)
    body = f"""<h1>{heading}</h1>
{message}{forms}<p><a href="/feeds/{escape(token)}">{escape(t("checkin.programme"))}</a></p>
<p class="small">{escape(t("checkin.private"))}</p>
"""
    return document(t, title=title, style=STYLE, body=body)
