"""Registering a patient, their record as the care team sees it, their details, enrolment in a
pathway and the planned branch, activation codes and the history of changes."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import database
from ..audit import record
from ..auth import oidc
from ..auth.access import allow, end_sign_ins
from ..auth.accounts import account_of_patient, in_use, issue_activation, send_activation
from ..clock import now, today
from ..enrolment_timeline import timeline_of
from ..forms import choices
from ..goals import grouped, shared_goals_of
from ..history import Edit, history_of, record_change
from ..i18n import current_language
from ..labels import event_words, national_id_words, pathway_choices, plan_choices, planned_labels, step_origin
from ..links import public_url
from ..models import Account, Enrolment, Patient, RecordedEvent, Share
from ..presentation import TimelineView, build_timeline_view
from ..read_audit import shown
from ..saving import save_if_current
from ..timeline.model import BRANCH_KINDS
from ..unit_scope import enrolment_or_404, in_unit, patient_or_404
from . import bp
from .forms import EnrolForm, NewPatientForm, PatientForm, PlanForm


def _details_from(form, patient: Patient) -> None:
    for name in Patient.history_fields:
        setattr(patient, name, form[name].data)


def _enrol(db, patient: Patient, pathway_id: str) -> Enrolment:
    """Enrol the patient in a pathway, run by the signed-in person's unit (the caller commits)."""
    enrolment = Enrolment(patient=patient, pathway_id=pathway_id, unit_id=g.account.unit_id, created_at=now())
    db.add(enrolment)
    record_change(db, g.account, enrolment, lambda: Edit("enrolment", "added"))
    return enrolment


