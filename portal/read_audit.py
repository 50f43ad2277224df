"""Every page that shows a patient's data to staff leaves a "read" row for that patient in the audit
log, so it is in the patient's "who has looked". One mechanism, which a new view cannot forget:
- a page whose address names a patient (a patient, a pathway, a goal or a share of theirs) is
  recorded by the response hook, unless the view recorded its own read or print;
- a page that lists patients (the worklist, the goals of the unit, a clinic day, waiting events)
  says whose data it showed with `shown`.
tests/test_read_audit.py walks every staff page and checks a patient it shows is recorded."""
from __future__ import annotations

from flask import Flask, g, request
from sqlalchemy import select

from . import database
from .audit import entry, record, record_all
from .models import Enrolment, Goal, Share

STAFF = ("coordinator", "nurse")
_OWNER_OF = {"enrolment_id": Enrolment, "goal_id": Goal, "share_id": Share}


def shown(db, patient_ids, what: str) -> None:
    """The patients whose data a list page showed: one read row each, in the caller's transaction."""
    ids = sorted(set(patient_ids))
    if ids:
        record_all(db, [entry(g.account, "read", patient_id, what) for patient_id in ids])
    g.read_recorded = True


def _patient_named(db, arguments: dict) -> int | None:
    if "patient_id" in arguments:
        return arguments["patient_id"]
    for name, model in _OWNER_OF.items():
        if name in arguments:
            return db.scalar(select(model.patient_id).where(model.id == arguments[name]))
    return None


def _record_read(response):
    account = g.get("account")
    if (request.method != "GET" or response.status_code != 200 or g.get("read_recorded")
            or account is None or account.role not in STAFF):
        return response
    db = database.session()
    patient_id = _patient_named(db, request.view_args or {})
    if patient_id is not None:
        record(db, account, "read", patient_id, request.endpoint)
        db.commit()
    return response


def init_app(app: Flask) -> None:
    app.after_request(_record_read)
