"""The audit log: every read or change of a person's data leaves a row saying who, what and when.
Rows are only ever inserted; no page of the portal edits or deletes them."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import insert

from .clock import now
from .models import Account, ApiClient, AuditEntry

READS = ("read", "print")
# Built once: every page view writes a row, and building the statement costs more than running it.
_INSERT = insert(AuditEntry)


def record(db, actor: Account | ApiClient | str, action: str, patient_id: int | None,
           detail: str | None = None) -> None:
    """Add an audit row to the caller's transaction; it is kept when the caller commits.
    `actor` is the signed-in account, a hospital's system (an API client), or a name for the
    portal itself ("cli:demo"). A plain insert on the connection, not an ORM object: every page
    view writes one."""
    db.connection().execute(_INSERT, entry(actor, action, patient_id, detail))
    if action in READS and has_request_context():
        g.read_recorded = True  # portal.read_audit: this page's read is recorded


def record_all(db, entries: list[dict]) -> None:
    """Several rows in one statement (a system's delivery for many patients)."""
    db.connection().execute(_INSERT, entries)


def entry(actor: Account | ApiClient | str, action: str, patient_id: int | None, detail: str | None = None) -> dict:
    row = {"at": now(), "action": action, "patient_id": patient_id, "detail": detail}
    if isinstance(actor, Account):
        row.update(actor=actor.display_name, actor_account_id=actor.id, actor_role=actor.role,
                   actor_unit=actor.unit.name if actor.unit_id else None)
    elif isinstance(actor, ApiClient):
        row.update(actor=actor.name, actor_account_id=None, actor_role=actor.role, actor_unit=actor.unit.name)
    else:
        row.update(actor=actor, actor_account_id=None, actor_role=None, actor_unit=None)
    return row
