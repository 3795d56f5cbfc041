"""Red-flag screening and the checks that a profile fits the catalog, before any plan is made."""

from __future__ import annotations

import attrs

from ..catalog import Catalog
from ..errors import Finding, Problem, ProfileError, ReferralRequired, error_message
from ..model.common import Language
from ..model.exercise import Condition, Urgency
from ..model.profile import Clearance, ClientProfile
from ..model.protocol import Protocol


@attrs.frozen
class ScreeningResult:
    """The outcome of red-flag screening.

    Attributes:
        findings: Red flags answered "yes" that stop planning.
        cleared: Urgent red flags answered "yes" that a clinician cleared, with the clearance.

    """

    findings: tuple[Finding, ...]
    cleared: tuple[tuple[Finding, Clearance], ...]

    @property
    def clear(self) -> bool:
        """Whether planning may go ahead."""
        return not self.findings


def screen(
    profile: ClientProfile, catalog: Catalog, *, source: str = "<profile>", language: Language | str | None = None
) -> ScreeningResult:
    """Screen a profile's red-flag answers against the catalog's red flags.

    Every red flag in the catalog must be answered; an unanswered or unknown question is an error, because
    a missing answer is not a "no". Urgent flags answered "yes" pass only with a clinician's clearance;
    emergency flags never pass. Findings are worded in ``language`` (default: the client's).

    Raises:
        ProfileError: A question is unanswered, or an answer or clearance names an unknown red flag.

    """
    answers = profile.screening.answers
    problems = [
        Problem(source, f"screening.answers.{flag_id}", error_message("error.screening-not-answered"))
        for flag_id in catalog.red_flags
        if flag_id not in answers
    ]
    problems += [
        Problem(source, f"screening.answers.{flag_id}", error_message("error.screening-unknown-flag"))
        for flag_id in answers
        if flag_id not in catalog.red_flags
    ]
    problems += [
        Problem(
            source,
            f"screening.clearances[{n}].flag",
            error_message("error.clearance-unknown-flag"),
            repr(clearance.flag),
        )
        for n, clearance in enumerate(profile.screening.clearances, start=1)
        if clearance.flag not in catalog.red_flags
    ]
    if problems:
        raise ProfileError(problems)
    clearances = {c.flag: c for c in profile.screening.clearances}
    language = Language(language) if language is not None else profile.language
    findings, cleared = [], []
    for flag in catalog.red_flags.values():
        if not answers[flag.id]:
            continue
        finding = Finding(
            flag_id=flag.id,
            urgency=flag.urgency.value,
            question=flag.question(language),
            suspicion=flag.suspicion(language),
            action=flag.action(language),
        )
        clearance = clearances.get(flag.id)
        if clearance is not None and flag.urgency is Urgency.URGENT:
            cleared.append((finding, clearance))
        else:
            findings.append(finding)
    return ScreeningResult(tuple(findings), tuple(cleared))


def require_clear(
    profile: ClientProfile, catalog: Catalog, *, source: str = "<profile>", language: Language | str | None = None
) -> ScreeningResult:
    """Screen the profile and raise :class:`ReferralRequired` when any red flag stops planning."""
    chosen = Language(language) if language is not None else profile.language
    result = screen(profile, catalog, source=source, language=chosen)
    if result.findings:
        raise ReferralRequired(profile.name, result.findings, chosen.value)
    return result


def resolve(profile: ClientProfile, catalog: Catalog, *, source: str = "<profile>") -> tuple[Condition, Protocol]:
    """Return the profile's condition and protocol from the catalog.

    Raises:
        ProfileError: The condition or protocol is unknown, or the condition needs a confirmed diagnosis
            and ``confirmed_by`` is empty.

    """
    condition = catalog.find_condition(profile.condition)
    if condition is None:
        known = ", ".join(sorted(catalog.conditions))
        raise ProfileError(
            [
                Problem(
                    source, "condition", error_message("error.unknown-condition", known=known), repr(profile.condition)
                )
            ]
        )
    if condition.requires_confirmation and not profile.confirmed_by.strip():
        raise ProfileError(
            [
                Problem(
                    source,
                    "confirmed_by",
                    error_message("error.confirmation-required", condition=condition.id),
                )
            ]
        )
    protocol_id = profile.protocol or condition.default_protocol
    protocol = catalog.protocols.get(protocol_id)
    if protocol is None:
        known = ", ".join(sorted(catalog.protocols))
        raise ProfileError(
            [Problem(source, "protocol", error_message("error.unknown-protocol", known=known), repr(protocol_id))]
        )
    return condition, protocol
