"""Print a staff card on this till's receipt printer (Qt-free): who may, and where it goes.
The card itself is drawn in `desktop/printing/staff_card.py`."""

from __future__ import annotations

import uuid

from desktop.printing.staff_card import queue_card
from desktop.till.counter import Counter
from shared.errors import ValidationFailed
from shared.permissions import Permission


def print_staff_card(counter: Counter, *, staff_id: uuid.UUID, name: str, code: str) -> None:
    """Queue the card; the printer worker sends it (a printer that is away gets it later).

    Raises:
        PermissionDenied: the person signed in at this till may not manage staff.
        ValidationFailed: this till has no receipt printer.
    """
    actor = counter.who()
    actor.require(Permission.STAFF_MANAGE)
    if not counter.printer:
        raise ValidationFailed("this till has no receipt printer: add one in Devices first")
    paper = counter.paper
    counter.runner.run(
        lambda uow: queue_card(
            uow, actor_id=actor.id, staff_id=staff_id, name=name, code=code, paper=paper
        )
    )
