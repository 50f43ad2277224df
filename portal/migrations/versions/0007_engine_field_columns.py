"""The plan and the recorded steps have one column per field of the engine's Options and Event,
each id as long as the API accepts (80 characters): the treatment, setting and severity were 40.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BRANCH_COLUMNS = ("treatment", "setting", "severity")


def _resize(length: int) -> None:
    for table in ("enrolment", "recorded_event"):
        with op.batch_alter_table(table) as batch:
            for column in BRANCH_COLUMNS:
                batch.alter_column(column, type_=sa.String(length), existing_nullable=True)


def upgrade():
    _resize(80)


def downgrade():
    _resize(40)
