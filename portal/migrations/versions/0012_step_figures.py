"""How long each step took at each unit in the last 12 months (portal.figures).

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "step_figure",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("pathway_id", sa.String(80), nullable=False),
        sa.Column("milestone", sa.String(80), nullable=False),
        sa.Column("branch_kind", sa.String(80)),
        sa.Column("branch_value", sa.String(80)),
        sa.Column("count_unit", sa.String(20), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("median", sa.Integer, nullable=False),
        sa.Column("p90", sa.Integer, nullable=False),
        sa.Column("within_norm", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_step_figure_unit_pathway", "step_figure", ["unit_id", "pathway_id"])


def downgrade():
    op.drop_index("ix_step_figure_unit_pathway", "step_figure")
    op.drop_table("step_figure")
