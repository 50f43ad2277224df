"""What matters to each patient, as the care team works with it: goals recorded in the patient's
words (or a relative's, noted as such), how the service can help, actions with who and by when,
and reviews. Drafts the patient has not shared do not exist here. `/staff/goals` is the unit's
list of current goals for the team meeting."""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import exists, select
from sqlalchemy.orm import contains_eager, selectinload

from .. import database
from ..audit import record
from ..auth.access import allow
from ..clock import now, today
from ..forms import choices
from ..goals import CURRENT, DRAFT, link_choices, link_label, link_of, set_link
from ..history import Edit
from ..i18n import current_language
from ..models import Enrolment, Goal, GoalAction, GoalReview, Patient
from ..read_audit import shown
from ..saving import save, save_if_current
from ..unit_scope import in_unit, patient_or_404
from . import bp
from .forms import WithdrawForm
from .goal_forms import ActionDoneForm, GoalActionForm, GoalChangeForm, GoalForm, GoalHelpForm, GoalReviewForm


def _goal_or_404(db, goal_id: int) -> Goal:
    goal = db.get(Goal, goal_id)
    if goal is None or goal.state == DRAFT:
        abort(404)
    patient_or_404(db, goal.patient_id)
    return goal


def _open_action_or_404(goal: Goal, action_id: int) -> GoalAction:
    action = next((a for a in goal.open_actions if a.id == action_id), None)
    if action is None:
        abort(404)
    return action


def _back(goal: Goal):
    return redirect(url_for("staff.goal", goal_id=goal.id, saved=1))


def _page(template: str, goal: Goal, **values):
    return render_template(template, goal=goal, patient=goal.patient, **values)


# The unit's list for the team meeting

def team_goals(db, unit_id: int, pathway_id: str) -> list[Goal]:
    """Current goals of the unit's patients; reviews that are due soonest (or overdue) first."""
    query = (select(Goal).join(Patient, Goal.patient_id == Patient.id)
             .where(Goal.state == CURRENT, in_unit(unit_id))
             .options(contains_eager(Goal.patient), selectinload(Goal.actions))
             .order_by(Goal.review_by.is_(None), Goal.review_by, Patient.display_name, Goal.id))
    if pathway_id:
        query = query.where(exists().where(Enrolment.patient_id == Goal.patient_id,
                                           Enrolment.pathway_id == pathway_id))
    return list(db.scalars(query))


@bp.get("/goals")
@allow("coordinator", "nurse")
def goals():
    library = current_app.extensions["library"]
    pathways = {p.id: p.texts[current_language()].title for p in library.all()}
    pathway_id = request.args.get("pathway", "")
    pathway_id = pathway_id if pathway_id in pathways else ""
    db = database.session()
    rows = team_goals(db, g.account.unit_id, pathway_id)
    shown(db, [goal.patient_id for goal in rows], "the unit's goals")
    db.commit()
    return render_template("staff/goals.html", goals=rows, pathways=pathways, pathway_id=pathway_id,
                           unit_name=g.account.unit.name)


# A goal

def _fill_goal(form, goal: Goal, patient: Patient) -> None:
    goal.text, goal.care_wishes = form.text.data, form.care_wishes.data
    goal.said_by, goal.said_on, goal.aim = form.said_by.data, form.said_on.data, form.aim.data
    goal.review_by = form.review_by.data
    set_link(goal, patient, current_app.extensions["library"], form.link.data or "")


