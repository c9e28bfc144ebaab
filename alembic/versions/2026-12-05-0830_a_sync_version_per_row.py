"""a sync version per row, a catalog revision per exercise

Paged pulls stop between any two records and resume exactly after the last one sent, so the
cursor must name one record: every synced row of a user gets a version of its own (before, all
rows of one push shared one) and every exercise a catalog revision of its own.

Existing rows are renumbered above every cursor already issued (the user's old `sync_version`
and the old largest catalog revision), in their old order: each device's next pull resends the
account and the catalog once, with tombstones, and misses nothing.

Revision ID: 5e0c1d7a9b21
Revises: 121ae86eef9f
Create Date: 2026-12-05 08:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5e0c1d7a9b21"
down_revision: str | None = "121ae86eef9f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SYNCED_TABLES = ("workouts", "workout_sets", "pain_reports", "insights", "prescriptions")


def upgrade() -> None:
    rows = " UNION ALL ".join(
        f"SELECT user_id, '{table}' AS synced_table, id, version FROM {table}" for table in SYNCED_TABLES
    )
    op.execute(
        "CREATE TEMPORARY TABLE sync_renumbered AS "
        "SELECT r.user_id, r.synced_table, r.id, u.sync_version + ROW_NUMBER() OVER ("
        "PARTITION BY r.user_id ORDER BY r.version, r.synced_table, r.id) AS new_version "
        f"FROM ({rows}) AS r JOIN users AS u ON u.id = r.user_id"
    )
    op.execute("CREATE INDEX ix_sync_renumbered ON sync_renumbered (user_id, synced_table, id)")
    for table in SYNCED_TABLES:
        op.execute(
            f"UPDATE {table} SET version = (SELECT n.new_version FROM sync_renumbered AS n "
            f"WHERE n.user_id = {table}.user_id AND n.synced_table = '{table}' AND n.id = {table}.id)"
        )
    op.execute(
        "UPDATE users SET sync_version = COALESCE("
        "(SELECT MAX(n.new_version) FROM sync_renumbered AS n WHERE n.user_id = users.id), sync_version)"
    )
    op.execute("DROP TABLE sync_renumbered")
    op.execute(
        "CREATE TEMPORARY TABLE catalog_renumbered AS "
        "SELECT id, (SELECT COALESCE(MAX(revision), 0) FROM exercises) "
        "+ ROW_NUMBER() OVER (ORDER BY revision, id) AS new_revision FROM exercises"
    )
    op.execute(
        "UPDATE exercises SET revision = "
        "(SELECT n.new_revision FROM catalog_renumbered AS n WHERE n.id = exercises.id)"
    )
    op.execute("DROP TABLE catalog_renumbered")


def downgrade() -> None:
    # Unique versions and revisions are valid cursors for the shared-version code too.
    pass
