"""What matters to the patient: goals in their own words, the actions towards them and the
conversations that review them.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "goal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("enrolment_id", sa.Integer, sa.ForeignKey("enrolment.id")),
        sa.Column("phase", sa.String(80)),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("care_wishes", sa.Text),
        sa.Column("said_by", sa.String(20), nullable=False),
        sa.Column("said_on", sa.Date, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_by_account_id", sa.Integer, sa.ForeignKey("account.id")),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("aim", sa.String(20), nullable=False),
        sa.Column("help", sa.String(40)),
        sa.Column("help_note", sa.String(300)),
        sa.Column("review_by", sa.Date),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "goal_action",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id"), nullable=False, index=True),
        sa.Column("what", sa.String(300), nullable=False),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("by_when", sa.Date, nullable=False),
        sa.Column("done_on", sa.Date),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime),
    )
    op.create_table(
        "goal_review",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("goal_id", sa.Integer, sa.ForeignKey("goal.id"), nullable=False, index=True),
        sa.Column("reviewed_on", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("obstacles", sa.Text),
        sa.Column("reviewed_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade():
    for table in ("goal_review", "goal_action", "goal"):
        op.drop_table(table)
