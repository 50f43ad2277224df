"""Version counter on enrolments (optimistic locking, and the key for cached timeline pages).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade():
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_column("version")
