"""A patient's own pages: their timeline, who has looked at it, and what they share with relatives.
Only the signed-in patient's own record is ever loaded here."""
from __future__ import annotations

from uuid import uuid4

from flask import Blueprint, abort, current_app, g, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select
from sqlalchemy.orm import contains_eager, joinedload

from .. import database
from ..audit import record
from ..auth.access import allow
from ..clock import today
from ..goals import current_goals_of, goals_version
from ..i18n import current_language
from ..models import Enrolment, Patient
from ..record_page import print_urls, render_record
from .page_cache import PageCache

bp = Blueprint("patient", __name__)


@bp.record_once
def _set_up_cache(state):
    size = state.app.config.get("TIMELINE_CACHE_SIZE", 1024)
    state.app.extensions["timeline_pages"] = PageCache(size)


# Built once, with the patient as a parameter: this runs on every view of the timeline. One query
# gives the cached page's key and, when the page must be made, the enrolment with its patient and
# its events (a few rows, which most views need: readers seldom find their page in the cache).
_LATEST_ENROLMENT = (
    select(Enrolment, goals_version(Patient.id).label("goals_version"))
    .join(Enrolment.patient)
    .options(contains_eager(Enrolment.patient), joinedload(Enrolment.events))
    .where(Enrolment.patient_id == bindparam("patient_id"))
    .order_by(Enrolment.id.desc())
    .limit(1)
)


@bp.get("/my-timeline")
@allow("patient")
def my_timeline():
    db = database.session()
    account = g.account
    row = db.execute(_LATEST_ENROLMENT, {"patient_id": account.patient_id}).unique().first()
    if row is None:
        abort(404)
    enrolment, goals_version_now = row
    language, day = current_language(), today()
    key = (enrolment.id, enrolment.version, enrolment.patient.version, goals_version_now, language, day,
           request.full_path)
    page = current_app.extensions["timeline_pages"].get_or_make(
        key, lambda: render_record(enrolment, language, day, audience="patient",
                                   goals=current_goals_of(db, account.patient_id),
                                   print_urls=print_urls("pdf.my_timeline", language)
                                   ).replace(generate_csrf(), _TOKEN_SLOT))
    record(db, account, "read", account.patient_id, "timeline")
    db.commit()
    return page.replace(_TOKEN_SLOT, generate_csrf())


# The page is kept with a slot where its forms' CSRF token goes, filled with the token of whoever
# reads it: the token of the sign-in that first made the page is wrong for every other one.
_TOKEN_SLOT = f"csrf-slot-{uuid4().hex}"


from . import access_log, goals, notifications, relatives  # noqa: E402,F401  (their routes join this blueprint)
