"""The first tables: patients, enrolments, recorded events, contacts, personal links, audit log.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("preferred_language", sa.String(5), nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "enrolment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("pathway_id", sa.String(80), nullable=False),
        sa.Column("treatment", sa.String(40)),
        sa.Column("setting", sa.String(40)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "recorded_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enrolment_id", sa.Integer, sa.ForeignKey("enrolment.id"), nullable=False, index=True),
        sa.Column("milestone", sa.String(80), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(80)),
        sa.Column("treatment", sa.String(40)),
        sa.Column("setting", sa.String(40)),
        sa.Column("reason", sa.String(80)),
        sa.Column("until", sa.Date),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("replaced_by_id", sa.Integer, sa.ForeignKey("recorded_event.id")),
    )
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enrolment_id", sa.Integer, sa.ForeignKey("enrolment.id"), nullable=False, index=True),
        sa.Column("role", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("hours", sa.String(200)),
        sa.Column("about", sa.Text),
    )
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("patient_id", sa.Integer, index=True),
        sa.Column("detail", sa.Text),
    )


def downgrade():
    for table in ("audit_entry", "personal_link", "contact", "recorded_event", "enrolment", "patient"):
        op.drop_table(table)
