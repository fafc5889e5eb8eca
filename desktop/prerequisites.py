"""What the machine must have before Qt opens a window, checked without importing Qt.

Qt 6's xcb platform plugin (the X11 window system) links a dozen small system libraries that
the PySide6 wheel does not ship; a bare Debian/Ubuntu lacks some of them (`libxcb-cursor0`
first of all) and Qt then dies with a long plugin dump that names no package. We load the same
libraries first and say what to install in one line.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable, Mapping

EXIT_MISSING_PREREQUISITE = 4

# What `ldd` shows for PySide6's libqxcb.so and libQt6XcbQpa.so outside the wheel, with the
# Debian/Ubuntu package that provides each. README.md lists the same packages (a test checks).
XCB_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxkbcommon.so.0", "libxkbcommon0"),
    ("libX11-xcb.so.1", "libx11-xcb1"),
    ("libEGL.so.1", "libegl1"),
    ("libGL.so.1", "libgl1"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
)

Loader = Callable[[str], object]


def qt_platform(env: Mapping[str, str], system: str = sys.platform) -> str:
    """The platform plugin Qt will try first: `QT_QPA_PLATFORM` (first of a `;` list, without
    `:options`), else xcb on Linux, else whatever the system's native one is."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    return "xcb" if system.startswith("linux") else "native"


def missing_packages(load: Loader = ctypes.CDLL) -> list[str]:
    """The packages whose library the loader cannot open, in `XCB_LIBRARIES` order."""
    missing = []
    for soname, package in XCB_LIBRARIES:
        try:
            load(soname)
        except OSError:
            missing.append(package)
    return missing


def missing_for_window(
    env: Mapping[str, str], *, system: str = sys.platform, load: Loader = ctypes.CDLL
) -> str | None:
    """One actionable line when the window cannot open on this machine, else None.

    Only the xcb platform needs these libraries: offscreen (tests, screenshots), Wayland,
    macOS and Windows do not.
    """
    if qt_platform(env, system) != "xcb":
        return None
    missing = missing_packages(load)
    if not missing:
        return None
    names = " ".join(missing)
    return f"nova terminal: the Qt window needs {names} — sudo apt install {names}"
