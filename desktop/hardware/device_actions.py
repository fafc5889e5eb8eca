"""What the back office and `nova devices` do to a printer right now: a test page, a drawer
pulse. Sent directly, not queued (a test must say at once whether the printer answers); the
caller runs it off the UI thread — an unreachable printer takes its timeout."""

from __future__ import annotations

from desktop.hardware.devices import PrinterConfig, drawer_kick
from desktop.hardware.escpos_bytes import new_document
from shared.errors import Unavailable, ValidationFailed


def test_page(printer: PrinterConfig) -> bytes:
    page = new_document()
    page.set(align="center", bold=True)
    page.textln("Nova POS test print")
    page.set(align="left", bold=False)
    page.textln(f"{printer.name} · {printer.connection} · {printer.paper_mm} mm")
    page.textln("€ é ü ß ñ — if these look right, the code page is fine")
    page.cut()
    return bytes(page.output)


def drawer_pulse(printer: PrinterConfig) -> bytes:
    """Raises ValidationFailed: no drawer is configured on this printer."""
    if printer.drawer_pin is None:
        raise ValidationFailed("this printer has no cash drawer configured")
    return drawer_kick(printer.drawer_pin)


def send_now(printer: PrinterConfig, data: bytes) -> str:
    """Send `data`; returns the printer's status after it (e.g. "online").

    Raises:
        Unavailable: the printer cannot be reached (off, unplugged, wrong address).
    """
    link = printer.link
    try:
        link.send(data)
    except OSError as exc:
        raise Unavailable(
            f"could not reach the printer: {exc} (status: {link.status().value})",
            details={"connection": printer.connection},
        ) from None
    return str(link.status().value)
