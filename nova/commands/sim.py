"""`nova sim`: simulated counter devices — a printer that shows what it receives (as text and
PNG), a ZVT payment terminal (TCP or serial), a pole display."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar

from nova.commands._types import SubParsers

T = TypeVar("T")


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "sim",
        help="device simulators (see receipts without hardware)",
        description="Simulated counter devices for trying the till without hardware.",
    )
    devices = p.add_subparsers(dest="device", required=True, metavar="DEVICE")
    printer = devices.add_parser(
        "printer",
        help="a TCP 9100 ESC/POS printer that prints each job as text",
        description="Listen like a network receipt printer; each received job is shown as text "
        "(cuts, barcodes and drawer kicks as markers). Point NOVA_TERMINAL_RECEIPT_PRINTER at "
        "tcp://127.0.0.1:PORT.",
    )
    printer.add_argument("--port", type=int, default=9100)
    printer.add_argument("--host", default="127.0.0.1")
    printer.add_argument(
        "--quit-after-ms", type=int, default=None, metavar="N", help="stop after N ms (tests)"
    )
    printer.add_argument(
        "--png",
        type=Path,
        default=None,
        metavar="DIR",
        help="also draw each job as paper into DIR/job-NNN.png",
    )
    printer.add_argument(
        "--columns", type=int, choices=(32, 42, 48), default=48, help="paper columns (PNG)"
    )
    printer.set_defaults(handler=_printer)
    terminal = devices.add_parser(
        "terminal",
        help="a ZVT payment terminal that approves every card",
        description="Play the terminal side of ZVT over TCP, or with --serial on a "
        "pseudo-terminal (a serial line: DLE/STX frames, CRC, ACK/NAK). Point "
        "NOVA_TERMINAL_CARD_TERMINAL at the URL it prints.",
    )
    terminal.add_argument("--port", type=int, default=20007)
    terminal.add_argument("--host", default="127.0.0.1")
    terminal.add_argument(
        "--serial", action="store_true", help="on a pseudo-terminal instead of TCP (Linux, macOS)"
    )
    terminal.add_argument("--quit-after-ms", type=int, default=None, metavar="N")
    terminal.set_defaults(handler=_terminal)
    display = devices.add_parser(
        "display",
        help="a 2x20 pole display on a pseudo-terminal",
        description="Open a pseudo-terminal and show what a pole display would. Point "
        "NOVA_TERMINAL_CUSTOMER_DISPLAY at the device path it prints (Linux and macOS).",
    )
    display.add_argument("--quit-after-ms", type=int, default=None, metavar="N")
    display.set_defaults(handler=_display)


class _Running(Protocol):
    def stop(self) -> None: ...


def _show_while_running(
    sim: _Running, items: list[T], show: Callable[[T], str], quit_after_ms: int | None
) -> int:
    """Print each new thing the simulator received until Ctrl+C (or `quit_after_ms`)."""
    shown = 0
    deadline = None if quit_after_ms is None else time.monotonic() + quit_after_ms / 1000
    try:
        while deadline is None or time.monotonic() < deadline:
            while shown < len(items):
                print(show(items[shown]), flush=True)
                shown += 1
            time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


def _printer(args: argparse.Namespace) -> int:
    from desktop.hardware.sim_printer import SimulatedPrinter, render_text

    sim = SimulatedPrinter(host=args.host, port=args.port).start()
    print(f"simulated printer on {sim.url} — Ctrl+C to stop", flush=True)
    if args.png is not None:
        args.png.mkdir(parents=True, exist_ok=True)

    def show(job: bytes) -> str:
        text = render_text(job) + "\n" + "=" * 48
        if args.png is None:
            return text
        from desktop.hardware.receipt_png import render_png

        path = args.png / f"job-{sim.jobs.index(job) + 1:03d}.png"
        path.write_bytes(render_png(job, args.columns))
        return f"{text}\n(drawn as {path})"

    return _show_while_running(sim, sim.jobs, show, args.quit_after_ms)


def _terminal(args: argparse.Namespace) -> int:
    from desktop.hardware.sim_zvt import SerialSimulatedZvtTerminal, SimulatedZvtTerminal

    sim: SimulatedZvtTerminal | SerialSimulatedZvtTerminal = (
        SerialSimulatedZvtTerminal()
        if args.serial
        else SimulatedZvtTerminal(host=args.host, port=args.port)
    )
    sim.start()
    print(f"simulated ZVT terminal on {sim.url} — Ctrl+C to stop", flush=True)
    return _show_while_running(
        sim, sim.transactions, lambda t: f"{t[0]}: {t[1] / 100:.2f}", args.quit_after_ms
    )


def _display(args: argparse.Namespace) -> int:
    import os
    import select

    from desktop.hardware.pole_display import render_display

    master, slave = os.openpty()
    print(f"simulated pole display on {os.ttyname(slave)} — Ctrl+C to stop", flush=True)
    received = b""
    deadline = None if args.quit_after_ms is None else time.monotonic() + args.quit_after_ms / 1000
    try:
        while deadline is None or time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                received += os.read(master, 1024)
                top, bottom = render_display(received)
                print(f"+{'-' * 20}+\n|{top}|\n|{bottom}|\n+{'-' * 20}+", flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        os.close(master)
        os.close(slave)
    return 0
