"""Every change to a patient's record keeps its history: the values before and after, who made it
and when (the `change` table). Saving goes through here, so the version moves, the worklist copy
is refreshed and the audit log gets its row in one place."""
from __future__ import annotations

import json
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from .audit import record
from .clock import now, today
from .models import Account, Change, Enrolment, Goal, Patient
from .records import refresh_summary

GOAL_SUBJECTS = ("goal", "goal_action", "goal_review")
# A goal the patient is still thinking about is theirs alone: its history stays out of what staff see.
DRAFTED = "drafted"


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def save_enrolment_change(db, by: Account, enrolment: Enrolment, subject: str, subject_id: int | None,
                          action: str, before: dict | None, after: dict | None) -> None:
    """Count a change to something in the enrolment: new version, fresh worklist copy, history row
    and audit row. The caller commits."""
    enrolment.touch()
    refresh_summary(enrolment, current_app.extensions["library"], today())
    db.flush()
    _log(db, by, enrolment.patient_id, enrolment.id, enrolment.version, subject, subject_id, action, before, after)


def save_patient_change(db, by: Account, patient: Patient, action: str, before: dict | None, after: dict) -> None:
    db.flush()
    _log(db, by, patient.id, None, patient.version, "patient", patient.id, action, before, after)


def save_goal_change(db, by: Account, goal: Goal, subject: str, action: str, before: dict | None,
                     after: dict | None) -> None:
    """Count a change to a goal, one of its actions or reviews as a change to the goal: new
    version (a stale one raises StaleDataError here), history row and audit row. The history row
    names the goal (`subject_id`), whatever the subject. The caller commits."""
    goal.updated_at = now()
    db.flush()
    _log(db, by, goal.patient_id, None, goal.version, subject, goal.id, action, before, after)


def _log(db, by, patient_id, enrolment_id, version, subject, subject_id, action, before, after) -> None:
    db.add(Change(at=now(), by=by.display_name, patient_id=patient_id, enrolment_id=enrolment_id, version=version,
                  subject=subject, subject_id=subject_id, action=action,
                  before=json.dumps(before, ensure_ascii=False) if before is not None else None,
                  after=json.dumps(after, ensure_ascii=False) if after is not None else None))
    record(db, by, f"{subject}-{action}", patient_id, f"{subject} {subject_id}" if subject_id else subject)


def changes_since(db, *, enrolment: Enrolment | None = None, patient: Patient | None = None,
                  goal: Goal | None = None, version: int) -> list[Change]:
    """What others saved after the version a form was filled in from."""
    query = select(Change).where(Change.version > version).order_by(Change.id)
    if enrolment is not None:
        query = query.where(Change.enrolment_id == enrolment.id)
    elif goal is not None:
        query = query.where(Change.subject.in_(GOAL_SUBJECTS), Change.subject_id == goal.id)
    else:
        query = query.where(Change.patient_id == patient.id, Change.subject == "patient")
    return list(db.scalars(query))


def history_of(db, patient_id: int) -> list[Change]:
    return list(db.scalars(select(Change).where(Change.patient_id == patient_id, Change.action != DRAFTED)
                           .order_by(Change.id.desc())))
