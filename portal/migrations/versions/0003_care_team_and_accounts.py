"""Units, accounts with one-time activation codes (replacing personal links), patient details,
appointments, expected results, relatives' shares, the change history, and the worklist's copy
of each enrolment's timeline.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    with op.batch_alter_table("patient") as batch:
        batch.add_column(sa.Column("date_of_birth", sa.Date))
        batch.add_column(sa.Column("phone", sa.String(40)))
        batch.add_column(sa.Column("email", sa.String(200)))
        batch.add_column(sa.Column("address", sa.String(300)))
        batch.add_column(sa.Column("large_print", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("interpreter_language", sa.String(80)))
        batch.add_column(sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", name="fk_patient_unit")))
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="1"))
        batch.create_index("ix_patient_unit_id", ["unit_id"])
    op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("username", sa.String(80), unique=True),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), index=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), unique=True),
        sa.Column("is_active", sa.Boolean, nullable=False),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("session_epoch", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_login_at", sa.DateTime),
    )
    op.create_table(
        "activation",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), nullable=False, index=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime),
    )
    # Personal links become one-time activation codes; links already handed out stop working
    # and the coordinator issues activation codes instead.
    op.drop_table("personal_link")
    with op.batch_alter_table("enrolment") as batch:
        batch.add_column(sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id", name="fk_enrolment_unit")))
        batch.add_column(sa.Column("delay_note", sa.Text))
        batch.add_column(sa.Column("delay_note_at", sa.DateTime))
        batch.add_column(sa.Column("state", sa.String(20)))
        batch.add_column(sa.Column("phase", sa.String(80)))
        batch.add_column(sa.Column("next_milestone", sa.String(80)))
        batch.add_column(sa.Column("next_expected_by", sa.Date))
        batch.create_index("ix_enrolment_worklist", ["unit_id", "next_expected_by"])
    with op.batch_alter_table("recorded_event") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime))
        batch.add_column(sa.Column("withdrawn_by", sa.String(200)))
    with op.batch_alter_table("contact") as batch:
        batch.add_column(sa.Column("removed_at", sa.DateTime))
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enrolment_id", sa.Integer, sa.ForeignKey("enrolment.id"), nullable=False, index=True),
        sa.Column("starts_at", sa.DateTime, nullable=False),
        sa.Column("place", sa.String(300), nullable=False),
        sa.Column("what", sa.String(300), nullable=False),
        sa.Column("with_whom", sa.String(300)),
        sa.Column("preparation", sa.Text),
        sa.Column("cancelled_at", sa.DateTime),
    )
    op.create_table(
        "expected_result",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("enrolment_id", sa.Integer, sa.ForeignKey("enrolment.id"), nullable=False, index=True),
        sa.Column("what", sa.String(300), nullable=False),
        sa.Column("expected_by", sa.Date, nullable=False),
        sa.Column("how_you_hear", sa.String(300)),
        sa.Column("received_on", sa.Date),
        sa.Column("withdrawn_at", sa.DateTime),
    )
    op.create_table(
        "share",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("relative_name", sa.String(200), nullable=False),
        sa.Column("relation", sa.String(100)),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("account.id"), index=True),
        sa.Column("invite_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("invite_expires_at", sa.DateTime, nullable=False),
        sa.Column("accepted_at", sa.DateTime),
        sa.Column("see_appointments", sa.Boolean, nullable=False),
        sa.Column("see_goals", sa.Boolean, nullable=False),
        sa.Column("see_notes", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("consent_note", sa.String(300)),
        sa.Column("withdrawn_at", sa.DateTime),
    )
    op.create_table(
        "change",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=False, index=True),
        sa.Column("enrolment_id", sa.Integer, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.Integer),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
    )
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("actor_account_id", sa.Integer))
        batch.add_column(sa.Column("actor_role", sa.String(20)))
        batch.add_column(sa.Column("actor_unit", sa.String(200)))


def downgrade():
    with op.batch_alter_table("audit_entry") as batch:
        for column in ("actor_unit", "actor_role", "actor_account_id"):
            batch.drop_column(column)
    for table in ("change", "share", "expected_result", "appointment"):
        op.drop_table(table)
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("removed_at")
    with op.batch_alter_table("recorded_event") as batch:
        batch.drop_column("withdrawn_by")
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("enrolment") as batch:
        batch.drop_index("ix_enrolment_worklist")
        for column in ("next_expected_by", "next_milestone", "phase", "state", "delay_note_at", "delay_note"):
            batch.drop_column(column)
        batch.drop_constraint("fk_enrolment_unit", type_="foreignkey")
        batch.drop_column("unit_id")
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, sa.ForeignKey("patient.id"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.drop_table("activation")
    op.drop_table("account")
    with op.batch_alter_table("patient") as batch:
        batch.drop_index("ix_patient_unit_id")
        batch.drop_constraint("fk_patient_unit", type_="foreignkey")
        for column in ("version", "unit_id", "interpreter_language", "large_print", "address", "email",
                       "phone", "date_of_birth"):
            batch.drop_column(column)
    op.drop_table("unit")
