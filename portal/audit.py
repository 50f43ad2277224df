"""The audit log: every read or change of a person's data leaves a row saying who, what and when."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert

from .models import AuditEntry


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# Built once: every page view writes a row, and building the statement costs more than running it.
_INSERT = insert(AuditEntry)


def record(db, actor: str, action: str, patient_id: int | None, detail: str | None = None) -> None:
    """Add an audit row to the caller's transaction; it is kept when the caller commits.
    A plain insert on the connection, not an ORM object: every page view writes one."""
    db.connection().execute(
        _INSERT, {"at": now(), "actor": actor, "action": action, "patient_id": patient_id, "detail": detail})

