"""How serious the illness is, where a pathway's normal times depend on it (eating disorders in
children and young people): in the plan and on a recorded step, like the treatment and the setting.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("enrolment", "recorded_event"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("severity", sa.String(40)))


def downgrade():
    for table in ("enrolment", "recorded_event"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("severity")
