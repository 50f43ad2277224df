"""Registering a patient, their record as the care team sees it, their details, enrolment in a
pathway and the planned branch, activation codes and the history of changes."""
from __future__ import annotations

from flask import current_app, g, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import database
from ..audit import record
from ..auth.access import allow
from ..auth.accounts import issue_activation
from ..clock import now, today
from ..form_fields import choices
from ..goals import LABELS as GOAL_LABELS
from ..goals import shared_goals_of
from ..history import changes_since, history_of, save_enrolment_change, save_patient_change, snapshot
from ..i18n import current_language
from ..models import Account, Enrolment, Patient, Share
from ..presentation import build_timeline_view
from ..records import timeline_of
from ..timeline.model import BRANCH_KINDS
from . import bp
from .editing import save_if_current
from .forms import EnrolForm, NewPatientForm, PatientForm, PlanForm
from .labels import milestone_label, pathway_choices, plan_choices, planned_labels
from .scope import enrolment_or_404, patient_or_404

PATIENT_FIELDS = ("display_name", "date_of_birth", "phone", "email", "address", "preferred_language",
                  "large_print", "interpreter_language")
PLAN_FIELDS = BRANCH_KINDS


def _details_from(form, patient: Patient) -> None:
    for name in PATIENT_FIELDS:
        value = getattr(form, name).data
        if isinstance(value, str):
            value = value.strip() or None
        setattr(patient, name, value)


def _new_enrolment(db, patient: Patient, pathway_id: str) -> Enrolment:
    enrolment = Enrolment(patient=patient, pathway_id=pathway_id, unit_id=g.account.unit_id, created_at=now())
    db.add(enrolment)
    save_enrolment_change(db, g.account, enrolment, "enrolment", None, "added", None, {"pathway_id": pathway_id})
    return enrolment


@bp.route("/patients/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_patient():
    form = NewPatientForm(version=0)
    form.pathway.choices = choices(pathway_choices(current_language()))
    if form.validate_on_submit():
        db = database.session()
        patient = Patient(unit_id=g.account.unit_id, created_at=now(), display_name="")
        _details_from(form, patient)
        db.add(patient)
        db.flush()
        save_patient_change(db, g.account, patient, "added", None, snapshot(patient, PATIENT_FIELDS))
        _new_enrolment(db, patient, form.pathway.data)
        db.commit()
        return redirect(url_for("staff.patient", patient_id=patient.id, registered=1))
    return render_template("staff/patient_form.html", form=form, patient=None)


@bp.get("/patients/<int:patient_id>")
@allow("coordinator", "nurse")
def patient(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    language, day = current_language(), today()
    library = current_app.extensions["library"]
    enrolments = []
    for enrolment in reversed(found.enrolments):
        pathway = library.get(enrolment.pathway_id)
        view = build_timeline_view(timeline_of(enrolment, library, day), pathway, language)
        enrolments.append((enrolment, pathway.texts[language], view))
    shares = list(db.scalars(select(Share).where(Share.patient_id == found.id).order_by(Share.id)))
    account = db.scalar(select(Account).where(Account.patient_id == found.id))
    goals = shared_goals_of(db, found.id)
    record(db, g.account, "read", found.id, "record")
    db.commit()

    def step_name(enrolment: Enrolment, milestone: str) -> str:
        return milestone_label(library.get(enrolment.pathway_id), language, milestone)

    return render_template("staff/patient.html", patient=found, enrolments=enrolments, shares=shares,
                           account=account, today=day, EnrolForm=EnrolForm,
                           pathway_choices=pathway_choices(language), step_name=step_name, planned=planned_labels,
                           goals=goals, goal_labels=GOAL_LABELS)


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_patient(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    form = PatientForm(obj=found)
    conflict = []
    if form.validate_on_submit():
        if form.version.data != found.version:
            conflict = changes_since(db, patient=found, version=form.version.data)
            form.version.data = found.version
        else:
            before = snapshot(found, PATIENT_FIELDS)
            _details_from(form, found)
            try:
                save_patient_change(db, g.account, found, "changed", before, snapshot(found, PATIENT_FIELDS))
                db.commit()
                return redirect(url_for("staff.patient", patient_id=found.id, saved=1))
            except StaleDataError:  # saved by someone else in the same instant
                db.rollback()
                found = patient_or_404(db, patient_id)
                conflict = changes_since(db, patient=found, version=form.version.data)
                form.version.data = found.version
    return render_template("staff/patient_form.html", form=form, patient=found, conflict=conflict)


@bp.post("/patients/<int:patient_id>/enrol")
@allow("coordinator", "nurse")
def enrol(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    form = EnrolForm()
    form.pathway.choices = choices(pathway_choices(current_language()))
    if form.validate_on_submit():
        _new_enrolment(db, found, form.pathway.data)
        db.commit()
    return redirect(url_for("staff.patient", patient_id=found.id))


@bp.route("/enrolments/<int:enrolment_id>/plan", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def plan(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = PlanForm(obj=enrolment)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    for kind, pairs in plan_choices(pathway, current_language()).items():
        getattr(form, kind).choices = choices(pairs)

    def apply():
        before = snapshot(enrolment, PLAN_FIELDS)
        for kind in PLAN_FIELDS:
            setattr(enrolment, kind, getattr(form, kind).data or None)
        return "plan", None, "changed", before, snapshot(enrolment, PLAN_FIELDS)

    saved, conflict = save_if_current(db, form, enrolment, apply)
    if saved:
        return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))
    return render_template("staff/plan_form.html", form=form, enrolment=enrolment, conflict=conflict,
                           kinds=list(pathway.definition.branches))


@bp.post("/patients/<int:patient_id>/activation")
@allow("coordinator")
def activation(patient_id: int):
    """A one-time code with which the patient sets their password: the first time, or when they
    have forgotten it (the coordinator checks who is asking before giving it out)."""
    db = database.session()
    found = patient_or_404(db, patient_id)
    account = db.scalar(select(Account).where(Account.patient_id == found.id))
    if account is None:
        account = Account(role="patient", display_name=found.display_name, patient=found, created_at=now(),
                          is_active=True, failed_logins=0, session_epoch=0)
        db.add(account)
        db.flush()
    code = issue_activation(db, account, g.account)
    db.commit()
    return render_template("staff/activation.html", patient=found, code=code,
                           link=url_for("auth.activation_link", code=code, _external=True),
                           days=current_app.config["ACTIVATION_DAYS"])


@bp.get("/patients/<int:patient_id>/history")
@allow("coordinator", "nurse")
def history(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    changes = history_of(db, found.id)
    record(db, g.account, "read", found.id, "history")
    db.commit()
    return render_template("staff/history.html", patient=found, changes=changes)
