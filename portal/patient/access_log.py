"""Who has looked at or changed the patient's record, and when (as helsenorge shows it)."""
from __future__ import annotations

from flask import g, render_template
from sqlalchemy import select

from .. import database
from ..auth.access import allow
from ..models import AuditEntry
from . import bp

SHOWN = 200


@bp.get("/my/access-log")
@allow("patient")
def access_log():
    db = database.session()
    entries = list(db.scalars(select(AuditEntry).where(AuditEntry.patient_id == g.account.patient_id)
                              .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(SHOWN)))
    return render_template("patient/access_log.html", entries=entries, shown=SHOWN)
