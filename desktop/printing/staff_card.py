"""A staff card printed on the receipt printer: the business, the person's name and a Code 128
barcode of their card number (`EMP0012`), which the sign-in screen reads from a scanner as it
reads a swiped magnetic staff card. The code alone signs no one in: the PIN is still asked.

Queued like a receipt (its own transaction, retried while the printer is away) and audited on
the till: a card in the wrong hands is half a sign-in.
"""

from __future__ import annotations

import uuid

from desktop.business import profile
from desktop.db.uow import UnitOfWork
from desktop.hardware.cards import card_number
from desktop.hardware.escpos_bytes import finish, new_document, write_line
from desktop.hardware.paper import Paper
from desktop.outbox.service import audit
from desktop.printing.queue import enqueue

KIND = "staff_card"


def render(*, business: str, name: str, code: str, paper: Paper | None = None) -> bytes:
    """ESC/POS bytes of one card, cut off the roll ready to laminate or slip in a badge."""
    paper = paper or Paper()
    printer = new_document(paper.code_page)
    printer.set(align="center", bold=True)
    write_line(printer, business[: paper.columns])
    printer.set(align="center", bold=False, normal_textsize=True)
    write_line(printer, "STAFF CARD")
    printer.ln()
    printer.set(align="center", bold=True, double_height=True)
    write_line(printer, name[: paper.columns])
    printer.set(align="center", bold=False, normal_textsize=True)
    printer.barcode("{B" + card_number(code), "CODE128", function_type="B", pos="BELOW",
                    height=64)  # fmt: skip
    write_line(printer, "Scan at sign-in, then type your PIN")
    return finish(printer, paper.cutter)


def queue_card(
    uow: UnitOfWork,
    *,
    actor_id: uuid.UUID,
    staff_id: uuid.UUID,
    name: str,
    code: str,
    paper: Paper,
) -> uuid.UUID:
    """Queue `name`'s card on the receipt printer, in the caller's transaction."""
    payload = render(business=profile(uow).name, name=name, code=code, paper=paper)
    job_id = enqueue(uow, kind=KIND, payload=payload)
    audit(uow, actor_id=actor_id, action="staff.card_printed", target_id=staff_id,
          details={"code": code, "name": name})  # fmt: skip
    return job_id
