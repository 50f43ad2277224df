"""Notifications: each person's choice of how to be told there is news, the outbox of messages the
job worker sends, whether a relative may be told, and the day the daily job found a pathway's
normal date gone by with no news.

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notification_choice",
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), primary_key=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("email", sa.String(254)),
        sa.Column("phone", sa.String(20)),
        sa.Column("topics", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False, index=True),
        sa.Column("topic", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(120)),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("last_error", sa.String(300)),
        sa.UniqueConstraint("account_id", "reason", name="uq_notification_reason"),
    )
    op.create_index("ix_notification_due", "notification", ["status", "send_after"])
    with op.batch_alter_table("share") as batch:
        batch.add_column(sa.Column("tell_news", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(sa.Column("no_news_since", sa.Date))


def downgrade():
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_column("no_news_since")
    with op.batch_alter_table("share") as batch:
        batch.drop_column("tell_news")
    op.drop_index("ix_notification_due", "notification")
    op.drop_table("notification")
    op.drop_table("notification_choice")
