"""Every change to a patient's record keeps its history: the values before and after, who made it
and when (the `change` table), and an audit row.

The values are not written by hand at each save: while a change is being made (`recording`), a
flush listener notes every new object and, for every changed one, its values before the change,
from SQLAlchemy's attribute history. The fields kept are the ones each model lists in
`history_fields`. portal.saving is where the web layer's saves go through this."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from .audit import entry as audit_entry
from .audit import record_all as audit_all
from .clock import now, today
from .enrolment_timeline import refresh_summary
from .models import Base, Change, Enrolment, Goal, Patient
from .notifications.queueing import queue_for_changes

GOAL_SUBJECTS = ("goal", "goal_action", "goal_review")
# A goal the patient is still thinking about is theirs alone: its history stays out of what staff see.
DRAFTED = "drafted"
_RECORDING = "history.recording"

Versioned = Patient | Enrolment | Goal


@dataclass
class Edit:
    """What a person did, as the history names it: the subject ("appointment"), the action
    ("cancelled") and the thing it was done to. `replaces`: the entry a correction replaces, whose
    values are the history's "before"."""

    subject: str
    action: str
    item: Base | None = None
    replaces: Base | None = None
    # The first the care team sees of it (a draft the patient shares): nothing from before is kept.
    first_seen: bool = False


@dataclass
class _Recording:
    added: dict = field(default_factory=dict)  # new object -> None: the order they came in, quick to look up
    before: dict = field(default_factory=dict)  # changed object -> its values before the change


def values(obj: Base) -> dict:
    """The object's `history_fields`, as JSON-ready values."""
    return {name: _plain(getattr(obj, name)) for name in obj.history_fields}


def _plain(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _values_before(obj: Base) -> dict:
    state = inspect(obj)
    before = {}
    for name in obj.history_fields:
        history = state.attrs[name].history
        before[name] = _plain(history.deleted[0] if history.deleted else state.attrs[name].value)
    return before


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    recording: _Recording | None = session.info.get(_RECORDING)
    if recording is None:
        return
    for obj in session.new:
        if obj.history_fields:
            recording.added.setdefault(obj)
    for obj in session.dirty:
        if obj.history_fields and obj not in recording.before and obj not in recording.added:
            before = _values_before(obj)
            if before != values(obj):
                recording.before[obj] = before


def record_change(db: Session, by, record: Versioned, make_edit: Callable[[], Edit | None]) -> Edit | None:
    """Make a change to `record` (a patient's details, an enrolment and what belongs to it, or a
    goal with its actions and reviews) with `make_edit()`, which returns the Edit it made, or None
    when it refused (its form says why; nothing is recorded). Counts the change as a new version
    of the record, refreshes the worklist's copy of an enrolment, and adds the history and audit
    rows. `by` is the signed-in account, or the system that sent the change. The caller commits;
    if someone else saved the record meanwhile, StaleDataError is raised."""
    return record_changes(db, by, [(record, make_edit)])[0]


def record_changes(db: Session, by, changes: list[tuple[Versioned, Callable[[], Edit | list[Edit] | None]]]) -> list:
    """record_change for many records at once, with one flush (a system's delivery of events for
    many patients). Where a record gets several entries at once, its function returns a list of
    Edits, one per entry, and each Edit's history holds only its own entry's values."""
    db.info[_RECORDING] = noted = _Recording()
    made_all = []
    try:
        for record, make_edit in changes:
            made = make_edit()
            made_all.append(made)
            if made:
                record.touch()
                if isinstance(record, Enrolment):
                    refresh_summary(record, current_app.extensions["library"], today())
        if any(made_all):
            db.flush()
    finally:
        del db.info[_RECORDING]
    rows = []
    for (record, _), made in zip(changes, made_all, strict=True):
        if isinstance(made, list):
            for edit in made:
                own = [obj for obj in (edit.item, edit.replaces) if obj is not None]
                rows.append(_rows(by, record, edit, _Recording(
                    {obj: None for obj in own if obj in noted.added},
                    {obj: noted.before[obj] for obj in own if obj in noted.before})))
        elif made is not None:  # one change: everything noted is its
            rows.append(_rows(by, record, made, noted))
    if rows:
        # Plain inserts, many rows a statement: nothing reads these rows back in this session.
        changes = [change for change, _ in rows]
        db.connection().execute(_INSERT_CHANGE, changes)
        audit_all(db, [entry for _, entry in rows])
        queue_for_changes(db, changes)
    return made_all


_INSERT_CHANGE = insert(Change)


def _rows(by, record: Versioned, made: Edit, noted: _Recording) -> tuple[dict, dict]:
    """The change's history row and its audit row."""
    before, after = {}, {}
    for obj, values_before in noted.before.items():
        _add_difference(before, after, obj, values_before, values(obj))
    for obj in noted.added:
        if made.replaces is not None and obj is made.item:  # a correction: the old entry's values before
            _add_difference(before, after, obj, values(made.replaces), values(obj))
        else:
            after.update(values(obj))
    if made.first_seen:
        before = {}
    patient_id, enrolment_id, subject_id = _place(record, made)
    change = {"at": now(), "by": by if isinstance(by, str) else by.display_name, "patient_id": patient_id,
              "enrolment_id": enrolment_id, "version": record.version, "subject": made.subject,
              "subject_id": subject_id, "action": made.action,
              "before": json.dumps(before, ensure_ascii=False) if before else None,
              "after": json.dumps(after, ensure_ascii=False) if after else None}
    return change, audit_entry(by, f"{made.subject}-{made.action}", patient_id,
                               f"{made.subject} {subject_id}" if subject_id else made.subject)


def _place(record: Versioned, made: Edit) -> tuple[int, int | None, int | None]:
    """Whose change it is (patient, enrolment) and what it names: an enrolment's entry by its own
    id, everything about a goal by the goal's."""
    if isinstance(record, Enrolment):
        return record.patient_id, record.id, made.item.id if made.item is not None else None
    if isinstance(record, Goal):
        return record.patient_id, None, record.id
    return record.id, None, record.id


def _add_difference(before: dict, after: dict, obj: Base, old: dict, new: dict) -> None:
    """The fields that changed, and the ones that name the entry (which step, which appointment)."""
    for name in obj.history_fields:
        if old[name] != new[name] or name in obj.history_names:
            before[name], after[name] = old[name], new[name]


def changes_since(db: Session, record: Versioned, version: int) -> list[Change]:
    """What others saved to `record` after the version a form was filled in from."""
    query = select(Change).where(Change.version > version).order_by(Change.id)
    if isinstance(record, Enrolment):
        return list(db.scalars(query.where(Change.enrolment_id == record.id)))
    if isinstance(record, Goal):
        return list(db.scalars(query.where(Change.subject.in_(GOAL_SUBJECTS), Change.subject_id == record.id)))
    return list(db.scalars(query.where(Change.patient_id == record.id, Change.subject == "patient")))


def history_of(db: Session, patient_id: int) -> list[Change]:
    return list(db.scalars(select(Change).where(Change.patient_id == patient_id, Change.action != DRAFTED)
                           .order_by(Change.id.desc())))
