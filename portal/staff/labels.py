"""Choices for the care team's forms, named with the pathway's own labels in the reader's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from ..timeline.model import BRANCH_KINDS, END_MILESTONE, EXIT_EVENTS, POSTPONEMENT, TRANSFER


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
