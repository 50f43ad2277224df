"""The page a patient (or a relative they share with) reads: what matters to the patient, the
timeline, what is planned, who to contact and the texts for this phase. The printed timeline
(portal.pdf) is made from the same context, so a page and its printout never disagree about what a
reader may see."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import current_app, render_template, url_for
from sqlalchemy import bindparam, select

from . import database
from .enrolment_timeline import timeline_of
from .figures.words import usual_sentences
from .models import Appointment, Contact, Enrolment, ExpectedResult, Goal
from .presentation import build_timeline_view, linked_phase_texts

# Built once, with the enrolment as a parameter: every timeline made runs them. Asking for only
# the rows a reader sees costs less than loading each list through the enrolment's relationships.
_CONTACTS = (select(Contact).where(Contact.enrolment_id == bindparam("enrolment_id"), Contact.removed_at.is_(None))
             .order_by(Contact.id))
_APPOINTMENTS_AHEAD = (
    select(Appointment)
    .where(Appointment.enrolment_id == bindparam("enrolment_id"), Appointment.cancelled_at.is_(None),
           Appointment.starts_at >= bindparam("start_of_day"))
    .order_by(Appointment.starts_at, Appointment.id))
_RESULTS_AWAITED = (
    select(ExpectedResult)
    .where(ExpectedResult.enrolment_id == bindparam("enrolment_id"), ExpectedResult.withdrawn_at.is_(None),
           ExpectedResult.received_on.is_(None))
    .order_by(ExpectedResult.expected_by, ExpectedResult.id))


def record_context(enrolment: Enrolment, language: str, day: date, audience: str,
                   see_notes: bool = True, goals: list[Goal] | None = None) -> dict:
    """What the timeline shows this reader: relatives get only what the patient shares (a relative
    without the timeline never comes here: portal.relative shows them a page of its own).
    `goals`: the patient's current goals, or None when this reader may not see them."""
    db, library = database.session(), current_app.extensions["library"]
    pathway = library.get(enrolment.pathway_id)
    timeline = timeline_of(enrolment, library, day)
    view = build_timeline_view(timeline, pathway, language,
                               usual_sentences(db, enrolment.unit_id, enrolment.pathway_id))
    of_this = {"enrolment_id": enrolment.id}
    ahead = {**of_this, "start_of_day": datetime.combine(day, time.min)}
    contacts = list(db.scalars(_CONTACTS, of_this))
    return {
        "audience": audience,
        "patient": enrolment.patient,
        "pathway": pathway,
        "texts": pathway.texts[language],
        "timeline": timeline,
        "view": view,
        "contacts": contacts,
        # For a result that is late: the day it is measured against, and who to ask.
        "today": day,
        "who_to_call": next((c for c in contacts if c.role == "coordinator"), contacts[0] if contacts else None),
        "appointments": list(db.scalars(_APPOINTMENTS_AHEAD, ahead)),
        "expected_results": list(db.scalars(_RESULTS_AWAITED, of_this)),
        "delay_note": enrolment.delay_note if see_notes else None,
        "delay_note_at": enrolment.delay_note_at,
        "goals": goals,
    }


def render_record(enrolment: Enrolment, language: str, day: date, audience: str,
                  see_notes: bool = True, goals: list[Goal] | None = None, print_urls: dict | None = None) -> str:
    context = record_context(enrolment, language, day, audience, see_notes, goals)
    return render_template("patient/timeline.html", print_urls=print_urls, **context,
                           phase_texts=linked_phase_texts(context["pathway"], language, context["view"].phase_id))


def print_urls(endpoint: str, language: str, **values) -> dict:
    """Links to a page's printout (portal.pdf), in normal and in large print."""
    return {"normal": url_for(endpoint, lang=language, **values),
            "large": url_for(endpoint, lang=language, large_print=1, **values)}
