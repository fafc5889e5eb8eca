"""One source of tokens feeds both the Qt stylesheet and the web CSS."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.ui.theme import load_tokens, qss_for
from desktop.ui.theme.tiles import tile_text, wrap_name
from shared.design_tokens import COLOR_ROLES, css_from_tokens, parse_tokens
from shared.paths import tokens_file


def test_changing_a_token_changes_both_outputs(tmp_path: Path) -> None:
    original = tokens_file().read_text(encoding="utf-8")
    base = load_tokens()
    changed_file = tmp_path / "tokens.toml"
    changed_file.write_text(original.replace('primary = "#1f5eff"', 'primary = "#123456"', 1))
    changed = load_tokens(changed_file)
    assert "#123456" not in qss_for(base, "light")
    assert "#123456" in qss_for(changed, "light")
    assert "--nova-color-primary: #123456;" in css_from_tokens(changed)
    assert "--nova-color-primary: #123456;" not in css_from_tokens(base)


def test_size_tokens_reach_both_outputs(tmp_path: Path) -> None:
    text = (
        tokens_file().read_text(encoding="utf-8").replace("touch_target = 48", "touch_target = 56")
    )
    path = tmp_path / "t.toml"
    path.write_text(text)
    tokens = load_tokens(path)
    assert "min-height: 56px" in qss_for(tokens, "light")
    assert "--nova-size-touch-target: 56px;" in css_from_tokens(tokens)


def test_every_theme_defines_every_colour_role() -> None:
    tokens = load_tokens()
    for theme in ("light", "dark"):
        assert set(COLOR_ROLES) <= set(tokens.colors[theme])
    css = css_from_tokens(tokens)
    assert '[data-theme="dark"]' in css
    assert tokens.size["touch_target"] >= 48


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (('danger = "#c2262e"', 'danger = "red"'), "must be #rrggbb"),
        (('focus = "#ff9f1a"\n', ""), "lacks colours"),
        (("md = 8", 'md = "8px"'), "integer"),
    ],
)
def test_broken_tokens_are_refused_with_a_clear_message(
    edit: tuple[str, str], message: str
) -> None:
    text = tokens_file().read_text(encoding="utf-8").replace(*edit, 1)
    with pytest.raises(ValueError, match=message):
        parse_tokens(text)


def test_a_long_tile_name_breaks_at_spaces_and_keeps_long_words_whole() -> None:
    assert tile_text("Café Latte", "EUR 3.40") == "Café Latte\nEUR 3.40"
    assert wrap_name("Hot chocolate with whipped cream") == "Hot\nchocolate\nwith whipped\ncream"
    assert wrap_name("Donaudampfschifffahrt") == "Donaudampfschifffahrt"  # never cut mid-word


def test_the_stylesheet_names_only_bundled_images() -> None:
    """Images the theme draws (the drop-down chevron) are files in assets/, never fetched."""
    import re
    from pathlib import Path

    qss = qss_for(load_tokens(), "light")
    urls = re.findall(r'url\("([^"]+)"\)', qss)
    assert urls
    for url in urls:
        assert Path(url).is_file(), url
