"""A CarePlan's completed activities as pathway events for portal.imports: each names its step by
NPR pathway code (the code's row says the pathway and step), or by our milestone code, the pathway
then being the CarePlan's category. The day is scheduledPeriod.start; outcome, treatment, setting,
severity and end reason are codings of outcomeCodeableConcept. Activities not completed are what is
planned or expected, not events: they are left alone, so an exported CarePlan imports as the same events."""
from __future__ import annotations

from dataclasses import replace

from fhirclient.models.careplan import CarePlan, CarePlanActivity

from ..content.library import Library
from ..imports import Incoming, Refusal, from_code
from ..timeline import Event, Problem
from ..timeline.model import POSTPONEMENT
from . import systems
from .elements import codes_in, day_of

# Where in an activity each field of the engine's Event is, for refusals that name the field.
_ACTIVITY_ELEMENTS = {"milestone": "detail.code", "code": "detail.code", "date": "detail.scheduledPeriod.start",
                      "until": "detail.scheduledPeriod.end",
                      **dict.fromkeys(systems.EVENT_FIELD_SYSTEMS, "outcomeCodeableConcept")}


def incoming_of(library: Library, plan: CarePlan, where: str, person: str) -> list[Incoming | Refusal]:
    pathways = codes_in(plan.category, systems.PATHWAY)
    pathway = pathways[0] if pathways else None
    if pathway is not None and library.get(pathway) is None:
        return [Refusal(f"{where}.category", Problem("", "unknown_pathway", {"value": pathway}))]
    return [_incoming(library, pathway, activity, f"{where}.activity[{i}]", where, person)
            for i, activity in enumerate(plan.activity or [])
            if activity.detail is not None and activity.detail.status == "completed"]


def _incoming(library: Library, pathway: str | None, activity: CarePlanActivity, where: str, plan_where: str,
              person: str) -> Incoming | Refusal:
    detail = activity.detail
    period = detail.scheduledPeriod
    day = day_of(period.start) if period else None
    values = {name: found[0] for name, system in systems.EVENT_FIELD_SYSTEMS.items()
              if (found := codes_in(activity.outcomeCodeableConcept, system))}
    npr_codes = codes_in(detail.code, systems.NPR_PATHWAY_CODE)
    if npr_codes:
        item = from_code(library, person, npr_codes[0], day, where)
        if isinstance(item, Refusal):
            return item
        if pathway is not None and item.pathway != pathway:
            return Refusal(where, Problem("code", "invalid_value"))
        # The code says what it says; the codings may add what it leaves open (a setting), not contradict it.
        if any(getattr(item.event, name) not in (None, value) for name, value in values.items()):
            return Refusal(where, Problem("outcome", "invalid_value"))
        event = replace(item.event, **values)
    else:
        milestones = codes_in(detail.code, systems.MILESTONE)
        if not milestones:
            return Refusal(where, Problem("code", "missing"))
        if pathway is None:
            return Refusal(f"{plan_where}.category", Problem("", "missing"))
        if day is None:
            return Refusal(where, Problem("date", "invalid_date"))
        event, item = Event(milestones[0], day, **values), Incoming(person, pathway, None, None, where)
    if event.milestone == POSTPONEMENT:  # the end of its period is the day the patient is ready again
        event = replace(event, until=day_of(period.end))
    return replace(item, event=event)


def located(refusal: Refusal, subject_where: str) -> Refusal:
    """A refusal of an activity's event as the element of the CarePlan it concerns."""
    field = refusal.problem.field
    if field == "person_id":
        where = subject_where
    elif field in _ACTIVITY_ELEMENTS:
        where = f"{refusal.where}.{_ACTIVITY_ELEMENTS[field]}"
    else:
        where = refusal.element
    return Refusal(where, replace(refusal.problem, field=""))
