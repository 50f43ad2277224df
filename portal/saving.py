"""Saving a change to a patient's record: every save of the web layer goes through here, so each
is checked the same way and leaves the same history (portal.history.record_change).

A form carries the version of the record it was filled in from (a patient's details, an
enrolment, a goal). If someone saved the record since, nothing is saved: the person sees what was
changed meanwhile, with their own entry kept, and sending it again saves it deliberately. A save
that races another in the same instant is treated the same way, never as an error."""
from __future__ import annotations

from collections.abc import Callable

from flask import g
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .history import Edit, Versioned, changes_since, record_change
from .models import Change


def save_if_current(db: Session, form, record: Versioned,
                    make_edit: Callable[[], Edit | None]) -> tuple[bool, list[Change]]:
    """Validate `form`; if it was filled in from `record`'s current version, make the change and
    commit. Returns (saved, the changes made meanwhile). After a conflict the form's version is
    moved on to the current one, so that sending the kept entry again saves it."""
    if not form.validate_on_submit():
        return False, []
    if form.version.data == record.version:
        try:
            if record_change(db, g.account, record, make_edit) is None:
                db.rollback()  # refused: the form says why
                return False, []
            db.commit()
            return True, []
        except StaleDataError:  # saved by someone else in the same instant
            db.rollback()
    conflict = changes_since(db, record, form.version.data)
    form.version.data = record.version
    return False, conflict


def save(db: Session, record: Versioned, make_edit: Callable[[], Edit]) -> None:
    """A change no form version guards: something new, or a choice people make about themselves
    (their language). If another save came in the same instant, the change is made again on top."""
    try:
        record_change(db, g.account, record, make_edit)
        db.commit()
    except StaleDataError:
        db.rollback()
        record_change(db, g.account, record, make_edit)
        db.commit()
