"""Refuse a TCP port that something else already listens on, before talking to anyone there."""

from __future__ import annotations

import errno
import socket
import sys

EXIT_PORT_IN_USE = 2


def port_in_use(host: str, port: int) -> bool:
    """True when binding `host:port` fails because the address is taken.

    A trial bind, not a connect: connecting would talk to whatever answers there, and a
    foreign server answering `/health` is exactly what fooled `nova start` before. SO_REUSEADDR
    matches what uvicorn sets, so a port left in TIME_WAIT by our own last run still counts as
    free while a listening socket does not.
    """
    if port == 0:
        return False  # the system picks a free one
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as trial:
        trial.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            trial.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def refuse_taken_port(command: str, host: str, port: int) -> int | None:
    """Print one line naming the port and `--port` and return the exit code, or None when free."""
    if not port_in_use(host, port):
        return None
    print(
        f"nova {command}: port {port} on {host} is already in use — stop what runs there "
        f"or choose another port with --port",
        file=sys.stderr,
    )
    return EXIT_PORT_IN_USE
