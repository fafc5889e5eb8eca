"""No colour, font or size literal and no `setStyleSheet` outside the theme (design-system rule).

Widgets declare what they are (dynamic properties); only `desktop/ui/theme/` decides looks.
"""

from __future__ import annotations

import re
from pathlib import Path

SCANNED = ("desktop",)
ALLOWED = ("desktop/ui/theme/",)
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("setStyleSheet outside the theme", re.compile(r"\.setStyleSheet\(")),
    ("colour literal", re.compile(r"""["']#[0-9a-fA-F]{3,8}["']|\bQColor\(|\brgba?\(""")),
    ("font literal", re.compile(r"\bQFont\(|\.set(Point|Pixel)Size(F)?\(|\.setFamily\(")),
    (
        "size literal",
        re.compile(
            r"\.(setFixed|setMinimum|setMaximum)(Size|Width|Height)\(\s*\d"
            r"|\.resize\(\s*\d|\.(setContentsMargins|setSpacing)\(\s*[1-9]"
        ),
    ),
)


def scan_file(path: Path, shown_as: str) -> list[str]:
    """Problems in one file, as `path:line: rule: code`."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        code = line.split("#", 1)[0] if not re.search(r"""["']#""", line) else line
        for rule, pattern in RULES:
            if pattern.search(code):
                problems.append(f"{shown_as}:{number}: {rule}: {line.strip()}")
    return problems


def run(root: Path) -> list[str]:
    problems: list[str] = []
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if not rel.startswith(ALLOWED):
                problems += scan_file(path, rel)
    return problems
