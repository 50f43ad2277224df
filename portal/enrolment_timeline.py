"""A patient's record as the pages need it: the timeline of an enrolment, and the worklist's copy
of it. The engine computes; this module only feeds it the current events."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from .content.library import Library
from .models import Enrolment, RecordedEvent
from .timeline import Event, Options, Problem, Timeline, TimelineInputError, compute_timeline
from .timeline.model import EVENT_FIELDS, OPTION_FIELDS


def event_of(recorded: RecordedEvent) -> Event:
    return Event(**{spec.name: getattr(recorded, spec.name) for spec in EVENT_FIELDS})


def events_of(enrolment: Enrolment) -> list[Event]:
    return [event_of(recorded) for recorded in enrolment.current_events]


def plan_of(enrolment: Enrolment) -> Options:
    return Options(**{spec.name: getattr(enrolment, spec.name) for spec in OPTION_FIELDS})


def timeline_of(enrolment: Enrolment, library: Library, day: date) -> Timeline:
    definition = library.get(enrolment.pathway_id).definition
    return compute_timeline(definition, events_of(enrolment), day, plan_of(enrolment))


def problems_with_change(enrolment: Enrolment, library: Library, day: date, new: Event | None = None,
                         without_id: int | None = None) -> tuple[list[Problem], list[Problem]]:
    """What the engine would object to if `new` were recorded (replacing the event `without_id`,
    or that event were withdrawn). Returns (problems with the new event's fields, other problems)."""
    events = [event_of(recorded) for recorded in enrolment.current_events if recorded.id != without_id]
    if new is not None:
        events.append(new)
    definition = library.get(enrolment.pathway_id).definition
    try:
        compute_timeline(definition, events, day, plan_of(enrolment))
    except TimelineInputError as error:
        new_index = len(events) - 1 if new is not None else None
        own = [p for p in error.problems if new_index is not None and p.event == new_index]
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
    milestone, expected_by = (step.milestone, step.expected_by) if step else (None, None)
    if (milestone, expected_by) != (enrolment.next_milestone, enrolment.next_expected_by):
        enrolment.no_news_since = None  # there is news: a step recorded, or the next date moved
    enrolment.next_milestone, enrolment.next_expected_by = milestone, expected_by


def latest_enrolment(db, patient_id: int) -> Enrolment | None:
    """The pathway the patient is in now (the newest enrolment)."""
    return db.scalar(select(Enrolment).where(Enrolment.patient_id == patient_id)
                     .order_by(Enrolment.id.desc()).limit(1))
