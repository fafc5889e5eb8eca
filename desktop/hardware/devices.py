"""The device registry of this terminal: which printer serves which role, and how to reach it.

Configured with `nova devices …` and in Back office → Devices. One enabled printer per role
(`receipt`, `report`, `kitchen`); a report role without its own printer uses the receipt printer.
The other devices — card terminal, barcode scanner (serial, or a keyboard wedge: `WEDGE`), card
reader, customer display — are one connection each (`PERIPHERALS`), checked on save without
DNS (printer_link.plausible_host); the till's live hardware is rebuilt from here on every change
(desktop/till/live_hardware.py).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalDevice
from desktop.db.uow import UnitOfWork
from desktop.hardware.paper import Paper
from desktop.hardware.printer_link import Link, parse_link, plausible_host
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.ids import uuid7

# drawer: a cash drawer on its own (serial) port; kitchen: registered and testable — nothing
# sends kitchen tickets yet (docs/hardware.md).
ROLES = ("receipt", "report", "kitchen", "drawer")
# Devices that are a connection and nothing more: what each is, and what its connection is.
PERIPHERALS = {
    "card_terminal": ("Card terminal", "zvt://192.168.1.60:20007 or zvt+serial:///dev/ttyUSB0"),
    "scanner": ("Barcode scanner", "keyboard (wedge), /dev/ttyACM0, COM3 or socket://host:port"),
    "card_reader": ("Card reader (serial)", "/dev/ttyUSB1, COM4 or socket://host:port"),
    "display": ("Customer display", "/dev/ttyUSB0, COM3 or socket://host:port"),
}
WEDGE = "keyboard"  # a scanner that types into the focused field: no port to open
# pyserial URL schemes a serial device may be given as (besides /dev/… and COMn).
SERIAL_SCHEMES = ("socket", "rfc2217", "loop", "spy", "hwgrep", "alt")
DRAWER_PINS = (2, 5)
PULSE_MS = range(10, 251)  # ESC p counts in 2 ms steps up to 255


@dataclass(frozen=True)
class PrinterConfig:
    id: uuid.UUID
    role: str
    name: str
    connection: str
    paper_mm: int
    cutter: bool
    drawer_pin: int | None
    columns: int | None = None
    qr: bool = False
    logo: bool = False
    code_page: str = "auto"
    drawer_pulse_ms: int = 50

    @property
    def link(self) -> Link:
        return parse_link(self.connection)

    @property
    def paper(self) -> Paper:
        return Paper(
            self.paper_mm,
            self.columns or Paper.of(self.paper_mm).columns,
            self.cutter,
            self.qr,
            self.logo,
            self.code_page,
        )


@dataclass(frozen=True)
class PeripheralConfig:
    """A card terminal, serial scanner or card reader, or customer display of this till."""

    id: uuid.UUID
    role: str
    name: str
    connection: str


def drawer_kick(pin: int, pulse_ms: int = 50) -> bytes:
    """ESC p m t1 t2: pulse the drawer on connector pin 2 (m=0) or 5 (m=1) for `pulse_ms`
    (t1, in 2 ms steps), then 500 ms off (t2). Heavier solenoids need a longer pulse."""
    return bytes([0x1B, 0x70, 0 if pin == 2 else 1, max(1, pulse_ms // 2), 0xFA])


def add_printer(
    uow: UnitOfWork,
    *,
    role: str,
    connection: str,
    name: str = "",
    paper_mm: int = 80,
    drawer_pin: int | None = 2,
    cutter: bool = True,
    columns: int | None = None,
    qr: bool = False,
    logo: bool = False,
    code_page: str = "auto",
    drawer_pulse_ms: int = 50,
) -> uuid.UUID:
    """Register a printer for a role, with what its paper and mechanism allow.

    Raises:
        ValidationFailed: unknown role, paper width, columns, code page, drawer pin, or a
            connection we cannot drive.
        Conflict: the role already has a printer (remove it first).
    """
    if role not in ROLES:
        raise ValidationFailed(f"role is one of {', '.join(ROLES)}", details={"role": role})
    paper = Paper.of(
        paper_mm, columns=columns, cutter=cutter, qr=qr, logo=logo, code_page=code_page
    )
    if drawer_pin is not None and drawer_pin not in DRAWER_PINS:
        raise ValidationFailed("the drawer is on pin 2 or 5", details={"drawer_pin": drawer_pin})
    if drawer_pulse_ms not in PULSE_MS:
        raise ValidationFailed(
            "the drawer pulse is 10 to 250 ms", details={"drawer_pulse_ms": drawer_pulse_ms}
        )
    if role == "drawer" and drawer_pin is None:
        raise ValidationFailed("a cash drawer device needs its pin (2 or 5)")
    try:
        parse_link(connection)
    except ValueError as exc:
        raise ValidationFailed(
            str(exc),
            details={"connection": connection},
        ) from None
    taken = uow.conn.execute(
        select(LocalDevice.id).where(LocalDevice.role == role, LocalDevice.enabled)
    ).first()
    if taken is not None:
        raise Conflict(
            f"the {role} role already has a printer; remove it first",
            details={"device_id": str(taken[0])},
        )
    device_id = uuid7()
    uow.conn.execute(
        insert(LocalDevice).values(
            id=device_id,
            role=role,
            name=name.strip() or f"{role} printer",
            connection=connection.strip(),
            paper_mm=paper.width_mm,
            columns=paper.columns,
            cutter=paper.cutter,
            qr=paper.qr,
            logo=paper.logo,
            code_page=paper.code_page,
            drawer_pin=drawer_pin,
            drawer_pulse_ms=drawer_pulse_ms,
            enabled=True,
            added_at=uow.clock.now(),
        )
    )
    return device_id


def list_printers(uow: UnitOfWork) -> list[PrinterConfig]:
    rows = uow.conn.execute(
        select(LocalDevice.__table__)
        .where(LocalDevice.enabled, LocalDevice.role.in_(ROLES))
        .order_by(LocalDevice.role)
    )
    return [
        PrinterConfig(
            r.id, r.role, r.name, r.connection, r.paper_mm, bool(r.cutter), r.drawer_pin,
            r.columns, bool(r.qr), bool(r.logo), r.code_page, r.drawer_pulse_ms,
        )
        for r in rows
    ]  # fmt: skip


def printer_for(uow: UnitOfWork, role: str) -> PrinterConfig | None:
    """The printer serving `role` (reports fall back to the receipt printer)."""
    printers = {p.role: p for p in list_printers(uow)}
    return printers.get(role) or (printers.get("receipt") if role == "report" else None)


def _check_peripheral(role: str, connection: str) -> None:
    if role not in PERIPHERALS:
        raise ValidationFailed(
            f"a device is one of {', '.join(PERIPHERALS)}", details={"role": role}
        )
    if not connection or any(c.isspace() for c in connection):
        raise ValidationFailed(
            f"type the {PERIPHERALS[role][0].lower()}'s connection, e.g. {PERIPHERALS[role][1]}",
            details={"connection": connection},
        )
    if role == "card_terminal":
        from desktop.hardware.zvt_link import parse_zvt_url

        try:
            parse_zvt_url(connection)
        except ValueError as exc:
            raise ValidationFailed(str(exc), details={"connection": connection}) from None
    elif not (role == "scanner" and connection == WEDGE) and not serial_device(connection):
        raise ValidationFailed(
            f"{connection!r} is not a port: use e.g. {PERIPHERALS[role][1]}",
            details={"connection": connection},
        )


def serial_device(connection: str) -> bool:
    """A serial port as the till can open it: `/dev/ttyUSB0`, `COM3`, or a pyserial URL
    (`socket://host:port`, `rfc2217://…`, `loop://`). No port is opened on save."""
    if connection.startswith("/dev/") or re.fullmatch(r"COM\d{1,3}", connection, re.I):
        return True
    scheme, sep, rest = connection.partition("://")
    if not sep or scheme not in SERIAL_SCHEMES:
        return False
    if scheme in ("socket", "rfc2217"):
        host, _, port = rest.partition("?")[0].rpartition(":")
        return port.isdigit() and plausible_host(host)
    return True


def add_peripheral(uow: UnitOfWork, *, role: str, connection: str, name: str = "") -> uuid.UUID:
    """Register a card terminal, a barcode scanner (serial, or `WEDGE`), a card reader, or a
    customer display.

    Raises:
        ValidationFailed: an unknown role, or a connection that cannot be one.
        Conflict: the role already has a device (remove it first).
    """
    connection = connection.strip()
    if role == "scanner" and connection.lower() in ("", WEDGE, "wedge"):
        connection = WEDGE  # a wedge needs no port: adding it records the kind
    _check_peripheral(role, connection)
    taken = uow.conn.execute(
        select(LocalDevice.id).where(LocalDevice.role == role, LocalDevice.enabled)
    ).first()
    if taken is not None:
        raise Conflict(
            f"this till already has a {PERIPHERALS[role][0].lower()}; remove it first",
            details={"device_id": str(taken[0])},
        )
    device_id = uuid7()
    uow.conn.execute(
        insert(LocalDevice).values(
            id=device_id, role=role, name=name.strip() or PERIPHERALS[role][0],
            connection=connection, paper_mm=0, cutter=False, drawer_pin=None,
            enabled=True, added_at=uow.clock.now(),
        )  # paper_mm 0: not a printer (the column predates other devices)
    )  # fmt: skip
    return device_id


def list_peripherals(uow: UnitOfWork) -> list[PeripheralConfig]:
    rows = uow.conn.execute(
        select(LocalDevice.id, LocalDevice.role, LocalDevice.name, LocalDevice.connection)
        .where(LocalDevice.enabled, LocalDevice.role.in_(PERIPHERALS))
        .order_by(LocalDevice.role)
    )
    return [PeripheralConfig(r.id, r.role, r.name, r.connection) for r in rows]


def peripheral_for(uow: UnitOfWork, role: str) -> PeripheralConfig | None:
    return next((p for p in list_peripherals(uow) if p.role == role), None)


def remove_device(uow: UnitOfWork, device_id: uuid.UUID) -> None:
    gone = uow.conn.execute(delete(LocalDevice).where(LocalDevice.id == device_id)).rowcount
    if not gone:
        raise NotFound("no such device", details={"device_id": str(device_id)})
