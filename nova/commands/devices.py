"""`nova devices`: the terminal's printers and other devices (card terminal, serial scanner and
card reader, customer display) — list, add, remove, test-print, drawer test."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from nova.commands._types import SubParsers

# The choices of desktop.hardware.paper.CODE_PAGES (not imported: `nova --help` stays quick).
CODE_PAGES = ("auto", "CP437", "CP850", "CP858", "CP1252", "ISO_8859-15", "CP852", "CP866")
# The roles and connection hints of desktop.hardware.devices.PERIPHERALS (the same reason).
PERIPHERALS = {
    "card_terminal": "zvt://192.168.1.60:20007 or zvt+serial:///dev/ttyUSB0",
    "scanner": "keyboard (wedge), /dev/ttyACM0, COM3 or socket://host:port",
    "card_reader": "/dev/ttyUSB1, COM4 or socket://host:port",
    "display": "/dev/ttyUSB0, COM3 or socket://host:port",
}

if TYPE_CHECKING:
    from desktop.till.runner import Runner


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "devices",
        help="this terminal's printers, drawer and other devices",
        description="Configure the terminal's devices (NOVA_TERMINAL_DATABASE_PATH).",
    )
    p.add_argument("--database", type=Path, default=None, help="terminal DB file")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    actions.add_parser("list", help="list the printers and devices").set_defaults(handler=_list)
    other = actions.add_parser(
        "add-device", help="add a card terminal, serial scanner or card reader, customer display"
    )
    other.add_argument("--role", required=True, choices=sorted(PERIPHERALS))
    other.add_argument(
        "--connection",
        required=True,
        help="; ".join(f"{role}: {hint}" for role, hint in sorted(PERIPHERALS.items())),
    )
    other.add_argument("--name", default="", help="what the back office shows")
    other.set_defaults(handler=_add_device)
    add = actions.add_parser("add-printer", help="add a printer for a role")
    add.add_argument(
        "--role",
        choices=("receipt", "report", "kitchen", "drawer"),
        default="receipt",
        help="drawer: a cash drawer on its own serial port (kicks go there, not to the printer)",
    )
    add.add_argument(
        "--connection",
        required=True,
        help="tcp://host[:port], serial:///dev/ttyS0, file:///dev/usb/lp0, usb://vendor:product "
        "(see find-usb) or cups://queue",
    )
    add.add_argument("--name", default="")
    add.add_argument("--paper", type=int, choices=(58, 80), default=80)
    add.add_argument("--columns", type=int, choices=(32, 42, 48), default=None)
    add.add_argument("--qr", action="store_true", help="the printer prints QR codes")
    add.add_argument("--logo", action="store_true", help="the printer prints the business logo")
    add.add_argument("--code-page", default="auto", choices=CODE_PAGES)
    add.add_argument("--no-cutter", action="store_true", help="no auto-cutter: feed to tear")
    add.add_argument("--drawer-pin", type=int, choices=(2, 5), default=2)
    add.add_argument("--no-drawer", action="store_true", help="no cash drawer on this printer")
    add.add_argument(
        "--drawer-pulse-ms", type=int, default=50, help="drawer pulse, 10-250 ms (default 50)"
    )
    add.set_defaults(handler=_add)
    remove = actions.add_parser("remove", help="remove a device by id")
    remove.add_argument("device_id", type=uuid.UUID)
    remove.set_defaults(handler=_remove)
    test = actions.add_parser("test-print", help="print a test page now (not queued)")
    test.add_argument("--role", choices=("receipt", "report", "kitchen"), default="receipt")
    test.set_defaults(handler=_test_print)
    drawer = actions.add_parser("drawer-test", help="open the cash drawer now")
    drawer.set_defaults(handler=_drawer_test)
    actions.add_parser(
        "find-usb", help="list USB printers plugged in (Linux), with their usb:// connection"
    ).set_defaults(handler=_find_usb)


def _runner(args: argparse.Namespace) -> Runner:
    from desktop.db.engine import make_terminal_engine
    from desktop.db.migrate import prepare_terminal_db
    from desktop.settings import TerminalSettings
    from desktop.till.runner import Runner

    settings = TerminalSettings()
    path = args.database or settings.database_path
    prepare_terminal_db(path, settings.backup_dir)
    return Runner(make_terminal_engine(path))


def _list(args: argparse.Namespace) -> int:
    from desktop.hardware.devices import list_peripherals, list_printers

    printers = _runner(args).read(list_printers)
    for p in printers:
        drawer = f"drawer pin {p.drawer_pin}" if p.drawer_pin else "no drawer"
        paper = p.paper
        extras = ", ".join(n for n, on in (("QR", paper.qr), ("logo", paper.logo)) if on)
        print(
            f"{p.id}  {p.role:<8} {p.connection:<28} {p.paper_mm} mm/{paper.columns} col  "
            f"{drawer}  {paper.code_page}  {extras or '-'}  {p.name}"
        )
    if not printers:
        print("no printers configured")
    for d in _runner(args).read(list_peripherals):
        print(f"{d.id}  {d.role:<13} {d.connection:<28} {d.name}")
    return 0


def _add_device(args: argparse.Namespace) -> int:
    from desktop.hardware.devices import add_peripheral
    from shared.errors import NovaError

    try:
        device_id = _runner(args).run(
            lambda uow: add_peripheral(
                uow, role=args.role, connection=args.connection, name=args.name
            )
        )
    except NovaError as exc:
        print(f"nova devices: {exc.message}")
        return 1
    print(f"added {args.role} {device_id}")
    return 0


def _add(args: argparse.Namespace) -> int:
    from desktop.hardware.devices import add_printer
    from shared.errors import NovaError

    try:
        device_id = _runner(args).run(
            lambda uow: add_printer(
                uow,
                role=args.role,
                connection=args.connection,
                name=args.name,
                paper_mm=args.paper,
                columns=args.columns,
                qr=args.qr,
                logo=args.logo,
                code_page=args.code_page,
                cutter=not args.no_cutter,
                drawer_pin=None if args.no_drawer else args.drawer_pin,
                drawer_pulse_ms=args.drawer_pulse_ms,
            )
        )
    except NovaError as exc:
        print(f"nova devices: {exc.message}")
        return 1
    print(f"added {args.role} printer {device_id}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from desktop.hardware.devices import remove_device
    from shared.errors import NovaError

    try:
        _runner(args).run(lambda uow: remove_device(uow, args.device_id))
    except NovaError as exc:
        print(f"nova devices: {exc.message}")
        return 1
    print("removed")
    return 0


def _send_now(args: argparse.Namespace, role: str, make: str) -> int:
    from desktop.hardware.device_actions import drawer_pulse, send_now, test_page
    from desktop.hardware.devices import printer_for
    from shared.errors import NovaError

    # A drawer on its own port takes the kicks; otherwise the receipt printer's port does.
    printer = _runner(args).read(
        lambda uow: (make == "drawer" and printer_for(uow, "drawer")) or printer_for(uow, role)
    )
    if printer is None:
        print(f"no {role} printer configured: nova devices add-printer --role {role} ...")
        return 1
    try:
        data = drawer_pulse(printer) if make == "drawer" else test_page(printer)
        status = send_now(printer, data)
    except NovaError as exc:
        print(exc.message)
        return 1
    print(f"sent; printer status: {status}")
    return 0


def _find_usb(args: argparse.Namespace) -> int:  # noqa: ARG001
    from desktop.hardware.usb_printers import find_usb_printers

    found = find_usb_printers()
    for printer in found:
        print(f"{printer.url:<36} {printer.device}  {printer.name}")
    if not found:
        print("no USB printer found (is it on, and does the usblp driver hold it?)")
    return 0


def _test_print(args: argparse.Namespace) -> int:
    return _send_now(args, args.role, "page")


def _drawer_test(args: argparse.Namespace) -> int:
    return _send_now(args, "receipt", "drawer")
