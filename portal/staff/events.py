"""Recording what happened in a pathway: a step with its date and outcome, a transfer, a
postponement at the patient's wish, the end with its reason. A correction adds a new row and keeps
the old one; a mistaken entry is withdrawn. The engine checks every entry before it is saved."""
from __future__ import annotations

from dataclasses import asdict

from flask import abort, current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import database
from ..auth.access import allow
from ..clock import now, today
from ..enrolment_timeline import problems_with_change
from ..forms import choices
from ..history import Edit
from ..i18n import current_language
from ..labels import event_choices, milestone_label
from ..models import RecordedEvent
from ..problem_messages import problem_message
from ..saving import save_if_current
from ..timeline import Event
from ..timeline.model import BRANCH_KINDS, EVENT_FIELDS
from ..unit_scope import enrolment_or_404
from . import bp
from .forms import EventForm, WithdrawForm


def _event_form(enrolment, **values) -> EventForm:
    form = EventForm(**values)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    for name, pairs in event_choices(pathway, current_language()).items():
        form[name].choices = choices(pairs)
    return form


def _event_from(form) -> Event:
    return Event(**{spec.name: form[spec.name].data or None for spec in EVENT_FIELDS})


def _engine_check(form, enrolment, replacing: RecordedEvent | None) -> list[tuple[str, str, str]]:
    """Put the engine's objections on the form's fields; return those that belong to no field."""
    own, other = problems_with_change(enrolment, current_app.extensions["library"], today(),
                                      _event_from(form), replacing.id if replacing else None)
    for problem in own:
        form[problem.field].errors.append(problem_message(problem))
    return [("milestone", _("Step"), problem_message(p)) for p in other]


def _back(enrolment):
    return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))


def _edit(enrolment, form, replacing: RecordedEvent | None):
    db = database.session()
    general = []

    def record():
        general.extend(_engine_check(form, enrolment, replacing))
        if general or any(field.errors for field in form):
            return None
        event = RecordedEvent(enrolment=enrolment, **asdict(_event_from(form)), recorded_by=g.account.display_name,
                              recorded_at=now())
        db.add(event)
        if replacing is None:
            return Edit("event", "added", event)
        db.flush()  # the new entry's id, for the old one to point at
        replacing.replaced_by_id = event.id
        return Edit("event", "corrected", event, replaces=replacing)

    saved, conflict = save_if_current(db, form, enrolment, record)
    if saved:
        return _back(enrolment)
    branches = current_app.extensions["library"].get(enrolment.pathway_id).definition.branches
    fields = [spec.name for spec in EVENT_FIELDS if spec.name not in BRANCH_KINDS or spec.name in branches]
    return render_template("staff/event_form.html", form=form, enrolment=enrolment, replacing=replacing,
                           conflict=conflict, general=general,
                           step_fields=[name for name in fields if form[name].flags.required],
                           detail_fields=[name for name in fields if not form[name].flags.required])


@bp.route("/enrolments/<int:enrolment_id>/events/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_event(enrolment_id: int):
    enrolment = enrolment_or_404(database.session(), enrolment_id)
    return _edit(enrolment, _event_form(enrolment, version=enrolment.version), None)


def _current_event_or_404(db, enrolment, event_id: int) -> RecordedEvent:
    event = db.get(RecordedEvent, event_id)
    if event is None or event.enrolment_id != enrolment.id or event not in enrolment.current_events:
        abort(404)
    return event


@bp.route("/enrolments/<int:enrolment_id>/events/<int:event_id>/correct", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def correct_event(enrolment_id: int, event_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    event = _current_event_or_404(db, enrolment, event_id)
    form = _event_form(enrolment, obj=event, version=enrolment.version)
    return _edit(enrolment, form, event)


@bp.route("/enrolments/<int:enrolment_id>/events/<int:event_id>/withdraw", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def withdraw_event(enrolment_id: int, event_id: int):
    db = database.session()
    enrolment = enrolment_or_404(db, enrolment_id)
    event = _current_event_or_404(db, enrolment, event_id)
    form = WithdrawForm(version=enrolment.version)
    general = []

    def withdraw():
        _, other = problems_with_change(enrolment, current_app.extensions["library"], today(), None, event.id)
        general.extend(("submit", _("Withdraw"), problem_message(p)) for p in other)
        if general:
            return None
        event.withdrawn_at = now()
        event.withdrawn_by = g.account.display_name
        return Edit("event", "withdrawn", event)

    saved, conflict = save_if_current(db, form, enrolment, withdraw)
    if saved:
        return _back(enrolment)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    return render_template("staff/withdraw_event.html", form=form, enrolment=enrolment, event=event,
                           name=milestone_label(pathway, current_language(), event.milestone),
                           conflict=conflict, general=general)
