"""The till's start-up check for what the Qt window needs (the loader is faked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.prerequisites import XCB_LIBRARIES, missing_for_window, qt_platform

README = Path(__file__).resolve().parents[2] / "README.md"


class Loader:
    """Stands in for ctypes.CDLL: remembers what was asked, fails for the names it lacks."""

    def __init__(self, *, lacking: set[str]) -> None:
        self.lacking = lacking
        self.asked: list[str] = []

    def __call__(self, name: str) -> object:
        self.asked.append(name)
        if name in self.lacking:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")
        return object()


class TestQtPlatform:
    @pytest.mark.parametrize(
        ("value", "platform"),
        [
            ("xcb", "xcb"),
            ("offscreen", "offscreen"),
            ("wayland;xcb", "wayland"),
            ("xcb:x=1", "xcb"),
        ],
    )
    def test_the_variable_names_the_platform(self, value: str, platform: str) -> None:
        assert qt_platform({"QT_QPA_PLATFORM": value}, "linux") == platform

    def test_linux_without_the_variable_is_xcb(self) -> None:
        assert qt_platform({}, "linux") == "xcb"

    def test_other_systems_use_their_native_platform(self) -> None:
        assert qt_platform({}, "darwin") == "native"


class TestMissingForWindow:
    def test_xcb_without_libxcb_cursor_is_one_actionable_line(self) -> None:
        load = Loader(lacking={"libxcb-cursor.so.0"})
        line = missing_for_window({"QT_QPA_PLATFORM": "xcb"}, system="linux", load=load)
        assert line == (
            "nova terminal: the Qt window needs libxcb-cursor0 — sudo apt install libxcb-cursor0"
        )
        assert "libxcb-cursor.so.0" in load.asked

    def test_every_missing_package_is_named_once(self) -> None:
        load = Loader(lacking={"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"})
        assert missing_for_window({}, system="linux", load=load) == (
            "nova terminal: the Qt window needs libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
            " — sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1"
        )

    def test_xcb_with_every_library_is_fine(self) -> None:
        load = Loader(lacking=set())
        assert missing_for_window({}, system="linux", load=load) is None
        assert load.asked == [soname for soname, _ in XCB_LIBRARIES]

    @pytest.mark.parametrize("platform", ["offscreen", "wayland", "minimal"])
    def test_other_platforms_do_not_need_them(self, platform: str) -> None:
        load = Loader(lacking={"libxcb-cursor.so.0"})
        env = {"QT_QPA_PLATFORM": platform}
        assert missing_for_window(env, system="linux", load=load) is None
        assert load.asked == []

    def test_macos_is_not_asked(self) -> None:
        load = Loader(lacking={"libxcb-cursor.so.0"})
        assert missing_for_window({}, system="darwin", load=load) is None
        assert load.asked == []


def test_the_readme_lists_every_package_the_window_needs() -> None:
    commands = re.findall(r"^sudo apt install ((?:.*\\\n)*.*)$", README.read_text("utf-8"), re.M)
    listed = {word for command in commands for word in command.split() if word != "\\"}
    assert {package for _, package in XCB_LIBRARIES} <= listed
