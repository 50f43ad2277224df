"""Pathway events from the hospital's own systems: a person's national id (fødselsnummer or
D-nummer), where a recorded step came from, the API clients that send them, and the events held
for a coordinator because no patient had that national id.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("national_id", sa.String(11)))
        batch.create_unique_constraint("uq_patient_national_id", ["national_id"])
    with op.batch_alter_table("recorded_event") as batch:
        batch.add_column(sa.Column("source", sa.String(200)))
    op.create_table(
        "api_client",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False, index=True),
        sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "held_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("national_id", sa.String(11), nullable=False),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_from", sa.String(200), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("resolved_by", sa.String(200)),
        sa.Column("resolution", sa.String(20)),
    )
    op.create_index("ix_held_event_open", "held_event", ["unit_id", "resolved_at"])


def downgrade():
    op.drop_index("ix_held_event_open", "held_event")
    op.drop_table("held_event")
    op.drop_table("api_client")
    with op.batch_alter_table("recorded_event") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("patient") as batch:
        batch.drop_constraint("uq_patient_national_id", type_="unique")
        batch.drop_column("national_id")
