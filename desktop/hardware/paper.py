"""What a receipt printer's paper and mechanism allow: columns, cutter, QR codes, a logo, and
the code page its text goes out in. Receipts and reports are laid out from it."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import ValidationFailed

# Font A columns: 58 mm paper prints 32; 80 mm prints 48 (576 dots) or 42 (512-dot heads).
COLUMN_CHOICES = {58: (32,), 80: (48, 42)}
# "auto": python-escpos switches code pages as the text needs; a fixed page suits printers whose
# code page table differs from the profile (accented letters outside it are printed unaccented).
CODE_PAGES = ("auto", "CP437", "CP850", "CP858", "CP1252", "ISO_8859-15", "CP852", "CP866")


@dataclass(frozen=True)
class Paper:
    width_mm: int = 80
    columns: int = 48
    cutter: bool = True
    qr: bool = False  # prints QR codes (GS ( k): the receipt number as QR instead of Code 128
    logo: bool = False  # prints raster images: the business logo above the receipt
    code_page: str = "auto"

    @classmethod
    def of(
        cls,
        width_mm: int = 80,
        *,
        columns: int | None = None,
        cutter: bool = True,
        qr: bool = False,
        logo: bool = False,
        code_page: str = "auto",
    ) -> Paper:
        """A checked paper setup (columns default to the width's usual count).

        Raises:
            ValidationFailed: a width, column count or code page the printers do not have.
        """
        if width_mm not in COLUMN_CHOICES:
            raise ValidationFailed("paper is 58 or 80 mm wide", details={"paper_mm": width_mm})
        choices = COLUMN_CHOICES[width_mm]
        columns = columns or choices[0]
        if columns not in choices:
            raise ValidationFailed(
                f"{width_mm} mm paper prints {' or '.join(map(str, choices))} columns",
                details={"columns": columns},
            )
        if code_page not in CODE_PAGES:
            raise ValidationFailed(
                f"code page is one of {', '.join(CODE_PAGES)}", details={"code_page": code_page}
            )
        return cls(width_mm, columns, cutter, qr, logo, code_page)
