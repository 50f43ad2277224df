"""What the patient should know about what is coming: appointments, expected results, a note
during a delay, and the contact card. Nothing is deleted: appointments are cancelled, results
withdrawn or marked received, contacts removed from the card; the history keeps every version."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import abort, redirect, render_template, url_for

from .. import database
from ..auth.access import allow
from ..clock import now, today
from ..forms import choices
from ..history import Edit
from ..labels import CONTACT_ROLES
from ..models import Appointment, Contact, ExpectedResult
from ..saving import save_if_current
from ..unit_scope import enrolment_or_404
from . import bp
from .forms import (
    AppointmentForm,
    ContactForm,
    DelayNoteForm,
    ExpectedResultForm,
    ResultReceivedForm,
    WithdrawForm,
)


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


def _change(db, subject: str, item, fill, action: str):
    """A change for save_if_current: fill in `item` (a new one is added)."""
    def change():
        fill(item)
        db.add(item)
        return Edit(subject, action, item)
    return change


def _stamp(field: str):
    return lambda item: setattr(item, field, now())


@dataclass(frozen=True)
class Kind:
    """One kind of planned item: what its history calls it, its form and page, how a sent form
    fills it in, and the page's other forms (cancel, withdraw, mark received...) by name."""

    subject: str
    model: type
    template: str
    make_form: Callable
    fill: Callable
    other_forms: dict = field(default_factory=dict)
    form_values: Callable = lambda item: {}
    # For what is planned for a day: the day a sent form gives and the day the item had (None
    # when new). A day that has passed is saved only when the form confirms it.
    form_day: Callable | None = None
    item_day: Callable | None = None


def _confirmed_if_past(kind: Kind, form, item, change):
    """A change that waits for the form's confirmation when the day given has passed (and is
    not the day the item already had). The form then shows the warning (`past_warning`)."""
    def checked():
        day = kind.form_day(form)
        if day < today() and day != kind.item_day(item) and not form.past_date_confirmed.data:
            form.past_warning = True
            return None
        return change()
    return checked if kind.form_day else change


def _add(enrolment_id: int, kind: Kind):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = kind.make_form(version=enrolment.version)
    item = kind.model(enrolment_id=enrolment.id)
    change = _confirmed_if_past(kind, form, item, _change(db, kind.subject, item, kind.fill(form), "added"))
    saved, conflict = save_if_current(db, form, enrolment, change)
    return _back(enrolment) if saved else _form_page(kind.template, form, enrolment, conflict)


def _edit(enrolment_id: int, item_id: int, kind: Kind):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    item = _owned(db, kind.model, item_id, enrolment)
    form = kind.make_form(obj=item, version=enrolment.version, **kind.form_values(item))
    change = _confirmed_if_past(kind, form, item, _change(db, kind.subject, item, kind.fill(form), "changed"))
    saved, conflict = save_if_current(db, form, enrolment, change)
    if saved:
        return _back(enrolment)
    return _item_page(kind, form, enrolment, conflict, item, enrolment.version)


def _close(enrolment_id: int, item_id: int, kind: Kind, form_name: str, form, fill, action: str):
    """Cancel, withdraw, remove or mark received: one of the page's other forms was sent."""
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    item = _owned(db, kind.model, item_id, enrolment)
    saved, conflict = save_if_current(db, form, enrolment, _change(db, kind.subject, item, fill, action))
    if saved:
        return _back(enrolment)
    version = form.version.data or enrolment.version
    edit_form = _unsent(kind.make_form, obj=item, version=version, **kind.form_values(item))
    return _item_page(kind, edit_form, enrolment, conflict, item, version, sent={form_name: form})


def _item_page(kind: Kind, form, enrolment, conflict, item, version: int, sent: dict | None = None):
    others = {name: (sent or {}).get(name) or _unsent(form_class, version=version)
              for name, form_class in kind.other_forms.items()}
    return _form_page(kind.template, form, enrolment, conflict, item=item, **others)


# Appointments

def _fill_appointment(form):
    def fill(appointment: Appointment):
        appointment.starts_at = datetime.combine(form.day.data, form.time.data)
        for name in ("what", "place", "with_whom", "preparation"):
            setattr(appointment, name, form[name].data)
    return fill


