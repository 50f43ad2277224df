"""Recording what happened in a pathway: a step with its date and outcome, a transfer, a
postponement at the patient's wish, the end with its reason. A correction adds a new row and keeps
the old one; a mistaken entry is withdrawn. The engine checks every entry before it is saved."""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import database
from ..auth.access import allow
from ..clock import now, today
from ..form_fields import choices
from ..history import changes_since, save_enrolment_change, snapshot
from ..i18n import current_language
from ..messages import problem_message
from ..models import RecordedEvent
from ..records import problems_with_change
from ..timeline import Event
from . import bp
from .forms import EventForm, WithdrawForm
from .labels import event_choices, milestone_label
from .scope import enrolment_or_404

EVENT_FIELDS = ("milestone", "date", "outcome", "treatment", "setting", "severity", "reason", "until")


def _event_form(enrolment, **values) -> EventForm:
    form = EventForm(**values)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    for name, pairs in event_choices(pathway, current_language()).items():
        getattr(form, name).choices = choices(pairs)
    return form


def _event_from(form) -> Event:
    return Event(form.milestone.data, form.date.data, form.outcome.data or None, form.treatment.data or None,
                 form.setting.data or None, form.reason.data or None, form.until.data,
                 severity=form.severity.data or None)


def _engine_check(form, enrolment, without_id=None) -> list[tuple[str, str, str]]:
    """Put the engine's objections on the form's fields; return those that belong to no field."""
    own, other = problems_with_change(enrolment, current_app.extensions["library"], today(),
                                      _event_from(form), without_id)
    for problem in own:
        name = problem.field.rsplit(".", 1)[-1]
        getattr(form, name if name in EVENT_FIELDS else "milestone").errors.append(problem_message(problem))
    return [("milestone", _("Step"), problem_message(p)) for p in other]


def _save_event(db, form, enrolment) -> RecordedEvent:
    event = RecordedEvent(enrolment=enrolment, milestone=form.milestone.data, date=form.date.data,
                          outcome=form.outcome.data or None, treatment=form.treatment.data or None,
                          setting=form.setting.data or None, severity=form.severity.data or None,
                          reason=form.reason.data or None,
                          until=form.until.data, recorded_by=g.account.display_name, recorded_at=now())
    db.add(event)
    db.flush()
    return event


def _edit(enrolment, form, replacing: RecordedEvent | None):
    db = database.session()
    conflict, general = [], []
    if form.validate_on_submit():
        if form.version.data != enrolment.version:
            conflict = changes_since(db, enrolment=enrolment, version=form.version.data)
            form.version.data = enrolment.version
        else:
            general = _engine_check(form, enrolment, replacing.id if replacing else None)
            if not general and not any(f.errors for f in form):
                event = _save_event(db, form, enrolment)
                if replacing is not None:
                    replacing.replaced_by_id = event.id
                save_enrolment_change(db, g.account, enrolment, "event", event.id,
                                      "corrected" if replacing else "added",
                                      snapshot(replacing, EVENT_FIELDS) if replacing else None,
                                      snapshot(event, EVENT_FIELDS))
                db.commit()
                return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))
    kinds = list(current_app.extensions["library"].get(enrolment.pathway_id).definition.branches)
    return render_template("staff/event_form.html", form=form, enrolment=enrolment, replacing=replacing,
                           conflict=conflict, general=general, kinds=kinds)


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
    conflict, general = [], []
    if form.validate_on_submit():
        if form.version.data != enrolment.version:
            conflict = changes_since(db, enrolment=enrolment, version=form.version.data)
            form.version.data = enrolment.version
        else:
            _, other = problems_with_change(enrolment, current_app.extensions["library"], today(), None, event.id)
            general = [("submit", _("Withdraw"), problem_message(p)) for p in other]
            if not general:
                before = snapshot(event, EVENT_FIELDS)
                event.withdrawn_at = now()
                event.withdrawn_by = g.account.display_name
                save_enrolment_change(db, g.account, enrolment, "event", event.id, "withdrawn", before, None)
                db.commit()
                return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    return render_template("staff/withdraw_event.html", form=form, enrolment=enrolment, event=event,
                           name=milestone_label(pathway, current_language(), event.milestone),
                           conflict=conflict, general=general)
