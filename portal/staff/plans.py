"""What the patient should know about what is coming: appointments, expected results, a note
during a delay, and the contact card. Nothing is deleted: appointments are cancelled, results
withdrawn or marked received, contacts removed from the card; the history keeps every version."""
from __future__ import annotations

from datetime import datetime

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import database
from ..audit import now
from ..auth.access import allow
from ..history import snapshot
from ..models import Appointment, Contact, ExpectedResult
from . import bp
from .editing import save_if_current
from .forms import (CONTACT_ROLES, AppointmentForm, ContactForm, DelayNoteForm, ExpectedResultForm,
                    ResultReceivedForm, WithdrawForm)
from .scope import enrolment_or_404

APPOINTMENT_FIELDS = ("starts_at", "what", "place", "with_whom", "preparation", "cancelled_at")
RESULT_FIELDS = ("what", "expected_by", "how_you_hear", "received_on", "withdrawn_at")
CONTACT_FIELDS = ("role", "name", "phone", "hours", "about", "removed_at")


def _back(enrolment):
    return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1) + f"#enrolment-{enrolment.id}")


def _form_page(template, form, enrolment, conflict, **extra):
    return render_template(template, form=form, enrolment=enrolment, conflict=conflict, **extra)


def _unsent(make_form, **values):
    """Another form on the page than the one that was sent: filled in from `values`, not from
    the request (whose version may be the outdated one)."""
    return make_form(formdata=None, **values)


def _owned(db, model, item_id: int, enrolment):
    item = db.get(model, item_id)
    if item is None or item.enrolment_id != enrolment.id:
        abort(404)
    return item


def _text(value):
    return (value.strip() or None) if isinstance(value, str) else value


def _applier(db, subject: str, item, fields: tuple[str, ...], fill, action: str):
    """An `apply` for save_if_current: fill in `item` and describe the change for the history."""
    def apply():
        before = None if action == "added" else snapshot(item, fields)
        fill(item)
        db.add(item)
        db.flush()
        return subject, item.id, action, before, snapshot(item, fields)
    return apply


def _stamp(field: str):
    return lambda item: setattr(item, field, now())


# Appointments

def _fill_appointment(form):
    def fill(appointment: Appointment):
        appointment.starts_at = datetime.combine(form.day.data, form.time.data)
        for name in ("what", "place", "with_whom", "preparation"):
            setattr(appointment, name, _text(getattr(form, name).data))
    return fill


