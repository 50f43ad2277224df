"""Sign-ins kept by the server: the cookie holds only a token, so signing out, a new password,
deactivation or an admin ends a session everywhere it was copied. The account's session epoch,
which did part of this, goes.

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False, index=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True)),
        sa.Column("ended_why", sa.String(20)),
    )
    with op.batch_alter_table("account") as batch:
        batch.drop_column("session_epoch")


def downgrade():
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))
    op.drop_table("sign_in")
