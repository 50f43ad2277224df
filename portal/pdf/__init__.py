"""Printable PDFs: a patient's timeline (for the patient, for a relative with only what is
shared, for the care team to hand out), the public explanation of a pathway, and many patients at
once for a clinic day. Options: ?lang=nb|nn|en, ?large_print=1|0 and
?goals=0 (leave out the patient's goals). Every printout of a
patient's data is in the audit log."""
from __future__ import annotations

from datetime import date
from tempfile import SpooledTemporaryFile

from flask import Blueprint, Response, abort, current_app, g, redirect, render_template, request, send_file, url_for
from sqlalchemy import select

from .. import database, sharing
from ..addresses import numbers_asked
from ..audit import record
from ..auth.access import allow, public
from ..clock import today
from ..content import LANGUAGES
from ..enrolment_timeline import latest_enrolment
from ..i18n import current_language
from ..models import Patient
from ..read_audit import shown
from ..unit_scope import in_unit, patient_or_404
from .batch import MAX_PATIENTS, print_patients
from .batch import clinic_day as clinic_day_patients
from .documents import PrintOptions, before_we_meet_pdf, pathway_pdf, timeline_pdf

bp = Blueprint("pdf", __name__)

# Merged printouts up to this size stay in memory; larger ones go to a temporary file.
SPOOL_BYTES = 16 * 1024 * 1024


def _options(default: PrintOptions) -> PrintOptions:
    """The query's choices, where it makes any; the reader's defaults otherwise."""
    language = request.args.get("lang")
    large_print = {"1": True, "0": False}.get(request.args.get("large_print", ""), default.large_print)
    goals = request.args.get("goals") != "0"
    return PrintOptions(language if language in LANGUAGES else default.language, large_print, goals)


def _pdf(pdf: bytes, filename: str, private: bool = True) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response


def _timeline_response(patient_id: int, options: PrintOptions, share=None, filename="timeline.pdf") -> Response:
    db = database.session()
    enrolment = latest_enrolment(db, patient_id)
    if enrolment is None:
        abort(404)
    pdf = timeline_pdf(enrolment, options, today(), share=share)
    via = f" via share {share.id}" if share else ""
    record(db, g.account, "print", patient_id, f"timeline PDF{via} ({options.describe()})")
    db.commit()
    return _pdf(pdf, filename)


@bp.get("/my-timeline.pdf")
@allow("patient")
def my_timeline():
    patient = g.account.patient
    return _timeline_response(patient.id, _options(PrintOptions(current_language(), patient.large_print)))


@bp.get("/shared/<int:share_id>.pdf")
@allow("relative")
def shared(share_id: int):
    share = sharing.share_for_relative(database.session(), share_id, g.account)
    if share is None or not share.see_appointments:  # the printout is of the timeline
        abort(404)
    return _timeline_response(share.patient_id, _options(PrintOptions(current_language(), False)), share=share)


@bp.get("/pathways/<pathway_id>.pdf")
@public
def pathway(pathway_id: str):
    found = current_app.extensions["library"].get(pathway_id)
    if found is None or not found.definition.listed:
        abort(404)
    pdf = pathway_pdf(found, _options(PrintOptions(current_language(), False)), today())
    return _pdf(pdf, f"{found.id}.pdf", private=False)


@bp.get("/before-we-meet.pdf")
@public
def before_we_meet():
    pdf = before_we_meet_pdf(_options(PrintOptions(current_language(), False)), today())
    return _pdf(pdf, "before-we-meet.pdf", private=False)


@bp.get("/staff/patients/<int:patient_id>/timeline.pdf")
@allow("coordinator", "nurse")
def patient_timeline(patient_id: int):
    """What the care team prints for a patient: in the patient's language and print size unless asked otherwise."""
    patient = patient_or_404(database.session(), patient_id)
    return _timeline_response(patient.id, _options(PrintOptions.for_patient(patient)),
                              filename=f"timeline-{patient.id}.pdf")


@bp.get("/staff/clinic-day")
@allow("coordinator", "nurse")
def clinic_day():
    """The unit's patients with appointments on a day, to print their timelines in one go."""
    day = _day(request.args.get("day")) or today()
    db = database.session()
    patients = clinic_day_patients(db, g.account.unit_id, day)
    shown(db, [patient.id for patient in patients], f"clinic day {day.isoformat()}")
    db.commit()
    return render_template("staff/clinic_day.html", day=day, patients=patients,
                           nobody_chosen=bool(request.args.get("nobody")), max_patients=MAX_PATIENTS)


@bp.get("/staff/print.pdf")
@allow("coordinator", "nurse")
def chosen_patients():
    """The chosen patients' timelines in one PDF (?patient=ID, repeated), from the clinic-day page
    or the worklist. Each is in that patient's language and print size."""
    ids = numbers_asked("patient")
    if not ids:
        return redirect(url_for("pdf.clinic_day", nobody=1))
    if len(ids) > MAX_PATIENTS:
        abort(400)
    db = database.session()
    in_scope = set(db.scalars(select(Patient.id).where(Patient.id.in_(ids), in_unit(g.account.unit_id))))
    if in_scope != set(ids):
        abort(404)
    out = SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (send_file closes it when the response is sent)
    print_patients(db, ids, today(), g.account, out)
    db.commit()
    out.seek(0)
    response = send_file(out, mimetype="application/pdf", download_name=f"timelines-{today().isoformat()}.pdf")
    response.headers["Cache-Control"] = "no-store"
    return response


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
