"""Recording what happened in a pathway: a step with its date and outcome, a transfer, a
postponement at the patient's wish, the end with its reason. A correction adds a new row and keeps
the old one; a mistaken entry is withdrawn. The engine checks every entry before it is saved."""
from __future__ import annotations

from dataclasses import asdict

from dateutil.relativedelta import relativedelta
from flask import abort, current_app, g, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import database
from ..auth.access import allow
from ..clock import now, today
from ..enrolment_timeline import problems_with_change
from ..forms import choices
from ..history import Edit
from ..i18n import current_language, day_of_record
from ..labels import event_choices, milestone_label
from ..models import RecordedEvent
from ..problem_messages import problem_message
from ..saving import save_if_current
from ..timeline import Event
from ..timeline.model import BRANCH_KINDS, EVENT_FIELDS
from ..unit_scope import enrolment_or_404
from . import bp
from .forms import EventForm, WithdrawForm

# How far back a step may be dated: steps are recorded as they happen or soon after, so an older
# date is most likely a mistyped year.
STEPS_GO_BACK_YEARS = 2
# The engine's objections to the order of steps, which _order_check says better on the date.
ORDER_CODES = ("before_clock_start", "before_earlier_step")


def _event_form(enrolment, **values) -> EventForm:
    form = EventForm(**values)
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    for name, pairs in event_choices(pathway, current_language()).items():
        form[name].choices = choices(pairs)
    return form


def _event_from(form) -> Event:
    return Event(**{spec.name: form[spec.name].data or None for spec in EVENT_FIELDS})


def _date_check(form, enrolment, replacing: RecordedEvent | None) -> None:
    """A step dated before the patient was born, or longer ago than a pathway lasts, is a typing
    mistake (the year, most often). A correction that keeps an old date as it was is let through."""
    day = form.date.data
    if day is None or (replacing is not None and replacing.date == day):
        return
    born = enrolment.patient.date_of_birth
    if born is not None and day < born:
        form.date.errors.append(_("The date is before the patient was born (%(day)s).", day=day_of_record(born)))
    elif day < today() - relativedelta(years=STEPS_GO_BACK_YEARS):
        form.date.errors.append(_("The date is more than %(years)d years ago. Check the year.",
                                  years=STEPS_GO_BACK_YEARS))


def _order_check(form, enrolment, replacing: RecordedEvent | None) -> bool:
    """A step dated before a recorded step that comes earlier in the pathway, or after one that
    comes later, is said on the date, naming that step (the engine would only object to the
    other step). True when it objected."""
    pathway = current_app.extensions["library"].get(enrolment.pathway_id)
    definition, new, day = pathway.definition, form.milestone.data, form.date.data
    if definition.shape == "home_cycle" or day is None or not definition.milestone(new):
        return False
    for recorded in enrolment.current_events:
        if recorded is replacing or not definition.milestone(recorded.milestone):
            continue
        rank, new_rank = definition.order(recorded.milestone), definition.order(new)
        values = {"step": milestone_label(pathway, current_language(), recorded.milestone),
                  "day": day_of_record(recorded.date)}
        if rank < new_rank and recorded.date > day:
            form.date.errors.append(_("The date is before “%(step)s” (%(day)s), which comes earlier in the pathway.",
                                      **values))
            return True
        if rank > new_rank and recorded.date < day:
            form.date.errors.append(_("The date is after “%(step)s” (%(day)s), which comes later in the pathway.",
                                      **values))
            return True
    return False


def _engine_check(form, enrolment, replacing: RecordedEvent | None) -> list[tuple[str, str, str]]:
    """Put the engine's objections on the form's fields; return those that belong to no field
    (less the order of steps, when the date already says what is wrong with it)."""
    out_of_order = _order_check(form, enrolment, replacing)
    own, other = problems_with_change(enrolment, current_app.extensions["library"], today(),
                                      _event_from(form), replacing.id if replacing else None)
    for problem in own:
        if not (out_of_order and problem.code in ORDER_CODES):
            form[problem.field].errors.append(problem_message(problem))
    return [("milestone", _("Step"), problem_message(p)) for p in other
            if not (out_of_order and p.code in ORDER_CODES)]


def _back(enrolment):
    return redirect(url_for("staff.patient", patient_id=enrolment.patient_id, saved=1))


def _edit(enrolment, form, replacing: RecordedEvent | None):
    db = database.session()
    general = []

    def record():
        _date_check(form, enrolment, replacing)
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
