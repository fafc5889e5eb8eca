"""No inline styles outside the theme: the check passes on our code and catches a violation."""

from __future__ import annotations

from pathlib import Path

import pytest

from project_checks.check_no_inline_styles import run, scan_file

ROOT = Path(__file__).resolve().parents[3]


def test_product_code_has_no_inline_styles() -> None:
    assert run(ROOT) == []


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ('w.setStyleSheet("color: red")', "setStyleSheet"),
        ('label.color = "#ff0000"', "colour literal"),
        ("brush = QColor(255, 0, 0)", "colour literal"),
        ("font.setPointSize(14)", "font literal"),
        ("button.setFixedHeight(40)", "size literal"),
        ("layout.setContentsMargins(8, 8, 8, 8)", "size literal"),
    ],
)
def test_planted_violation_is_caught(tmp_path: Path, line: str, rule: str) -> None:
    planted = tmp_path / "desktop" / "sales" / "bad.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(f'"""Bad."""\n{line}\n')
    problems = run(tmp_path)
    assert len(problems) == 1
    assert rule in problems[0]
    assert problems[0].startswith("desktop/sales/bad.py:2:")


def test_the_theme_module_may_hold_literals(tmp_path: Path) -> None:
    theme = tmp_path / "desktop" / "ui" / "theme" / "qss.py"
    theme.parent.mkdir(parents=True)
    theme.write_text('"""Theme."""\nX = "#ffffff"\nw.setStyleSheet(X)\n')
    assert run(tmp_path) == []
    assert scan_file(theme, "qss.py")  # the same lines elsewhere would be violations
