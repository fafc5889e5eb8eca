"""Design tokens as data, and the web CSS generated from them (the Qt side builds its own QSS).

Parsing and CSS generation are pure; callers read `assets/design/tokens.toml` themselves.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Literal

Theme = Literal["light", "dark"]
THEMES: tuple[Theme, ...] = ("light", "dark")
COLOR_ROLES = (
    "primary",
    "on_primary",
    "surface",
    "surface_alt",
    "text",
    "muted",
    "border",
    "success",
    "warning",
    "danger",
    "on_danger",
    "focus",
)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Tokens:
    """Every token, by group; colours per theme."""

    colors: dict[Theme, dict[str, str]]
    space: dict[str, int]
    radius: dict[str, int]
    elevation: dict[str, str]
    type: dict[str, int | str]
    size: dict[str, int]

    def color(self, theme: Theme, role: str) -> str:
        return self.colors[theme][role]

    @property
    def font_family(self) -> str:
        return str(self.type["family"])

    def font_px(self, step: str) -> int:
        value = self.type[step]
        assert isinstance(value, int)
        return value


def parse_tokens(text: str) -> Tokens:
    """Parse and check the tokens file.

    Raises:
        ValueError: a theme lacks a colour role, a colour is not `#rrggbb`, or a size is not an
            int — caught at start-up rather than as a broken screen.
    """
    raw = tomllib.loads(text)
    colors: dict[Theme, dict[str, str]] = {}
    for theme in THEMES:
        palette = raw["color"][theme]
        missing = [role for role in COLOR_ROLES if role not in palette]
        if missing:
            raise ValueError(f"theme {theme} lacks colours {missing}")
        for role, value in palette.items():
            if not _HEX.match(value):
                raise ValueError(f"colour {theme}.{role} must be #rrggbb, got {value!r}")
        colors[theme] = dict(palette)
    for group in ("space", "radius", "size"):
        for key, value in raw[group].items():
            if not isinstance(value, int):
                raise ValueError(f"{group}.{key} must be an integer number of px")
    return Tokens(
        colors=colors,
        space=dict(raw["space"]),
        radius=dict(raw["radius"]),
        elevation=dict(raw["elevation"]),
        type=dict(raw["type"]),
        size=dict(raw["size"]),
    )


def _var(group: str, key: str) -> str:
    return f"--nova-{group}-{key.replace('_', '-')}"


def css_from_tokens(tokens: Tokens) -> str:
    """CSS custom properties: the light theme on `:root`, the dark one on `[data-theme="dark"]`."""

    def palette(theme: Theme) -> list[str]:
        return [f"  {_var('color', r)}: {v};" for r, v in tokens.colors[theme].items()]

    common = [f"  {_var('space', k)}: {v}px;" for k, v in tokens.space.items()]
    common += [f"  {_var('radius', k)}: {v}px;" for k, v in tokens.radius.items()]
    common += [f"  {_var('elevation', k)}: {v};" for k, v in tokens.elevation.items()]
    common += [f"  {_var('size', k)}: {v}px;" for k, v in tokens.size.items()]
    common += [f"  {_var('font', k)}: {v}px;" for k, v in tokens.type.items() if isinstance(v, int)]
    common.append(f"  --nova-font-family: '{tokens.font_family}', system-ui, sans-serif;")
    lines = ["/* Generated from assets/design/tokens.toml — do not edit. */", ":root {"]
    lines += common + palette("light") + ["}", '[data-theme="dark"] {'] + palette("dark") + ["}"]
    return "\n".join(lines) + "\n"
