"""A patient's record as the pages need it: the timeline of an enrolment, and the worklist's copy
of it. The engine computes; this module only feeds it the current events."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .content.library import Library
from .models import Enrolment
from .timeline import Event, Options, Problem, Timeline, TimelineInputError, compute_timeline
from .timeline.model import BRANCH_KINDS


def events_of(enrolment: Enrolment) -> list[Event]:
    return [Event(e.milestone, e.date, e.outcome, e.treatment, e.setting, e.reason, e.until, severity=e.severity)
            for e in enrolment.current_events]


def plan_of(enrolment: Enrolment) -> Options:
    return Options(**{kind: getattr(enrolment, kind) for kind in BRANCH_KINDS})


def timeline_of(enrolment: Enrolment, library: Library, day: date) -> Timeline:
    definition = library.get(enrolment.pathway_id).definition
    return compute_timeline(definition, events_of(enrolment), day, plan_of(enrolment))


def problems_with_change(enrolment: Enrolment, library: Library, day: date, new: Event | None = None,
                         without_id: int | None = None) -> tuple[list[Problem], list[Problem]]:
    """What the engine would object to if `new` were recorded (replacing the event `without_id`,
    or that event were withdrawn). Returns (problems with the new event's fields, other problems)."""
    events = [event for stored, event in zip(enrolment.current_events, events_of(enrolment))
              if stored.id != without_id]
    if new is not None:
        events.append(new)
    definition = library.get(enrolment.pathway_id).definition
    try:
        compute_timeline(definition, events, day, plan_of(enrolment))
    except TimelineInputError as error:
        prefix = f"events[{len(events) - 1}]."
        own = [p for p in error.problems if new is not None and p.field.startswith(prefix)]
        return own, [p for p in error.problems if p not in own]
    return [], []


def refresh_summary(enrolment: Enrolment, library: Library, day: date) -> None:
    """Copy what the worklist sorts and filters on from the timeline into the enrolment row.
    Expected dates follow from recorded dates alone, so the copy stays true until the next change;
    whether a date has passed is decided when the worklist is read."""
    timeline = timeline_of(enrolment, library, day)
    enrolment.state = timeline.state
    enrolment.phase = timeline.current_phase
    step = timeline.next_step
    enrolment.next_milestone = step.milestone if step else None
    enrolment.next_expected_by = step.expected_by if step else None


def latest_enrolment(db, patient_id: int) -> Enrolment | None:
    """The pathway the patient is in now (the newest enrolment)."""
    return db.scalar(select(Enrolment).where(Enrolment.patient_id == patient_id)
                     .order_by(Enrolment.id.desc()).limit(1))
