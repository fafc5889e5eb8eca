"""What the back office and `nova devices` do to a printer right now: a test page, a drawer
pulse. Sent directly, not queued (a test must say at once whether the printer answers); the
caller runs it off the UI thread — an unreachable printer takes its timeout."""

from __future__ import annotations

from desktop.hardware.devices import PrinterConfig, drawer_kick
from desktop.hardware.escpos_bytes import finish, new_document, write_line
from shared.errors import Unavailable, ValidationFailed


def test_page(printer: PrinterConfig) -> bytes:
    """What the printer is set up for, in its own layout: the columns ruler must fit one line,
    the accented letters must look right, and a QR code prints when it says it can."""
    paper = printer.paper
    page = new_document(paper.code_page)
    page.set(align="center", bold=True)
    write_line(page, "Nova POS test print")
    page.set(align="left", bold=False)
    write_line(page, f"{printer.name} · {printer.connection}")
    features = [f"{paper.width_mm} mm", f"{paper.columns} columns", f"code page {paper.code_page}"]
    features += [name for name, on in (("QR", paper.qr), ("logo", paper.logo)) if on]
    write_line(page, ", ".join(features))
    write_line(page, ("1234567890" * 7)[: paper.columns])
    write_line(page, "€ é ü ß ñ — if these look right, the code page is fine")
    if paper.qr:
        page.set(align="center")
        page.qr("NOVA-TEST", size=6, native=True)
        page.set(align="left")
    return finish(page, paper.cutter)


def drawer_pulse(printer: PrinterConfig) -> bytes:
    """Raises ValidationFailed: no drawer is configured on this printer."""
    if printer.drawer_pin is None:
        raise ValidationFailed("this printer has no cash drawer configured")
    return drawer_kick(printer.drawer_pin, printer.drawer_pulse_ms)


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
