"""`nova screens`: regenerate the PNG screenshots of every screen into docs/screens/."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from nova.commands._types import SubParsers

DEFAULT_OUT = Path("docs/screens")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "screens",
        help="regenerate docs/screens/*.png (desktop offscreen, web in headless Chromium)",
        description="Render every desktop screen offscreen, at 1024x768 and 1366x768 in both "
        "themes, and the web pages in headless Chromium (needs the test extras and Debian's "
        "chromium) into PNG files.",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    p.add_argument("--no-web", action="store_true", help="skip the web pages")
    p.add_argument(
        "--size",
        action="append",
        type=_size,
        help="only this screen size, e.g. 1024x768 (repeatable; default: 1024x768 and 1366x768)",
    )
    p.add_argument(
        "--theme", action="append", choices=("light", "dark"), help="only this theme (repeatable)"
    )
    p.set_defaults(handler=_run)


def _size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise argparse.ArgumentTypeError(f"a screen size is WIDTHxHEIGHT, not {text!r}")
    return int(width), int(height)


def _web_shots(out: Path) -> list[Path]:
    import threading
    import time

    import uvicorn
    from playwright.sync_api import sync_playwright

    from migrations.runner import upgrade_server
    from syncserver.app import create_app
    from syncserver.settings import ServerSettings

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+pysqlite:///{Path(tmp) / 'screens.db'}"
        upgrade_server(url)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(ServerSettings(database_url=url)),
                host="127.0.0.1",
                port=0,
                log_config=None,
                access_log=False,
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        written = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                base = f"http://127.0.0.1:{port}"
                pages = {
                    "web-gallery-light": "/ui/gallery?theme=light",
                    "web-gallery-dark": "/ui/gallery?theme=dark",
                    "web-register": "/register",
                    "web-activate": "/activate?token=from-the-e-mail",
                    "web-reset": "/reset?token=from-the-e-mail",
                    "web-forgot": "/forgot",
                }
                for name, path_query in pages.items():
                    page.goto(base + path_query)
                    path = out / f"{name}.png"
                    page.screenshot(path=str(path), full_page=True)
                    written.append(path)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return written


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.ui.screenshots import SIZES, render_all
    from desktop.ui.theme import THEMES

    written = render_all(args.out, sizes=args.size or SIZES, themes=args.theme or THEMES)
    if not args.no_web:
        written += _web_shots(args.out)
    for path in written:
        print(path)
    return 0
