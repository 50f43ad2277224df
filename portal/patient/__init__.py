"""A patient's own timeline, opened from their personal link. Deny by default."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import bindparam, select

from .. import database, links
from ..audit import record
from ..clock import today
from ..i18n import current_language
from ..models import Enrolment, Patient, PersonalLink
from ..presentation import build_timeline_view
from ..timeline import Event, Options, compute_timeline
from .page_cache import PageCache

bp = Blueprint("patient", __name__)


@bp.record_once
def _set_up_cache(state):
    size = state.app.config.get("TIMELINE_CACHE_SIZE", 1024)
    state.app.extensions["timeline_pages"] = PageCache(size)


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
    signed_in = _signed_in(db)
    language, day = current_language(), today()
    key = (signed_in.enrolment_id, signed_in.version, signed_in.display_name, language, day, request.full_path)
    page = current_app.extensions["timeline_pages"].get_or_make(
        key, lambda: _render_page(db, signed_in, language, day)
    )
    record(db, f"personal-link:{signed_in.link_id}", "read", signed_in.patient_id, "timeline")
    db.commit()
    return page


def _render_page(db, signed_in, language: str, day) -> str:
    enrolment = db.get(Enrolment, signed_in.enrolment_id)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    events = [
        Event(e.milestone, e.date, e.outcome, e.treatment, e.setting, e.reason, e.until)
        for e in enrolment.events
        if e.replaced_by_id is None
    ]
    timeline = compute_timeline(pathway.definition, events, day,
                                Options(treatment=enrolment.treatment, setting=enrolment.setting))
    return render_template(
        "patient/timeline.html",
        patient=enrolment.patient,
        pathway=pathway,
        texts=pathway.texts[language],
        view=build_timeline_view(timeline, pathway, language),
        contacts=enrolment.contacts,
    )


@bp.post("/sign-out")
def sign_out():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("public.index"))


# Built once, with the link id as a parameter: this runs on every view of the timeline.
_SIGNED_IN = (
    select(PersonalLink.id.label("link_id"), PersonalLink.expires_at, PersonalLink.revoked_at,
           Patient.id.label("patient_id"), Patient.display_name,
           Enrolment.id.label("enrolment_id"), Enrolment.version)
    .join(Patient, PersonalLink.patient_id == Patient.id)
    .outerjoin(Enrolment, Enrolment.patient_id == Patient.id)
    .where(PersonalLink.id == bindparam("link_id"))
    .order_by(Enrolment.id.desc())
    .limit(1)
)


def _signed_in(db):
    """The personal link this browser signed in with, with its patient and current enrolment, in
    one query. No valid link: 401. No enrolment: 404."""
    link_id = session.get(SESSION_KEY)
    row = None
    if isinstance(link_id, int):
        row = db.connection().execute(_SIGNED_IN, {"link_id": link_id}).first()
    if row is None or not links.is_valid(row):
        session.pop(SESSION_KEY, None)
        abort(401)
    if row.enrolment_id is None:
        abort(404)
    return row
