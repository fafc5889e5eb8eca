"""items_fts: trigram full-text index over items.search_key for substring search

Revision ID: t0003_item_search
Revises: t0002_selling
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "t0003_item_search"
down_revision: str | None = "t0002_selling"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An external-content FTS5 table: it stores only the trigram index; triggers keep it in step
# with `items` inside the same transaction as every catalog write.
TRIGGERS = {
    "items_fts_ai": "AFTER INSERT ON items BEGIN "
    "INSERT INTO items_fts(rowid, search_key) VALUES (new.rowid, new.search_key); END",
    "items_fts_ad": "AFTER DELETE ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, search_key) "
    "VALUES ('delete', old.rowid, old.search_key); END",
    "items_fts_au": "AFTER UPDATE OF search_key ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, search_key) "
    "VALUES ('delete', old.rowid, old.search_key); "
    "INSERT INTO items_fts(rowid, search_key) VALUES (new.rowid, new.search_key); END",
}


def upgrade() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE items_fts USING fts5("
        "search_key, content='items', content_rowid='rowid', tokenize='trigram')"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT INTO items_fts(items_fts) VALUES ('rebuild')")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS items_fts")
