"""What matters to the patient, written by the patient: as a draft while they think (seen by
nobody else), then shared with the care team. A page of questions helps them think before the
conversation, since few have an answer ready when asked on the spot."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from .. import database
from ..audit import record
from ..auth.access import allow
from ..clock import now, today
from ..goals import CURRENT, DRAFT, PROMPTS, STATES, delete_draft, goals_of, grouped
from ..history import DRAFTED, Edit
from ..models import Goal
from ..saving import save, save_if_current
from . import bp
from .goal_forms import DeleteDraftForm, FinishGoalForm, OwnGoalForm


def _own_goal_or_404(db, goal_id: int, states: tuple[str, ...] = (DRAFT, CURRENT)) -> Goal:
    """One of the signed-in patient's goals that they can still change."""
    goal = db.get(Goal, goal_id)
    if goal is None or goal.patient_id != g.account.patient_id or goal.state not in states:
        abort(404)
    return goal


def _fill(form, goal: Goal) -> None:
    goal.text, goal.care_wishes = form.text.data, form.care_wishes.data


@bp.get("/my/goals")
@allow("patient")
def goals():
    db = database.session()
    own = goals_of(db, g.account.patient_id, tuple(STATES))
    return render_template("patient/goals.html", goals=grouped(own))


@bp.route("/my/goals/new", methods=["GET", "POST"])
@allow("patient")
def new_goal():
    db = database.session()
    form = OwnGoalForm(version=0)
    if form.validate_on_submit():
        account = g.account
        goal = Goal(patient_id=account.patient_id, said_by="patient", said_on=today(), aim="improve",
                    recorded_by=account.display_name, recorded_by_account_id=account.id, created_at=now(),
                    state=DRAFT if form.draft.data else CURRENT)
        db.add(goal)

        def add():
            _fill(form, goal)
            return Edit("goal", DRAFTED if goal.state == DRAFT else "added", goal)

        save(db, goal, add)
        return redirect(url_for("patient.goals", saved=goal.state) + f"#goal-{goal.id}")
    prompt = next((p for p in PROMPTS if p[0] == request.args.get("about")), None)
    return render_template("patient/goal_form.html", form=form, goal=None, prompt=prompt, conflict=[])


@bp.route("/my/goals/<int:goal_id>", methods=["GET", "POST"])
@allow("patient")
def edit_goal(goal_id: int):
    db = database.session()
    goal = _own_goal_or_404(db, goal_id)
    form = OwnGoalForm(obj=goal)

    def change():
        _fill(form, goal)
        if goal.state == CURRENT:
            return Edit("goal", "changed", goal)
        if form.draft.data:
            return Edit("goal", DRAFTED, goal)
        # Shared now: the care team meets the goal as it stands, not the drafts before it.
        goal.state, goal.said_on = CURRENT, today()
        return Edit("goal", "shared", goal, first_seen=True)

    saved, conflict = save_if_current(db, form, goal, change)
    if saved:
        return redirect(url_for("patient.goals", saved=goal.state) + f"#goal-{goal.id}")
    return render_template("patient/goal_form.html", form=form, goal=goal, prompt=None, conflict=conflict)


@bp.route("/my/goals/<int:goal_id>/finish", methods=["GET", "POST"])
@allow("patient")
def finish_goal(goal_id: int):
    """A shared goal reached, or no longer wanted: kept among earlier goals and in the history."""
    db = database.session()
    goal = _own_goal_or_404(db, goal_id, (CURRENT,))
    form = FinishGoalForm(obj=goal)

    def change():
        goal.state = form.how.data
        return Edit("goal", "changed", goal)

    saved, conflict = save_if_current(db, form, goal, change)
    if saved:
        return redirect(url_for("patient.goals", saved=goal.state) + f"#goal-{goal.id}")
    return render_template("patient/goal_finish.html", form=form, goal=goal, conflict=conflict)


@bp.route("/my/goals/<int:draft_id>/delete", methods=["GET", "POST"])
@allow("patient")
def delete_goal_draft(draft_id: int):
    db = database.session()
    goal = _own_goal_or_404(db, draft_id, (DRAFT,))
    form = DeleteDraftForm(obj=goal)
    changed_meanwhile = False
    if form.validate_on_submit():
        if form.version.data == goal.version:
            record(db, g.account, "goal-draft-deleted", goal.patient_id, f"goal {goal.id}")
            delete_draft(db, goal)
            db.commit()
            return redirect(url_for("patient.goals", saved="deleted"))
        changed_meanwhile = True  # changed in another window: ask again, showing the draft as it is now
        form.version.data = goal.version
    return render_template("patient/goal_delete.html", form=form, goal=goal, changed_meanwhile=changed_meanwhile)


@bp.get("/my/goals/before-we-meet")
@allow("patient")
def before_we_meet():
    return render_template("patient/before_we_meet.html", prompts=PROMPTS)
