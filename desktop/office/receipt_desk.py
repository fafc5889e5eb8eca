"""The business's receipt profile (Qt-free): the name, address, tax id and footer every till
prints, and the logo above them, with a preview of a sample receipt on 58 mm and 80 mm paper
drawn by the till's own receipt layout and printer renderer — what the preview shows is what
prints. All on the server (operation `profile.edit`); tills get it with their next sync.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from desktop.business import header_of
from desktop.office.config_desk import ConfigDesk
from desktop.office.models import ReceiptProfile
from desktop.office.session import OfficeSession
from shared.errors import ValidationFailed
from shared.money import Money
from shared.receipt_logo import MAX_HEIGHT, MAX_UPLOAD_BYTES, MAX_WIDTH

PROFILE = "profile.edit"  # the operation id in desktop/office/rules.py
NAME_MAX, ADDRESS_LINES, LINE_MAX, TAX_ID_MAX, FOOTER_MAX = 120, 4, 48, 40, 200  # as the server
PAPERS = (58, 80)  # mm
LOGO_TYPES = {
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".bmp": "image/bmp", ".webp": "image/webp",
}  # fmt: skip
LOGO_RULE = (
    f"PNG, JPEG, GIF, BMP or WebP up to {MAX_UPLOAD_BYTES // 1024} KB. It prints in black and "
    f"white, at most {MAX_WIDTH} × {MAX_HEIGHT} dots (48 × 20 mm), on printers set to print a "
    "logo (Devices)."
)


def draft(name: str, address: str, tax_id: str, footer: str) -> ReceiptProfile:
    """The form's text as a profile, checked as the server checks it.

    Raises:
        ValidationFailed: naming the field (receipt_name, address_lines, tax_id,
            receipt_footer) in words the owner can act on.
    """
    name, tax_id, footer = name.strip(), tax_id.strip(), footer.strip()
    lines = tuple(line.strip() for line in address.splitlines() if line.strip())
    if not name:
        raise ValidationFailed("Type the name your receipts show",
                               details={"field": "receipt_name"})  # fmt: skip
    if len(name) > NAME_MAX:
        raise ValidationFailed(f"The name is {len(name)} characters: at most {NAME_MAX}",
                               details={"field": "receipt_name"})  # fmt: skip
    if len(lines) > ADDRESS_LINES:
        raise ValidationFailed(f"The address has {len(lines)} lines: at most {ADDRESS_LINES}",
                               details={"field": "address_lines"})  # fmt: skip
    for number, line in enumerate(lines, 1):
        if len(line) > LINE_MAX:
            raise ValidationFailed(
                f"Address line {number} is {len(line)} characters: at most {LINE_MAX}",
                details={"field": "address_lines"},
            )
    if len(tax_id) > TAX_ID_MAX:
        raise ValidationFailed(f"The tax ID is {len(tax_id)} characters: at most {TAX_ID_MAX}",
                               details={"field": "tax_id"})  # fmt: skip
    if len(footer) > FOOTER_MAX:
        raise ValidationFailed(f"The footer is {len(footer)} characters: at most {FOOTER_MAX}",
                               details={"field": "receipt_footer"})  # fmt: skip
    return ReceiptProfile(name, lines, tax_id, footer)


def logo_file(path: Path) -> tuple[bytes, str]:
    """The picked file's bytes and media type, refused here before anything is sent.

    Raises:
        ValidationFailed: (field logo) not a kind of image we take, too large, unreadable.
    """
    media_type = LOGO_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise ValidationFailed(f"The file {path.name} is not a picture we can print: {LOGO_RULE}",
                               details={"field": "logo"})  # fmt: skip
    try:
        data = path.read_bytes()
    except OSError:
        raise ValidationFailed(f"The file {path.name} cannot be read: pick it again",
                               details={"field": "logo"}) from None  # fmt: skip
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            f"The file {path.name} is {len(data) // 1024} KB: at most "
            f"{MAX_UPLOAD_BYTES // 1024} KB (save it smaller: a logo needs no more than 400 "
            "pixels across)",
            details={"field": "logo"},
        )
    return data, media_type


def preview(profile: ReceiptProfile, paper_mm: int, currency: str = "EUR") -> bytes:
    """A sample sale's receipt with `profile` on `paper_mm` paper, as a PNG the way the printer
    simulator draws ESC/POS (the logo printed, as on a printer set to print one)."""
    from desktop.hardware.paper import Paper
    from desktop.hardware.receipt_png import render_png
    from desktop.printing.receipt import ReceiptDoc, ReceiptLine, render

    def money(text: str) -> Money:
        return Money(Decimal(text), currency)

    doc = ReceiptDoc(
        business=profile.receipt_name or "Nova POS",
        header=header_of(profile.address_lines, profile.tax_id),
        receipt_no="T01-000001", kind="sale", closed_at="2026-12-04 09:41", cashier="Sample",
        lines=(ReceiptLine("Sample item", Decimal(1), money("3.50")),),
        taxes=(), net=money("3.50"), tax=money("0.00"), total=money("3.50"),
        tenders=(("cash", money("5.00")),), change=money("1.50"),
        footer=profile.receipt_footer, logo=profile.logo,
    )  # fmt: skip
    paper = Paper.of(paper_mm, logo=True)
    return render_png(render(doc, paper), paper.columns)


class ReceiptDesk:
    def __init__(self, session: OfficeSession) -> None:
        self.session = session
        self._config = ConfigDesk(session)

    def why_not(self) -> str | None:
        return self.session.why_not(PROFILE)

    @property
    def currency(self) -> str:
        user = self.session.user
        return user.currency if user else "EUR"

    def read(self) -> ReceiptProfile:
        """Any signed-in member may read what receipts print."""
        return self.session.call(lambda c: c.receipt_profile())

    def save(self, profile: ReceiptProfile) -> ReceiptProfile:
        """Raises what `draft` raises (checked again here), the guard's refusal, or the
        server's."""
        self._config.guard(PROFILE)
        checked = draft(profile.receipt_name, "\n".join(profile.address_lines),
                        profile.tax_id, profile.receipt_footer)  # fmt: skip
        saved = self.session.call(lambda c: c.save_receipt_profile(checked))
        return replace(saved, logo=profile.logo)

    def upload_logo(self, path: Path) -> bytes:
        """The logo as tills will print it. Raises what `logo_file` raises, or VALIDATION from
        the server for a file that is no image it can read."""
        self._config.guard(PROFILE)
        data, media_type = logo_file(path)
        try:
            return self.session.call(lambda c: c.upload_logo(data, media_type))
        except ValidationFailed as exc:  # the server could not read it: say so beside the logo
            exc.details.setdefault("field", "logo")
            raise

    def remove_logo(self) -> None:
        self._config.guard(PROFILE)
        self.session.call(lambda c: c.remove_logo())