APPOINTMENTS = Kind("appointment", Appointment, "staff/appointment_form.html", AppointmentForm,
                    _fill_appointment, {"cancel_form": WithdrawForm},
                    lambda appointment: {"day": appointment.starts_at.date(), "time": appointment.starts_at.time()},
                    form_day=lambda form: form.day.data,
                    item_day=lambda appointment: appointment.starts_at.date() if appointment.starts_at else None)


@bp.route("/enrolments/<int:enrolment_id>/appointments/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_appointment(enrolment_id: int):
    return _add(enrolment_id, APPOINTMENTS)


@bp.route("/enrolments/<int:enrolment_id>/appointments/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_appointment(enrolment_id: int, item_id: int):
    return _edit(enrolment_id, item_id, APPOINTMENTS)


@bp.post("/enrolments/<int:enrolment_id>/appointments/<int:item_id>/cancel")
@allow("coordinator", "nurse")
def cancel_appointment(enrolment_id: int, item_id: int):
    return _close(enrolment_id, item_id, APPOINTMENTS, "cancel_form", WithdrawForm(), _stamp("cancelled_at"),
                  "cancelled")


# Expected results

def _fill_result(form):
    def fill(result: ExpectedResult):
        result.what = form.what.data
        result.expected_by = form.expected_by.data
        result.how_you_hear = form.how_you_hear.data
    return fill


RESULTS = Kind("expected_result", ExpectedResult, "staff/result_form.html", ExpectedResultForm,
               _fill_result, {"received_form": ResultReceivedForm, "withdraw_form": WithdrawForm},
               form_day=lambda form: form.expected_by.data, item_day=lambda result: result.expected_by)


@bp.route("/enrolments/<int:enrolment_id>/results/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_result(enrolment_id: int):
    return _add(enrolment_id, RESULTS)


@bp.route("/enrolments/<int:enrolment_id>/results/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_result(enrolment_id: int, item_id: int):
    return _edit(enrolment_id, item_id, RESULTS)


@bp.post("/enrolments/<int:enrolment_id>/results/<int:item_id>/received")
@allow("coordinator", "nurse")
def result_received(enrolment_id: int, item_id: int):
    form = ResultReceivedForm()
    return _close(enrolment_id, item_id, RESULTS, "received_form", form,
                  lambda result: setattr(result, "received_on", form.received_on.data), "received")


@bp.post("/enrolments/<int:enrolment_id>/results/<int:item_id>/withdraw")
@allow("coordinator", "nurse")
def withdraw_result(enrolment_id: int, item_id: int):
    return _close(enrolment_id, item_id, RESULTS, "withdraw_form", WithdrawForm(), _stamp("withdrawn_at"), "withdrawn")


# The note during a delay

@bp.route("/enrolments/<int:enrolment_id>/delay-note", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def delay_note(enrolment_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    form = DelayNoteForm(version=enrolment.version, note=enrolment.delay_note)

    def change():
        enrolment.delay_note = form.note.data
        enrolment.delay_note_at = now() if enrolment.delay_note else None
        return Edit("delay_note", "changed" if enrolment.delay_note else "removed")

    saved, conflict = save_if_current(db, form, enrolment, change)
    return _back(enrolment) if saved else _form_page("staff/delay_note_form.html", form, enrolment, conflict)


# The contact card

def _contact_form(**values) -> ContactForm:
    form = ContactForm(**values)
    form.role.choices = choices(CONTACT_ROLES.items())
    return form


def _fill_contact(form):
    def fill(contact: Contact):
        contact.role = form.role.data
        for name in ("name", "phone", "hours", "about"):
            setattr(contact, name, form[name].data)
    return fill


CONTACTS = Kind("contact", Contact, "staff/contact_form.html", _contact_form, _fill_contact,
                {"remove_form": WithdrawForm})


@bp.route("/enrolments/<int:enrolment_id>/contacts/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_contact(enrolment_id: int):
    return _add(enrolment_id, CONTACTS)


@bp.route("/enrolments/<int:enrolment_id>/contacts/<int:item_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_contact(enrolment_id: int, item_id: int):
    return _edit(enrolment_id, item_id, CONTACTS)


@bp.post("/enrolments/<int:enrolment_id>/contacts/<int:item_id>/remove")
@allow("coordinator", "nurse")
def remove_contact(enrolment_id: int, item_id: int):
    return _close(enrolment_id, item_id, CONTACTS, "remove_form", WithdrawForm(), _stamp("removed_at"), "removed")
