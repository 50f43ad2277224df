"""A member of staff's fødselsnummer or D-nummer, for signing in with HelseID.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("national_id", sa.String(11)))
        batch.create_unique_constraint("uq_account_national_id", ["national_id"])


def downgrade():
    with op.batch_alter_table("account") as batch:
        batch.drop_constraint("uq_account_national_id", type_="unique")
        batch.drop_column("national_id")
