"""Names in the reader's language for what the portal stores as ids: a pathway's steps, outcomes
and endings (from the pathway's own labels), people's roles and the roles on a contact card.
Views and helpers name things here; templates only show the words."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .identity import DNR_SYSTEM, spaced, system_of
from .timeline.model import BRANCH_KINDS, END_MILESTONE, EXIT_EVENTS, POSTPONEMENT, TRANSFER

# The roles of the people who sign in.
ROLES = {"patient": _l("Patient"), "relative": _l("Relative"), "nurse": _l("Nurse"),
         "coordinator": _l("Coordinator"), "admin": _l("Administrator"), "system": _l("System")}
# What a unit is.
UNIT_KINDS = {"hospital": _l("Hospital department"), "municipality": _l("Municipal service")}
# Who is on a patient's contact card.
CONTACT_ROLES = {"coordinator": _l("Pathway coordinator"), "contact_nurse": _l("Contact nurse"), "gp": _l("GP"),
                 "home_care": _l("Home care"), "other": _l("Other")}


def role_name(role: str) -> str:
    return str(ROLES.get(role, role))


def unit_kind_name(kind: str) -> str:
    return str(UNIT_KINDS.get(kind, kind))


def contact_role_name(role: str) -> str:
    return str(CONTACT_ROLES.get(role, role))


def pathway_choices(language: str) -> list[tuple[str, str]]:
    titles = sorted(((p.texts[language].title, p.id) for p in current_app.extensions["library"].listed()),
                    key=lambda pair: pair[0].casefold())
    return [("", _("Choose a pathway"))] + [(pathway_id, title) for title, pathway_id in titles]


def plan_choices(pathway, language: str) -> dict[str, list[tuple[str, str]]]:
    """For each kind of branch (treatment, setting, severity): "not decided yet" and the pathway's
    values; only "not decided yet" for a kind the pathway does not branch by."""
    texts = pathway.texts[language]
    return {kind: [("", _("Not decided yet"))] + [(value, texts.branch_label(kind, value))
                                                   for value in pathway.definition.branches.get(kind, ())]
            for kind in BRANCH_KINDS}


def planned_labels(enrolment, texts) -> list[str]:
    """The enrolment's plan in words: the treatment, setting or severity chosen so far."""
    return [texts.branch_label(kind, getattr(enrolment, kind)) for kind in BRANCH_KINDS if getattr(enrolment, kind)]


def milestone_label(pathway, language: str, milestone: str) -> str:
    """Steps have their names in the pathway's labels; the events that change a pathway's course
    are named here."""
    named = pathway.texts[language].labels["milestones"].get(milestone)
    if named:
        return named["name"]
    return {END_MILESTONE: _("Pathway ended"), TRANSFER: _("Transferred to another hospital"),
            POSTPONEMENT: _("Postponed at the patient's wish")}[milestone]


def event_words(pathway, language: str, event) -> str:
    """A recorded step as the care team reads it: "Svar og plan: Brystkreft (Operasjon)"."""
    labels = pathway.texts[language].labels
    words = milestone_label(pathway, language, event.milestone)
    if event.outcome:
        words += ": " + labels.get("outcomes", {}).get(event.milestone, {}).get(event.outcome, event.outcome)
    if event.treatment:
        words += f" ({pathway.texts[language].branch_label('treatment', event.treatment)})"
    return words


def step_origin(event) -> str:
    """Where a recorded step came from: a hospital's system (`source`), or someone who typed it in.
    A step a coordinator applied after it waited for its person names both."""
    if event.source is None:
        return _("Typed in by %(name)s", name=event.recorded_by)
    if event.recorded_by != event.source:
        return _("From the hospital's system: %(system)s. Applied by %(name)s.", system=event.source,
                 name=event.recorded_by)
    return _("From the hospital's system: %(system)s", system=event.source)


def national_id_words(number: str) -> str:
    """The kind of number (fødselsnummer or D-nummer), then the number as people write it."""
    kind = _("D-nummer") if system_of(number) == DNR_SYSTEM else _("Fødselsnummer")
    return f"{kind} {spaced(number)}"


def code_words(library, code: str, day, language: str) -> tuple[str, str] | None:
    """A pathway code as the care team reads it: the pathway's title and the step it records, or
    None when the code meant nothing on that day."""
    meaning = library.codes.meaning(code, day)
    if meaning is None:
        return None
    pathway = library.get(meaning.pathway)
    return pathway.texts[language].title, event_words(pathway, language, meaning)


def reason_label(pathway, language: str, reason: str) -> str:
    """Why a pathway ended, as the pathway's texts name it."""
    return pathway.texts[language].labels["endings"].get(reason, {}).get("title", reason)


def event_choices(pathway, language: str) -> dict[str, list[tuple[str, str]]]:
    definition = pathway.definition
    labels = pathway.texts[language].labels
    steps = [m.id for m in definition.milestones if m.id not in EXIT_EVENTS]
    milestones = [(m, milestone_label(pathway, language, m)) for m in steps + list(EXIT_EVENTS)]
    outcomes = [(o, text) for milestone in labels.get("outcomes", {}).values() for o, text in milestone.items()]
    reasons = [(r, reason_label(pathway, language, r)) for r in definition.end_reasons]
    none = [("", _("Does not apply"))]
    return {
        "milestone": [("", _("Choose the step"))] + milestones,
        "outcome": none + list(dict(outcomes).items()),
        **{kind: none + choices[1:] for kind, choices in plan_choices(pathway, language).items()},
        "reason": none + reasons,
    }
