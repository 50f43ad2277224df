"""The public form for working out one's own normal dates: a date for each step of a pathway, with
the choice the engine needs beside it, and what a visitor entered read back as the engine's events."""
from __future__ import annotations

from datetime import date

from flask import request
from flask_babel import gettext as _

from ..labels import reason_label
from ..problem_messages import problem_message
from ..timeline import Event, Problem
from ..timeline.model import END_MILESTONE


def entered_events(fields: dict) -> tuple[list[tuple[dict, Event]], list[tuple[str, str, str]]]:
    """An event for each step with a date, carrying the outcome or reason chosen beside it; and the
    errors of what could not be read (a malformed date, a choice made for a step with no date)."""
    events, errors = [], []
    for step in fields["steps"]:
        raw = request.args.get(step["name"], "").strip()
        choice = step["choice"]
        chosen = request.args.get(choice["name"], "").strip() if choice else ""
        if not raw:
            if chosen:
                errors.append((step["name"], step["label"], _("Enter the date of this step too, or set “%(choice)s” "
                                                                "back to “Not known yet”.", choice=choice["label"])))
            continue
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            errors.append((step["name"], step["label"], problem_message(Problem(step["name"], "invalid_date"))))
            continue
        events.append((step, Event(step["name"], day, **({choice["kind"]: chosen} if chosen else {}))))
    return events, errors


def placed(problem: Problem, events: list[tuple[dict, Event]], fields: dict) -> tuple[str, str, str]:
    """An engine's problem on the form field it is about: an event's outcome or reason on the choice
    beside that step's date, anything else about an event on the date."""
    if problem.event is None:
        step = fields["steps"][0]
    else:
        step = events[problem.event][0]
        choice = step["choice"]
        if choice and problem.field == choice["kind"]:
            return choice["name"], choice["label"], problem_message(problem)
    return step["name"], step["label"], problem_message(problem)


def form_fields(pathway, language: str) -> dict:
    """A date field for each step, with a choice beside it where the engine needs one (the outcome of
    a decision, or why the pathway ended), and a choice for each kind of branch. A step that only
    some outcomes lead to says which."""
    texts = pathway.texts[language]
    labels = texts.labels
    definition = pathway.definition
    names = {m.id: labels["milestones"][m.id]["name"] for m in definition.milestones}

    def outcome_label(milestone: str, outcome: str) -> str:
        return labels.get("outcomes", {}).get(milestone, {}).get(outcome, outcome)

    leads_to = {outcome.adds: outcome_label(m.id, o) for m in definition.milestones
                for o, outcome in m.outcomes.items() if outcome.adds}
    steps = []
    for milestone in definition.milestones:
        name = names[milestone.id]
        choice = None
        if milestone.outcomes:
            choice = {"name": f"outcome-{milestone.id}", "kind": "outcome",
                      "label": _("Outcome of “%(step)s”", step=name),
                      "choices": [(o, outcome_label(milestone.id, o)) for o in milestone.outcomes]}
        elif milestone.id == END_MILESTONE:
            choice = {"name": f"reason-{milestone.id}", "kind": "reason", "label": _("Why the pathway ended"),
                      "choices": [(r, reason_label(pathway, language, r)) for r in definition.end_reasons]}
        hint = _("Only after “%(outcome)s”.", outcome=leads_to[milestone.id]) if milestone.id in leads_to else None
        steps.append({"name": milestone.id, "label": name, "hint": hint, "choice": choice})
    branches = [{"name": kind, "label": _branch_question(kind),
                 "choices": [(value, texts.branch_label(kind, value)) for value in values]}
                for kind, values in definition.branches.items()]
    return {"steps": steps, "branches": branches}


def _branch_question(kind: str) -> str:
    return {"treatment": _("Treatment, if it is decided"), "severity": _("How serious the illness is, if it is known"),
            "setting": _("Outpatient or inpatient, if it is known")}[kind]
