"""The TCP side shared by the device simulators: listen, accept one connection at a time, hand
it to `serve_connection`, and stop (new connections are then refused, like a device switched
off)."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Self


class TcpSimulator:
    host: str
    port: int  # 0 before start: any free port

    def start(self) -> Self:
        server = socket.create_server((self.host, self.port))
        server.settimeout(0.2)
        self.port = server.getsockname()[1]
        self._server = server
        self._running = True
        name = f"sim-{type(self).__name__}"
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._thread.join(5)
        self._server.close()

    def _serve(self) -> None:
        while self._running:
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            # A client hanging up mid-dialogue is its business, not a simulator failure.
            with conn, contextlib.suppress(OSError):
                self.serve_connection(conn)

    def serve_connection(self, conn: socket.socket) -> None:
        raise NotImplementedError
