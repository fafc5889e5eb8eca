"""Online tills hear about server changes within 2 s (SSE `poke`), and a dropped stream comes
back by itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from desktop.sync.engine import load_state
from desktop.sync.events import PokeListener
from tests.desktop.conftest import Shop
from tests.desktop.sync.conftest import Server, enroll
from tests.support.live_server import live_server


def test_a_change_on_the_server_pokes_an_online_till_within_two_seconds(
    shop: Shop, server: Server, tmp_path: Path
) -> None:
    link = enroll(server, shop.runner, tmp_path)
    state = shop.runner.read(load_state)
    assert state is not None
    secret = link.store.load(str(state.device_id))
    assert secret is not None
    poked = threading.Event()
    with live_server(server.api.app) as url:  # type: ignore[arg-type]
        listener = PokeListener(url, str(state.device_id), secret, poked.set)
        listener.start()
        try:
            assert listener.connected.wait(5)
            started = time.monotonic()
            server.hire("66", pin="6868")
            assert poked.wait(2.0), "no poke within 2 s"
            assert time.monotonic() - started < 2.0
        finally:
            listener.stop()
