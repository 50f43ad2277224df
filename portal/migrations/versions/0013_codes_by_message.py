"""Activation codes go to the person: staff have a work e-mail, and a message of the outbox can
carry the code of one activation (made when it is sent, so the code itself is never stored).

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("account") as batch:
        batch.add_column(sa.Column("work_email", sa.String(254)))
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("activation_id", sa.Integer,
                                   sa.ForeignKey("activation.id", name="fk_notification_activation")))


def downgrade():
    with op.batch_alter_table("notification") as batch:
        batch.drop_constraint("fk_notification_activation", type_="foreignkey")
        batch.drop_column("activation_id")
    with op.batch_alter_table("account") as batch:
        batch.drop_column("work_email")