@bp.route("/patients/<int:patient_id>/goals/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_goal(patient_id: int):
    db = database.session()
    patient = patient_or_404(db, patient_id)
    latest = patient.enrolments[-1] if patient.enrolments else None
    form = GoalForm(version=0, said_on=today(), link=f"{latest.id}:{latest.phase or ''}" if latest else "")
    form.link.choices = choices(link_choices(patient, current_app.extensions["library"], current_language()))
    if form.validate_on_submit():
        goal = Goal(patient_id=patient.id, state=CURRENT, recorded_by=g.account.display_name,
                    recorded_by_account_id=g.account.id, created_at=now())
        db.add(goal)

        def add():
            _fill_goal(form, goal, patient)
            return Edit("goal", "added", goal)

        save(db, goal, add)
        return _back(goal)
    return render_template("staff/goal_form.html", form=form, patient=patient, goal=None, conflict=[])


@bp.get("/goals/<int:goal_id>")
@allow("coordinator", "nurse")
def goal(goal_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    record(db, g.account, "read", found.patient_id, f"goal {found.id}")
    db.commit()
    return _page("staff/goal.html", found,
                 link=link_label(found, current_app.extensions["library"], current_language()))


@bp.route("/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def edit_goal(goal_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    form = GoalChangeForm(obj=found, link=link_of(found))
    form.link.choices = choices(link_choices(found.patient, current_app.extensions["library"], current_language()))

    def change():
        _fill_goal(form, found, found.patient)
        found.state = form.state.data
        return Edit("goal", "changed", found)

    saved, conflict = save_if_current(db, form, found, change)
    if saved:
        return _back(found)
    return _page("staff/goal_form.html", found, form=form, conflict=conflict)


@bp.route("/goals/<int:goal_id>/help", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def goal_help(goal_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    form = GoalHelpForm(obj=found)

    def change():
        found.help, found.help_note = form.help.data, form.help_note.data
        return Edit("goal", "changed", found)

    saved, conflict = save_if_current(db, form, found, change)
    if saved:
        return _back(found)
    return _page("staff/goal_help_form.html", found, form=form, conflict=conflict)


# Actions towards a goal

@bp.route("/goals/<int:goal_id>/actions/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_goal_action(goal_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    form = GoalActionForm(version=found.version)

    def add():
        action = GoalAction(goal=found, what=form.what.data, who=form.who.data,
                            by_when=form.by_when.data, created_at=now(), created_by=g.account.display_name)
        db.add(action)
        return Edit("goal_action", "added", action)

    saved, conflict = save_if_current(db, form, found, add)
    if saved:
        return _back(found)
    return _page("staff/goal_action_form.html", found, form=form, conflict=conflict)


@bp.route("/goals/<int:goal_id>/actions/<int:action_id>", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def goal_action(goal_id: int, action_id: int):
    """Mark an action as done (the page also offers to withdraw it)."""
    db = database.session()
    found = _goal_or_404(db, goal_id)
    action = _open_action_or_404(found, action_id)
    form = ActionDoneForm(version=found.version, done_on=today())
    saved, conflict = save_if_current(db, form, found, _closer(action, "done", lambda: form.done_on.data))
    if saved:
        return _back(found)
    return _page("staff/goal_action.html", found, action=action, form=form, conflict=conflict,
                 withdraw_form=WithdrawForm(formdata=None, version=form.version.data))


@bp.post("/goals/<int:goal_id>/actions/<int:action_id>/withdraw")
@allow("coordinator", "nurse")
def withdraw_goal_action(goal_id: int, action_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    action = _open_action_or_404(found, action_id)
    form = WithdrawForm()
    saved, conflict = save_if_current(db, form, found, _closer(action, "withdrawn", now))
    if saved:
        return _back(found)
    version = form.version.data or found.version
    return _page("staff/goal_action.html", found, action=action, conflict=conflict, withdraw_form=form,
                 form=ActionDoneForm(formdata=None, version=version, done_on=today()))


def _closer(action: GoalAction, how: str, when):
    """A change that marks the action done (on a date) or withdrawn (now)."""
    def close():
        setattr(action, "done_on" if how == "done" else "withdrawn_at", when())
        return Edit("goal_action", how, action)
    return close


# Reviews

@bp.route("/goals/<int:goal_id>/reviews/new", methods=["GET", "POST"])
@allow("coordinator", "nurse")
def new_goal_review(goal_id: int):
    db = database.session()
    found = _goal_or_404(db, goal_id)
    form = GoalReviewForm(version=found.version, reviewed_on=today())

    def add():
        review = GoalReview(goal=found, reviewed_on=form.reviewed_on.data, outcome=form.outcome.data,
                            obstacles=form.obstacles.data, reviewed_by=g.account.display_name,
                            recorded_at=now())
        db.add(review)
        if form.next_review_by.data:
            found.review_by = form.next_review_by.data
        return Edit("goal_review", "added", review)

    saved, conflict = save_if_current(db, form, found, add)
    if saved:
        return _back(found)
    return _page("staff/goal_review_form.html", found, form=form, conflict=conflict)
