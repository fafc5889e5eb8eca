"""`nova gallery`: every design-system primitive in every variant and state, both themes."""

from __future__ import annotations

import argparse

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "gallery",
        help="show the design-system gallery window",
        description="Open the gallery: every Qt primitive in every variant, state and theme.",
    )
    p.add_argument(
        "--quit-after-ms",
        type=int,
        default=None,
        metavar="N",
        help="close after N ms (smoke tests)",
    )
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.ui.gallery.window import GalleryWindow

    app = QApplication.instance() or QApplication(["nova-gallery"])
    assert isinstance(app, QApplication)
    window = GalleryWindow()
    window.resize(window.content.sizeHint().width() + 40, 900)
    window.show()
    if args.quit_after_ms is not None:
        QTimer.singleShot(args.quit_after_ms, window.close)
    return int(app.exec())
