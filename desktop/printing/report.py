"""X and Z reports as text (the shift screen shows it) and as ESC/POS bytes (the printer)."""

from __future__ import annotations

import textwrap
from typing import Any

from desktop.hardware.escpos_bytes import finish, new_document, write_line
from desktop.hardware.paper import Paper
from shared.money import Money


def report_text(report: dict[str, Any]) -> str:
    """The X/Z report as the screen (and later the printer) shows it."""
    currency = report["currency"]

    def m(minor: int) -> str:
        return str(Money.from_minor(int(minor), currency))

    lines = [
        f"Sales {report['sales_count']}  ·  refunds {report['refunds_count']}",
        f"Gross {m(report['gross_minor'])}  ·  net {m(report['net_minor'])}  ·  "
        f"tax {m(report['tax_minor'])}",
        *(f"  {kind}: {m(amount)}" for kind, amount in sorted(report["by_tender"].items())),
        f"Float {m(report['float_minor'])}  ·  paid in {m(report['paid_in_minor'])}  ·  "
        f"paid out {m(report['paid_out_minor'])}  ·  drops {m(report.get('drops_minor', 0))}"
        f"  ·  no-sales {report['no_sales']}",
        f"Expected cash {m(report['expected_cash_minor'])}",
    ]
    if "over_short_minor" in report:
        lines.append(
            f"Counted {m(report['counted_cash_minor'])}  ·  over/short "
            f"{m(report['over_short_minor'])}"
        )
    lines.append(f"{report['provisional_tickets']} ticket(s) provisional until synced")
    return "\n".join(lines)


def render_report(report: dict[str, Any], title: str, paper: Paper | None = None) -> bytes:
    """A printed X report (Z reports print from `z_report`): the title, then the screen's lines
    wrapped to the paper at word boundaries."""
    paper = paper or Paper()
    width = paper.columns
    printer = new_document(paper.code_page)
    printer.set(align="center", bold=True)
    write_line(printer, title[:width])
    printer.set(align="left", bold=False)
    for line in report_text(report).splitlines():
        for piece in textwrap.wrap(line, width, break_on_hyphens=False):
            write_line(printer, piece)
    return finish(printer, paper.cutter)
