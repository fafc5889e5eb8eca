"""docs/identity.md lists every permission name (the table people read to build roles)."""

from __future__ import annotations

from pathlib import Path

from shared.permissions import ALL_PERMISSIONS

DOC = Path(__file__).resolve().parents[1] / "docs" / "identity.md"


def test_every_permission_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = sorted(p for p in ALL_PERMISSIONS if f"| `{p}` |" not in text)
    assert missing == []
