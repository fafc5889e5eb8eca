"""Every product module opens with a docstring that says what it owns (house style rule 12)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGES = ("shared", "desktop", "syncserver", "nova", "migrations", "project_checks")


def run(root: Path) -> list[str]:
    problems = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "versions" in path.parts:  # Alembic revisions carry their own header
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if not ast.get_docstring(tree):
                problems.append(f"{path.relative_to(root)}: no module docstring")
    return problems
