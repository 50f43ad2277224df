"""Choices for the care team's forms, named with the pathway's own labels in the reader's language."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from ..timeline.model import END_MILESTONE, EXIT_EVENTS, POSTPONEMENT, TRANSFER


def pathway_choices(language: str) -> list[tuple[str, str]]:
    titles = sorted(((p.texts[language].title, p.id) for p in current_app.extensions["library"].listed()),
                    key=lambda pair: pair[0].casefold())
    return [("", _("Choose a pathway"))] + [(pathway_id, title) for title, pathway_id in titles]


def plan_choices(pathway_id: str, language: str) -> tuple[list, list]:
    pathway = current_app.extensions["library"].get(pathway_id)
    labels = pathway.texts[language].labels
    definition = pathway.definition
    treatments = [("", _("Not decided yet"))] + [(t, labels.get("treatments", {}).get(t, t))
                                                  for t in definition.branches.get("treatment", ())]
    settings = [("", _("Not decided yet"))] + [(s, labels.get("settings", {}).get(s, s))
                                                for s in definition.branches.get("setting", ())]
    return treatments, settings


def milestone_label(pathway, language: str, milestone: str) -> str:
    """Steps have their names in the pathway's labels; the events that change a pathway's course
    are named here."""
    named = pathway.texts[language].labels["milestones"].get(milestone)
    if named:
        return named["name"]
    return {END_MILESTONE: _("Pathway ended"), TRANSFER: _("Transferred to another hospital"),
            POSTPONEMENT: _("Postponed at the patient's wish")}[milestone]


def event_choices(pathway, language: str) -> dict[str, list[tuple[str, str]]]:
    definition = pathway.definition
    labels = pathway.texts[language].labels
    steps = [m.id for m in definition.milestones if m.id not in EXIT_EVENTS]
    milestones = [(m, milestone_label(pathway, language, m)) for m in steps + list(EXIT_EVENTS)]
    outcomes = [(o, text) for milestone in labels.get("outcomes", {}).values() for o, text in milestone.items()]
    reasons = [(r, labels["endings"].get(r, {}).get("title", r)) for r in definition.end_reasons]
    none = [("", _("Does not apply"))]
    treatments, settings = plan_choices(pathway.id, language)
    return {
        "milestone": [("", _("Choose the step"))] + milestones,
        "outcome": none + list(dict(outcomes).items()),
        "treatment": none + treatments[1:],
        "setting": none + settings[1:],
        "reason": none + reasons,
    }
