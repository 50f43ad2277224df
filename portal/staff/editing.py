"""Saving an edit to something in an enrolment, unless someone else saved first."""
from __future__ import annotations

from collections.abc import Callable

from flask import g

from ..history import changes_since, save_enrolment_change

# What an edit did: (subject, subject id, action, values before, values after)
Applied = tuple[str, "int | None", str, "dict | None", "dict | None"]


def save_if_current(db, form, enrolment, apply: Callable[[], Applied]) -> tuple[bool, list]:
    """Validate `form`; if it was filled in from the enrolment's current version, `apply` it and
    commit. Otherwise nothing is saved and the changes made meanwhile are returned, with the form's
    version moved on, so that sending the (kept) entry again saves it deliberately."""
    if not form.validate_on_submit():
        return False, []
    if form.version.data != enrolment.version:
        conflict = changes_since(db, enrolment=enrolment, version=form.version.data)
        form.version.data = enrolment.version
        return False, conflict
    subject, subject_id, action, before, after = apply()
    db.flush()
    save_enrolment_change(db, g.account, enrolment, subject, subject_id, action, before, after)
    db.commit()
    return True, []
