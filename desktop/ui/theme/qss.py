"""Builds the Qt stylesheet of one theme from the design tokens."""

from __future__ import annotations

from desktop.ui.theme.tiles import tile_qss
from shared.design_tokens import Theme, Tokens
from shared.paths import assets_dir

CHEVRON = (assets_dir() / "icons" / "chevron-down.svg").as_posix()


def qss_for(tokens: Tokens, theme: Theme) -> str:
    """The complete stylesheet for `theme`; every value comes from a token."""
    c = tokens.colors[theme]
    s, r, z = tokens.space, tokens.radius, tokens.size
    font = tokens.font_px
    ring = z["focus_ring"]
    return f"""
QWidget {{
    font-family: "{tokens.font_family}";
    font-size: {font("md")}px;
    color: {c["text"]};
}}
QMainWindow, QDialog, QWidget[role="page"], QScrollArea, QScrollArea > QWidget > QWidget {{
    background: {c["surface_alt"]};
}}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {font("lg")}px; font-weight: bold; }}
QLabel[role="display"] {{ font-size: {font("display")}px; font-weight: bold; }}
QLabel[role="heading"] {{ font-size: {font("xl")}px; font-weight: bold; }}
QLabel[role="helper"] {{ font-size: {font("sm")}px; color: {c["muted"]}; }}
QLabel[role="error"] {{ font-size: {font("sm")}px; color: {c["danger"]}; }}
QLabel[role="alert"] {{ font-size: {font("md")}px; font-weight: bold; color: {c["danger"]}; }}
QLabel[role="status"] {{ color: {c["muted"]}; padding: 0 {s["sm"]}px; }}
QLabel[role="status"][state="online"] {{ color: {c["success"]}; }}
QLabel[role="status"][state="syncing"] {{ color: {c["primary"]}; }}
QLabel[role="status"][state="offline"] {{ color: {c["warning"]}; }}

QPushButton {{
    min-height: {z["control_height"]}px;
    padding: 0 {s["lg"]}px;
    border-radius: {r["md"]}px;
    border: {ring}px solid {c["border"]};
    background: {c["surface"]};
    color: {c["text"]};
}}
QPushButton[density="touch"] {{
    min-height: {z["touch_target"]}px;
    padding: 0 {s["md"]}px;
    font-size: {font("lg")}px;
}}
QPushButton[variant="primary"] {{
    background: {c["primary"]}; color: {c["on_primary"]}; border-color: {c["primary"]};
}}
QPushButton[variant="secondary"] {{
    background: {c["surface"]}; color: {c["primary"]}; border-color: {c["primary"]};
}}
QPushButton[variant="danger"] {{
    background: {c["danger"]}; color: {c["on_danger"]}; border-color: {c["danger"]};
}}
QPushButton[variant="ghost"] {{
    background: transparent; color: {c["primary"]}; border-color: transparent;
}}
QPushButton:checked {{ background: {c["primary"]}; color: {c["on_primary"]}; }}
QPushButton:disabled, QPushButton[busy="true"] {{
    background: {c["surface_alt"]}; color: {c["muted"]}; border-color: {c["border"]};
}}
QPushButton:focus {{ border-color: {c["focus"]}; }}
QPushButton[role="key"] {{
    min-height: {z["keypad_key"]}px; min-width: {z["keypad_key"]}px; font-size: {font("xl")}px;
}}

QLineEdit {{
    min-height: {z["control_height"]}px;
    padding: 0 {s["sm"]}px;
    border: {ring}px solid {c["border"]};
    border-radius: {r["sm"]}px;
    background: {c["surface"]};
    color: {c["text"]};
    selection-background-color: {c["primary"]};
}}
QLineEdit[density="touch"] {{ min-height: {z["touch_target"]}px; font-size: {font("lg")}px; }}
QLineEdit[error="true"] {{ border-color: {c["danger"]}; }}
QLineEdit:focus {{ border-color: {c["focus"]}; }}
QListWidget {{ background: {c["surface"]}; color: {c["text"]}; }}
QPlainTextEdit, QListWidget[role="choices"] {{
    padding: {s["xs"]}px;
    border: {ring}px solid {c["border"]};
    border-radius: {r["sm"]}px;
    background: {c["surface"]};
    color: {c["text"]};
    selection-background-color: {c["primary"]};
    selection-color: {c["on_primary"]};
}}
QPlainTextEdit:focus, QListWidget[role="choices"]:focus {{ border-color: {c["focus"]}; }}
QListWidget[role="choices"]::item {{ min-height: {z["control_height"]}px; }}
QListWidget[role="choices"]::indicator, QTableWidget[role="choices"]::indicator {{
    width: {s["lg"]}px; height: {s["lg"]}px;
    border: 1px solid {c["muted"]}; border-radius: {r["sm"]}px; background: {c["surface"]};
}}
QListWidget[role="choices"]::indicator:checked,
QTableWidget[role="choices"]::indicator:checked {{
    background: {c["primary"]}; border-color: {c["primary"]};
}}
QLineEdit[role="keypad-display"] {{
    font-size: {font("xl")}px; min-height: {z["touch_target"]}px;
}}

QFrame[role="card"] {{
    background: {c["surface"]};
    border: 1px solid {c["border"]};
    border-radius: {r["lg"]}px;
}}
QFrame[role="toast"] {{
    border-radius: {r["md"]}px;
    min-width: {z["toast_width"]}px;
    max-width: {z["toast_width"]}px;
}}
QFrame[role="toast"][kind="success"] {{ background: {c["success"]}; }}
QFrame[role="toast"][kind="error"] {{ background: {c["danger"]}; }}
QFrame[role="toast"][kind="info"] {{ background: {c["text"]}; }}
QFrame[role="toast"] QLabel {{ color: {c["surface"]}; padding: {s["md"]}px; }}

QListWidget[role="nav"] {{
    background: {c["surface"]};
    border: none;
    border-right: 1px solid {c["border"]};
    font-size: {font("lg")}px;
}}
QListWidget[role="nav"]::item {{ min-height: {z["touch_target"]}px; padding: 0 {s["lg"]}px; }}
QListWidget[role="nav"]::item:selected {{ background: {c["primary"]}; color: {c["on_primary"]}; }}
QListWidget[role="nav"]:focus {{ border-right: {ring}px solid {c["focus"]}; }}
QListWidget[role="cart"], QListWidget[role="tenders"] {{
    background: {c["surface"]};
    color: {c["text"]};
    border: 1px solid {c["border"]};
    border-radius: {r["md"]}px;
    font-size: {font("lg")}px;
}}
QListWidget[role="cart"]::item {{ min-height: {z["touch_target"]}px; padding: 0 {s["sm"]}px; }}
QListWidget[role="cart"]::item:selected {{ background: {c["primary"]}; color: {c["on_primary"]}; }}
QSpinBox {{
    min-height: {z["touch_target"]}px;
    font-size: {font("lg")}px;
    background: {c["surface"]};
    color: {c["text"]};
    border: 1px solid {c["border"]};
    border-radius: {r["md"]}px;
    padding: 0 {s["sm"]}px;
}}
/* Counts are typed: the theme's border leaves Qt's arrows as stray lines, and 37 coins are
   not tapped up one by one. */
QSpinBox::up-button, QSpinBox::down-button {{ width: 0px; border: none; }}
QTabBar::tab {{
    min-height: {z["touch_target"]}px; padding: 0 {s["lg"]}px;
    background: {c["surface_alt"]}; color: {c["text"]};
}}
QTabWidget::pane {{ border: 1px solid {c["border"]}; background: {c["surface_alt"]}; }}
QTabBar::tab:selected {{ background: {c["surface"]}; color: {c["primary"]}; }}
QStatusBar {{ background: {c["surface"]}; border-top: 1px solid {c["border"]}; }}
QWidget[role="toolbar"] {{ background: {c["surface"]}; border-bottom: 1px solid {c["border"]}; }}
QComboBox {{
    min-height: {z["control_height"]}px;
    padding: 0 {s["sm"]}px;
    border: 1px solid {c["border"]};
    border-radius: {r["md"]}px;
    background: {c["surface"]};
    color: {c["text"]};
}}
/* The theme's border gives the drop-down area a stray frame beside Qt's own arrow: a plain
   area with a bundled chevron (a file in assets/, never fetched). */
QComboBox::drop-down {{ border: none; width: {s["xl"]}px; }}
QComboBox::down-arrow {{ image: url("{CHEVRON}"); width: 12px; height: 12px; }}
QComboBox QAbstractItemView {{
    background: {c["surface"]};
    color: {c["text"]};
    selection-background-color: {c["primary"]};
    selection-color: {c["on_primary"]};
}}
QTableView {{
    background: {c["surface"]};
    color: {c["text"]};
    gridline-color: {c["border"]};
    border: 1px solid {c["border"]};
    selection-background-color: {c["primary"]};
    selection-color: {c["on_primary"]};
}}
QHeaderView::section {{
    background: {c["surface_alt"]};
    color: {c["text"]};
    border: 0;
    border-bottom: 1px solid {c["border"]};
    padding: {s["xs"]}px {s["sm"]}px;
}}
QHeaderView {{ background: {c["surface_alt"]}; }}
QTableCornerButton::section {{ background: {c["surface_alt"]}; border: 0; }}
QCheckBox {{ color: {c["text"]}; }}
QListWidget[role="choices"] {{
    background: {c["surface"]};
    color: {c["text"]};
    border: 1px solid {c["border"]};
    border-radius: {r["md"]}px;
    font-size: {font("lg")}px;
}}
QListWidget[role="choices"]::item {{ min-height: {z["touch_target"]}px; padding: 0 {s["sm"]}px; }}
QListWidget[role="choices"]::item:selected {{
    background: {c["primary"]}; color: {c["on_primary"]};
}}
QProgressBar {{
    min-height: {z["control_height"]}px;
    border: 1px solid {c["border"]};
    border-radius: {r["md"]}px;
    background: {c["surface_alt"]};
    color: {c["text"]};
    text-align: center;
}}
QProgressBar::chunk {{ background: {c["primary"]}; border-radius: {r["md"]}px; }}
QFrame[role="demo-banner"] {{ background: {c["warning"]}; }}
QFrame[role="demo-banner"] QLabel {{ color: {c["on_danger"]}; font-weight: bold; }}
QFrame[role="demo-banner"] QLabel[role="helper"] {{ font-weight: normal; }}
QPushButton[role="choice"] {{ min-height: {z["keypad_key"]}px; font-size: {font("xl")}px; }}
{tile_qss(s["xs"], font("md"), z["tile_min_width"] - 2 * (s["xs"] + ring), z["keypad_key"])}
"""
