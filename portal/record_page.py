"""The page a patient (or a relative they share with) reads: what matters to the patient, the
timeline, what is planned, who to contact and the texts for this phase. The printed timeline
(portal.pdf) is made from the same context, so a page and its printout never disagree about what a
reader may see."""
from __future__ import annotations

from datetime import date, datetime, time

from flask import current_app, render_template, url_for

from . import database
from .enrolment_timeline import timeline_of
from .figures.words import usual_sentences
from .models import Enrolment, Goal
from .presentation import build_timeline_view


def record_context(enrolment: Enrolment, language: str, day: date, audience: str,
                   see_appointments: bool = True, see_notes: bool = True, goals: list[Goal] | None = None) -> dict:
    """What the timeline shows this reader: relatives get only what the patient shares.
    `goals`: the patient's current goals, or None when this reader may not see them."""
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    timeline = timeline_of(enrolment, current_app.extensions["library"], day)
    start_of_day = datetime.combine(day, time.min)
    appointments = [a for a in enrolment.appointments if a.cancelled_at is None and a.starts_at >= start_of_day]
    results = [r for r in enrolment.expected_results if r.withdrawn_at is None and r.received_on is None]
    return {
        "audience": audience,
        "patient": enrolment.patient,
        "pathway": pathway,
        "texts": pathway.texts[language],
        "timeline": timeline,
        "view": build_timeline_view(timeline, pathway, language, usual_sentences(
            database.session(), enrolment.unit_id, enrolment.pathway_id)),
        "contacts": [c for c in enrolment.contacts if c.removed_at is None],
        "appointments": appointments if see_appointments else None,
        "expected_results": results if see_appointments else None,
        "delay_note": enrolment.delay_note if see_notes else None,
        "delay_note_at": enrolment.delay_note_at,
        "goals": goals,
    }


def render_record(enrolment: Enrolment, language: str, day: date, audience: str,
                  see_appointments: bool = True, see_notes: bool = True, goals: list[Goal] | None = None,
                  print_urls: dict | None = None) -> str:
    context = record_context(enrolment, language, day, audience, see_appointments, see_notes, goals)
    return render_template("patient/timeline.html", print_urls=print_urls, **context)


def print_urls(endpoint: str, language: str, **values) -> dict:
    """Links to a page's printout (portal.pdf), in normal and in large print."""
    return {"normal": url_for(endpoint, lang=language, **values),
            "large": url_for(endpoint, lang=language, large_print=1, **values)}
