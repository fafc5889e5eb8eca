"""USB receipt printers by vendor and product id (`usb://04b8:0e15`), through Linux's usblp
driver: the id is looked up in sysfs at each job, so a printer that was unplugged and came back
as `/dev/usb/lp1` instead of `lp0` keeps printing. `find_usb_printers` lists what is plugged in
(`nova devices find-usb`), ready to paste as a connection.

Other systems: use the printer's virtual COM port (`serial://COM3`) or its queue in the system
spooler (CUPS on macOS, `cups://queue`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from desktop.hardware.printer_link import FileLink, PrinterState

SYSFS = Path("/sys")
DEV = Path("/dev")
_CLASSES = ("class/usbmisc", "class/usb")  # usblp registers under usbmisc (older kernels: usb)


@dataclass(frozen=True)
class UsbPrinter:
    vendor: int
    product: int
    serial: str
    name: str
    device: Path  # /dev/usb/lpN

    @property
    def url(self) -> str:
        query = f"?serial={self.serial}" if self.serial else ""
        return f"usb://{self.vendor:04x}:{self.product:04x}{query}"


def find_usb_printers(sysfs: Path = SYSFS, dev: Path = DEV) -> list[UsbPrinter]:
    """Every printer the usblp driver holds, with its ids (read from sysfs)."""
    found = []
    for folder in _CLASSES:
        for node in sorted((sysfs / folder).glob("lp*")):
            usb_device = (node / "device").resolve().parent  # the interface's parent
            try:
                vendor = int((usb_device / "idVendor").read_text().strip(), 16)
                product = int((usb_device / "idProduct").read_text().strip(), 16)
            except (OSError, ValueError):
                continue
            found.append(
                UsbPrinter(
                    vendor,
                    product,
                    _read(usb_device / "serial"),
                    " ".join(filter(None, (_read(usb_device / "manufacturer"),
                                           _read(usb_device / "product")))),
                    dev / "usb" / node.name,
                )
            )  # fmt: skip
    return found


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class UsbLink:
    """A printer found by its USB ids each time it is used."""

    vendor: int
    product: int
    serial: str = ""
    sysfs: Path = SYSFS
    dev: Path = DEV

    @classmethod
    def parse(cls, url: str, *, sysfs: Path = SYSFS, dev: Path = DEV) -> UsbLink:
        """`usb://04b8:0e15` (hex vendor:product), `?serial=…` to pick one of two alike."""
        parts = urlsplit(url)
        vendor, _, product = parts.netloc.partition(":")
        try:
            ids = int(vendor, 16), int(product, 16)
        except ValueError:
            raise ValueError(
                f"a USB printer is usb://vendor:product in hex (e.g. usb://04b8:0e15), not {url!r}"
            ) from None
        serial = parse_qs(parts.query).get("serial", [""])[0]
        return cls(*ids, serial, sysfs, dev)

    def device(self) -> Path:
        """The printer's device file now. Raises FileNotFoundError: it is not plugged in."""
        for printer in find_usb_printers(self.sysfs, self.dev):
            if (printer.vendor, printer.product) == (self.vendor, self.product) and (
                not self.serial or printer.serial == self.serial
            ):
                return printer.device
        raise FileNotFoundError(
            f"no USB printer {self.vendor:04x}:{self.product:04x} is plugged in "
            "(or the usblp driver does not hold it)"
        )

    def send(self, data: bytes) -> None:
        FileLink(str(self.device())).send(data)

    def status(self) -> PrinterState:
        try:
            return FileLink(str(self.device())).status()
        except FileNotFoundError:
            return PrinterState.UNREACHABLE