@bp.route("/patients/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_patient():
    form = NewPatientForm(version=0)
    form.pathway.choices = choices(pathway_choices(current_language()))
    if form.validate_on_submit():
        db = database.session()
        alike = [] if request.form.get("new_person_confirmed") else _alike(db, form)
        if alike:
            shown(db, [other.id for other in alike], "registration")
            db.commit()
            return render_template("staff/patient_form.html", form=form, patient=None, alike=alike)
        patient = Patient(unit_id=g.account.unit_id, created_at=now(), display_name="")
        db.add(patient)

        def register():
            _details_from(form, patient)
            return Edit("patient", "added", patient)

        record_change(db, g.account, patient, register)
        _enrol(db, patient, form.pathway.data)
        db.commit()
        return redirect(url_for("staff.patient", patient_id=patient.id, registered=1))
    return render_template("staff/patient_form.html", form=form, patient=None,
                           registered_already=_where_registered(form))


def _same_name(name: str) -> str:
    """A name as compared for "is this the same person?": case and spacing aside (in Python,
    because SQLite's lower() leaves Æ, Ø and Å as they are)."""
    return " ".join(name.casefold().split())


def _alike(db, form) -> list[Patient]:
    """Patients of the unit's care with the same name and date of birth, where a number does not
    tell them apart (one of the two has none): perhaps the same person, about to be registered twice.
    Other units' patients are left out: their names are not this unit's to see."""
    query = select(Patient).where(Patient.date_of_birth == form.date_of_birth.data, in_unit(g.account.unit_id))
    if form.national_id.data:
        query = query.where(Patient.national_id.is_(None))
    name = _same_name(form.display_name.data)
    return [other for other in db.scalars(query.order_by(Patient.id)) if _same_name(other.display_name) == name]


def _where_registered(form) -> Patient | str | None:
    """Who already has the number typed: the patient, when this unit may see them (their name is
    shown, so the read is in their log); "elsewhere" when another unit has them (nothing more
    about them is said); None when nobody has."""
    holder = form.registered_already
    if holder is None:
        return None
    db = database.session()
    if db.scalar(select(Patient.id).where(Patient.id == holder.id, in_unit(g.account.unit_id))) is None:
        return "elsewhere"
    shown(db, [holder.id], "registration")
    db.commit()
    return holder


@bp.get("/patients/<int:patient_id>")
@allow("coordinator", "nurse")
def patient(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    language = current_language()
    enrolments = [_enrolment_section(enrolment, language) for enrolment in reversed(found.enrolments)]
    shares = list(db.scalars(select(Share).where(Share.patient_id == found.id).order_by(Share.id)))
    account = db.scalar(select(Account).where(Account.patient_id == found.id))
    goals = grouped(shared_goals_of(db, found.id))
    record(db, g.account, "read", found.id, "record")
    db.commit()
    enrol_form = EnrolForm(formdata=None)
    enrol_form.pathway.choices = choices(pathway_choices(language))
    return render_template("staff/patient.html", patient=found, enrolments=enrolments, shares=shares,
                           account=account, account_in_use=account is not None and in_use(account),
                           enrol_form=enrol_form, goals=goals,
                           national_id=national_id_words(found.national_id) if found.national_id else None,
                           manages_access=g.account.role == "coordinator")


@dataclass
class EnrolmentSection:
    """One pathway on the patient's record: where it stands, the plan and the recorded steps."""

    enrolment: Enrolment
    title: str
    view: TimelineView
    planned: list[str]
    steps: list[tuple[RecordedEvent, str, str]]  # each current entry, in words, and where it came from


def _enrolment_section(enrolment: Enrolment, language: str) -> EnrolmentSection:
    library = current_app.extensions["library"]
    pathway = library.get(enrolment.pathway_id)
    texts = pathway.texts[language]
    view = build_timeline_view(timeline_of(enrolment, library, today()), pathway, language)
    return EnrolmentSection(enrolment, texts.title, view, planned_labels(enrolment, texts),
                            [(event, event_words(pathway, language, event), step_origin(event))
                             for event in enrolment.current_events])


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_patient(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    form = PatientForm(obj=found)
    form.editing = found

    def change():
        _details_from(form, found)
        return Edit("patient", "changed", found)

    saved, conflict = save_if_current(db, form, found, change)
    if saved:
        return redirect(url_for("staff.patient", patient_id=found.id, saved=1))
    return render_template("staff/patient_form.html", form=form, patient=found, conflict=conflict,
                           registered_already=_where_registered(form))


@bp.post("/patients/<int:patient_id>/enrol")
@allow("coordinator", "nurse")
def enrol(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    form = EnrolForm()
    form.pathway.choices = choices(pathway_choices(current_language()))
    if form.validate_on_submit():
        _enrol(db, found, form.pathway.data)
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

    def change():
        for kind in BRANCH_KINDS:
            setattr(enrolment, kind, getattr(form, kind).data or None)
        return Edit("plan", "changed")

    saved, conflict = save_if_current(db, form, enrolment, change)
    if saved:
        return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))
    return render_template("staff/plan_form.html", form=form, enrolment=enrolment, conflict=conflict,
                           kinds=list(pathway.definition.branches))


@bp.post("/patients/<int:patient_id>/activation")
@allow("coordinator")
def activation(patient_id: int):
    """A one-time code with which the patient sets their password. The first time it is shown to
    hand over in person (a letter, or read out). For an account in use (a forgotten password) it
    goes to the patient's own e-mail or mobile phone and is never shown: whoever holds a code for
    someone's account could take it over (issue 17)."""
    db = database.session()
    found = patient_or_404(db, patient_id)
    account = account_of_patient(db, found)
    if not in_use(account):
        code = issue_activation(db, account, g.account)
        db.commit()
        response = make_response(render_template("staff/activation.html", patient=found, code=code,
                                                 link=public_url("auth.activation_link", code=code),
                                                 days=current_app.config["ACTIVATION_DAYS"]))
        response.headers["Cache-Control"] = "no-store"  # shown once: kept in no browser's or proxy's cache
        return response
    sent_to = send_activation(db, account, g.account)
    db.commit()
    if sent_to is None:
        return render_template("staff/activation_unsent.html", patient=found,
                               id_porten=oidc.offered("id-porten") is not None, login=public_url("auth.login"))
    return render_template("staff/activation_sent.html", patient=found, channel=sent_to.channel,
                           days=current_app.config["ACTIVATION_DAYS"])


@bp.post("/patients/<int:patient_id>/sign-out")
@allow("coordinator")
def sign_out_patient(patient_id: int):
    """End every sign-in of the patient's account: a lost phone, a shared computer."""
    db = database.session()
    found = patient_or_404(db, patient_id)
    account = db.scalar(select(Account).where(Account.patient_id == found.id))
    if account is not None:
        ended = end_sign_ins(db, account, "ended_by_staff")
        record(db, g.account, "sign-out-everywhere", found.id, f"{ended} sign-in(s) ended")
        db.commit()
    return redirect(url_for("staff.patient", patient_id=found.id, signed_out=1))


@bp.get("/patients/<int:patient_id>/history")
@allow("coordinator", "nurse")
def history(patient_id: int):
    db = database.session()
    found = patient_or_404(db, patient_id)
    changes = history_of(db, found.id)
    record(db, g.account, "read", found.id, "history")
    db.commit()
    return render_template("staff/history.html", patient=found, changes=changes)