@bp.route("/enrolments/<int:enrolment_id>/appointments/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_appointment(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = AppointmentForm(version=enrolment.version)
    apply = _applier(db, "appointment", Appointment(enrolment_id=enrolment.id), APPOINTMENT_FIELDS,
                     _fill_appointment(form), "added")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    return _back(enrolment) if saved else _form_page("staff/appointment_form.html", form, enrolment, conflict)


@bp.route("/enrolments/<int:enrolment_id>/appointments/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_appointment(enrolment_id: int, item_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    appointment = _owned(db, Appointment, item_id, enrolment)
    form = AppointmentForm(obj=appointment, version=enrolment.version,
                           day=appointment.starts_at.date(), time=appointment.starts_at.time())
    apply = _applier(db, "appointment", appointment, APPOINTMENT_FIELDS, _fill_appointment(form), "changed")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    if saved:
        return _back(enrolment)
    return _form_page("staff/appointment_form.html", form, enrolment, conflict, item=appointment,
                      cancel_form=_unsent(WithdrawForm, version=enrolment.version))


@bp.post("/enrolments/<int:enrolment_id>/appointments/<int:item_id>/cancel")
@allow("coordinator", "nurse")
def cancel_appointment(enrolment_id: int, item_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    appointment = _owned(db, Appointment, item_id, enrolment)
    form = WithdrawForm()
    apply = _applier(db, "appointment", appointment, APPOINTMENT_FIELDS, _stamp("cancelled_at"), "cancelled")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    if saved:
        return _back(enrolment)
    edit_form = _unsent(AppointmentForm, obj=appointment, version=form.version.data, day=appointment.starts_at.date(),
                        time=appointment.starts_at.time())
    return _form_page("staff/appointment_form.html", edit_form, enrolment, conflict, item=appointment,
                      cancel_form=form)


# Expected results

def _fill_result(form):
    def fill(result: ExpectedResult):
        result.what = form.what.data.strip()
        result.expected_by = form.expected_by.data
        result.how_you_hear = _text(form.how_you_hear.data)
    return fill


@bp.route("/enrolments/<int:enrolment_id>/results/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_result(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = ExpectedResultForm(version=enrolment.version)
    apply = _applier(db, "expected_result", ExpectedResult(enrolment_id=enrolment.id), RESULT_FIELDS,
                     _fill_result(form), "added")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    return _back(enrolment) if saved else _form_page("staff/result_form.html", form, enrolment, conflict)


@bp.route("/enrolments/<int:enrolment_id>/results/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_result(enrolment_id: int, item_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    result = _owned(db, ExpectedResult, item_id, enrolment)
    form = ExpectedResultForm(obj=result, version=enrolment.version)
    apply = _applier(db, "expected_result", result, RESULT_FIELDS, _fill_result(form), "changed")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    return _back(enrolment) if saved else _form_page(
        "staff/result_form.html", form, enrolment, conflict, item=result,
        received_form=_unsent(ResultReceivedForm, version=enrolment.version),
        withdraw_form=_unsent(WithdrawForm, version=enrolment.version))


@bp.post("/enrolments/<int:enrolment_id>/results/<int:item_id>/received")
@allow("coordinator", "nurse")
def result_received(enrolment_id: int, item_id: int):
    return _close_result(enrolment_id, item_id, ResultReceivedForm(), "received")


@bp.post("/enrolments/<int:enrolment_id>/results/<int:item_id>/withdraw")
@allow("coordinator", "nurse")
def withdraw_result(enrolment_id: int, item_id: int):
    return _close_result(enrolment_id, item_id, WithdrawForm(), "withdrawn")


def _close_result(enrolment_id: int, item_id: int, form, action: str):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    result = _owned(db, ExpectedResult, item_id, enrolment)
    fill = (lambda item: setattr(item, "received_on", form.received_on.data)) if action == "received" \
        else _stamp("withdrawn_at")
    saved, conflict = save_if_current(db, form, enrolment, _applier(db, "expected_result", result, RESULT_FIELDS,
                                                                    fill, action))
    if saved:
        return _back(enrolment)
    version = form.version.data or enrolment.version
    return _form_page("staff/result_form.html", _unsent(ExpectedResultForm, obj=result, version=version), enrolment,
                      conflict, item=result,
                      received_form=form if action == "received" else _unsent(ResultReceivedForm, version=version),
                      withdraw_form=form if action == "withdrawn" else _unsent(WithdrawForm, version=version))


# The note during a delay

@bp.route("/enrolments/<int:enrolment_id>/delay-note", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def delay_note(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = DelayNoteForm(version=enrolment.version, note=enrolment.delay_note)

    def apply():
        before = {"delay_note": enrolment.delay_note}
        enrolment.delay_note = _text(form.note.data)
        enrolment.delay_note_at = now() if enrolment.delay_note else None
        action = "changed" if enrolment.delay_note else "removed"
        return "delay_note", None, action, before, {"delay_note": enrolment.delay_note}

    saved, conflict = save_if_current(db, form, enrolment, apply)
    return _back(enrolment) if saved else _form_page("staff/delay_note_form.html", form, enrolment, conflict)


# The contact card

def _contact_form(**values) -> ContactForm:
    form = ContactForm(**values)
    names = {"coordinator": _("Pathway coordinator"), "contact_nurse": _("Contact nurse"), "gp": _("GP"),
             "home_care": _("Home care"), "other": _("Other")}
    form.role.choices = [(role, names[role]) for role in CONTACT_ROLES]
    return form


def _fill_contact(form):
    def fill(contact: Contact):
        contact.role = form.role.data
        for name in ("name", "phone", "hours", "about"):
            setattr(contact, name, _text(getattr(form, name).data))
    return fill


@bp.route("/enrolments/<int:enrolment_id>/contacts/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_contact(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = _contact_form(version=enrolment.version)
    apply = _applier(db, "contact", Contact(enrolment_id=enrolment.id), CONTACT_FIELDS, _fill_contact(form), "added")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    return _back(enrolment) if saved else _form_page("staff/contact_form.html", form, enrolment, conflict)


@bp.route("/enrolments/<int:enrolment_id>/contacts/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_contact(enrolment_id: int, item_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    contact = _owned(db, Contact, item_id, enrolment)
    form = _contact_form(obj=contact, version=enrolment.version)
    apply = _applier(db, "contact", contact, CONTACT_FIELDS, _fill_contact(form), "changed")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    if saved:
        return _back(enrolment)
    return _form_page("staff/contact_form.html", form, enrolment, conflict, item=contact,
                      remove_form=_unsent(WithdrawForm, version=enrolment.version))


@bp.post("/enrolments/<int:enrolment_id>/contacts/<int:item_id>/remove")
@allow("coordinator", "nurse")
def remove_contact(enrolment_id: int, item_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    contact = _owned(db, Contact, item_id, enrolment)
    form = WithdrawForm()
    apply = _applier(db, "contact", contact, CONTACT_FIELDS, _stamp("removed_at"), "removed")
    saved, conflict = save_if_current(db, form, enrolment, apply)
    if saved:
        return _back(enrolment)
    return _form_page("staff/contact_form.html",
                      _unsent(_contact_form, obj=contact, version=form.version.data or enrolment.version),
                      enrolment, conflict, item=contact, remove_form=form)
