"""Moments carry their time zone: PostgreSQL keeps them as `timestamptz` (the values were UTC
already), and the history's moments say they are UTC, so each is shown in Norwegian time. An
appointment's start stays a wall time, as written on the letter.

SQLite has no time zones: its stored values (UTC) stay as they are.

Revision ID: 0006
Revises: 0005
"""
import json

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MOMENTS = {
    "audit_entry": ("at",),
    "change": ("at",),
    "unit": ("created_at",),
    "patient": ("created_at",),
    "account": ("locked_until", "created_at", "last_login_at"),
    "enrolment": ("delay_note_at", "created_at"),
    "activation": ("created_at", "expires_at", "used_at", "revoked_at"),
    "appointment": ("cancelled_at",),
    "contact": ("removed_at",),
    "expected_result": ("withdrawn_at",),
    "goal": ("created_at", "updated_at"),
    "recorded_event": ("recorded_at", "withdrawn_at"),
    "share": ("invite_expires_at", "accepted_at", "created_at", "withdrawn_at"),
    "goal_action": ("created_at", "withdrawn_at"),
    "goal_review": ("recorded_at",),
}
# In the history, every key ending in _at is a moment, but for the appointment's wall time.
WALL_TIMES = ("starts_at",)


def _retype(to_zone: bool) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in MOMENTS.items():
        for column in columns:
            if to_zone:
                op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE timestamptz USING "{column}" AT TIME ZONE \'UTC\'')
            else:
                op.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" TYPE timestamp USING "{column}" AT TIME ZONE \'UTC\'')


def _history_moments(mark) -> None:
    change = sa.table("change", sa.column("id", sa.Integer), sa.column("before", sa.Text), sa.column("after", sa.Text))
    connection = op.get_bind()
    for row in connection.execute(sa.select(change.c.id, change.c.before, change.c.after)).all():
        values = {}
        for name in ("before", "after"):
            text = getattr(row, name)
            if text:
                data = json.loads(text)
                values[name] = json.dumps({key: mark(key, value) for key, value in data.items()}, ensure_ascii=False)
        if values and any(values[name] != getattr(row, name) for name in values):
            connection.execute(sa.update(change).where(change.c.id == row.id).values(**values))


def _with_utc(key, value):
    is_moment = key.endswith("_at") and key not in WALL_TIMES and isinstance(value, str)
    return value + "+00:00" if is_moment and "+" not in value[10:] else value


def _without_zone(key, value):
    is_moment = key.endswith("_at") and key not in WALL_TIMES and isinstance(value, str)
    return value.removesuffix("+00:00") if is_moment else value


def upgrade():
    _retype(to_zone=True)
    _history_moments(_with_utc)


def downgrade():
    _history_moments(_without_zone)
    _retype(to_zone=False)
