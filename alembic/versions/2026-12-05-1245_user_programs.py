"""user programs: programs a user owns, copies or is assigned by a coach, and supersets

Starter programs keep `owner_id` NULL and their slug; a user's program has an owner and no slug.
A slot may name one of the owner's custom exercises, so `program_slots.exercise_id` loses its
foreign key to the catalog (the API checks the reference), and remembers the exercise a
substitution replaced. `revision` keys the cached plans.

Revision ID: 4d2e8f6a1c37
Revises: b0cbf0d83110
Create Date: 2026-12-05 12:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4d2e8f6a1c37"
down_revision: str | None = "b0cbf0d83110"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        batch.alter_column("slug", existing_type=sa.String(length=80), nullable=True)
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("source_program_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("assigned_by", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch.create_foreign_key(
            op.f("fk_programs_owner_id_users"), "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(
            op.f("fk_programs_source_program_id_programs"),
            "programs",
            ["source_program_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            op.f("fk_programs_assigned_by_partners"), "partners", ["assigned_by"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_programs_owner_id", ["owner_id"], unique=False)
    with op.batch_alter_table("programs") as batch:
        batch.alter_column("revision", server_default=None)
    with op.batch_alter_table("program_slots") as batch:
        batch.add_column(sa.Column("superset_group", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("substituted_from", sa.String(length=80), nullable=True))
        batch.drop_constraint(op.f("fk_program_slots_exercise_id_exercises"), type_="foreignkey")


def downgrade() -> None:
    # Users' programs cannot survive without owners and slugs: they go, with their enrollments.
    op.execute(
        "DELETE FROM enrollments WHERE program_id IN (SELECT id FROM programs WHERE owner_id IS NOT NULL)"
    )
    op.execute("DELETE FROM programs WHERE owner_id IS NOT NULL")
    with op.batch_alter_table("program_slots") as batch:
        batch.create_foreign_key(
            op.f("fk_program_slots_exercise_id_exercises"), "exercises", ["exercise_id"], ["id"]
        )
        batch.drop_column("substituted_from")
        batch.drop_column("superset_group")
    with op.batch_alter_table("programs") as batch:
        batch.drop_index("ix_programs_owner_id")
        batch.drop_constraint(op.f("fk_programs_assigned_by_partners"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_programs_source_program_id_programs"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_programs_owner_id_users"), type_="foreignkey")
        batch.drop_column("revision")
        batch.drop_column("assigned_by")
        batch.drop_column("source_program_id")
        batch.drop_column("owner_id")
        batch.alter_column("slug", existing_type=sa.String(length=80), nullable=False)
