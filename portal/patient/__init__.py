"""A patient's own timeline, opened from their personal link. Deny by default."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for

from .. import database, links
from ..audit import record
from ..clock import today
from ..i18n import current_language
from ..models import PersonalLink
from ..presentation import build_timeline_view
from ..timeline import Event, Options, compute_timeline

bp = Blueprint("patient", __name__)

SESSION_KEY = "personal_link_id"


@bp.get("/t/<token>")
def open_link(token: str):
    db = database.session()
    link = links.resolve(db, token)
    if link is None:
        return render_template("patient/link_invalid.html"), 404
    session.clear()
    session[SESSION_KEY] = link.id
    session["lang"] = link.patient.preferred_language
    record(db, f"personal-link:{link.id}", "sign-in", link.patient_id)
    db.commit()
    return redirect(url_for("patient.my_timeline"))


@bp.get("/my-timeline")
def my_timeline():
    db = database.session()
    link = _signed_in_link(db)
    patient = link.patient
    enrolment = patient.enrolments[-1] if patient.enrolments else None
    if enrolment is None:
        abort(404)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    events = [
        Event(e.milestone, e.date, e.outcome, e.treatment, e.setting, e.reason, e.until)
        for e in enrolment.events
        if e.replaced_by_id is None
    ]
    timeline = compute_timeline(pathway.definition, events, today(),
                                Options(treatment=enrolment.treatment, setting=enrolment.setting))
    language = current_language()
    record(db, f"personal-link:{link.id}", "read", patient.id, "timeline")
    db.commit()
    return render_template(
        "patient/timeline.html",
        patient=patient,
        pathway=pathway,
        texts=pathway.texts[language],
        view=build_timeline_view(timeline, pathway, language),
        contacts=enrolment.contacts,
    )


@bp.post("/sign-out")
def sign_out():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("public.index"))


def _signed_in_link(db) -> PersonalLink:
    """The personal link this browser signed in with, still valid; otherwise 401."""
    link_id = session.get(SESSION_KEY)
    link = db.get(PersonalLink, link_id) if isinstance(link_id, int) else None
    if not links.is_valid(link):
        session.pop(SESSION_KEY, None)
        abort(401)
    return link
