"""The sync inbox (Qt-free): what sync could not settle alone — sales and refunds kept for a
look, records refused or waiting too long, tills kept aside, and catalog fields two tills edited
offline — each in words a manager uses, with what each side said and the choices the server
allows; and the latest decisions (who, when, how).

Everything here is on the server (`/v1/sync/inbox`), so each call first asks `rules` whether it
may run now (online, signed in with an e-mail, `sync.review`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from desktop.office.config_desk import ConfigDesk
from shared.currency import minor_units
from shared.errors import ValidationFailed

OPERATION = "sync.review"
FIELD_CONFLICT = "field_conflict"  # syncserver/catalog/conflicts.STATUS
MAX_NOTE = 500

STATUS_WORDS = {
    "needs_review": "Needs a look",
    "rejected": "Refused",
    "deferred": "Waiting too long",
    "quarantined": "Till kept aside",
    FIELD_CONFLICT: "Edited on two tills",
}
KIND_WORDS = {
    "ticket.finalized": "Sale",
    "ticket.refunded": "Refund",
    "inventory.adjusted": "Stock adjustment",
    "inventory.transferred": "Stock transfer",
    "count.posted": "Stock count",
    "customer.created": "New customer",
    "loyalty.adjusted": "Loyalty points",
    "loyalty.expired": "Loyalty points expired",
    "audit.recorded": "Audit record",
}
ENTITY_WORDS = {
    "cat.item": "Item", "cat.category": "Category", "cat.modifier_group": "Modifier group",
    "cat.tax_class": "Tax class", "cat.item_location": "Item at a location",
}  # fmt: skip
FIELD_WORDS = {
    "price_minor": "price", "name": "name", "sku": "SKU", "barcodes": "barcodes",
    "category_id": "category", "tax_class": "tax class", "available": "on sale",
    "active": "active", "track_stock": "stock tracking", "modifier_groups": "modifier groups",
    "tile_color": "tile colour", "tile_position": "tile position", "position": "position",
    "min_choices": "least choices", "max_choices": "most choices", "modifiers": "options",
    "rates": "rates",
}  # fmt: skip


@dataclass(frozen=True)
class Choice:
    code: str  # what the server calls it
    title: str
    needs_value: bool = False  # "custom": the manager types the value


@dataclass(frozen=True)
class Entry:
    id: str
    status: str
    title: str  # "Sale T01-000007 · 3.90 EUR", "Item price"
    state: str  # STATUS_WORDS
    detail: str  # why it is here, from the server
    mine: str | None  # catalog: the value kept
    theirs: str | None  # catalog: the value set aside
    received_at: datetime
    choices: tuple[Choice, ...]
    field: str | None = None  # catalog: the field, to read a custom value


@dataclass(frozen=True)
class Decision:
    at: datetime
    by: str
    what: str
    resolution: str
    note: str


class InboxDesk:
    def __init__(self, desk: ConfigDesk) -> None:
        self.desk = desk

    def why_not(self) -> str | None:
        return self.desk.why_not(OPERATION)

    def entries(self) -> list[Entry]:
        self.desk.guard(OPERATION)
        rows = self.desk.session.call(lambda c: c.inbox())
        return [self._entry(row) for row in rows]

    def decisions(self) -> list[Decision]:
        self.desk.guard(OPERATION)
        rows = self.desk.session.call(lambda c: c.resolved())
        return [
            Decision(
                at=datetime.fromisoformat(str(r["at"])), by=str(r.get("by") or "someone"),
                what=_kind_title(str(r["kind"])), resolution=_choice_title(str(r["resolution"])),
                note=str(r.get("note") or ""),
            )
            for r in rows
        ]  # fmt: skip

    def resolve(self, entry: Entry, choice: Choice, *, note: str, value: str = "") -> str:
        """Send the decision; returns the toast's words.

        Raises:
            ValidationFailed: (field "value") a custom value that cannot be the field's;
                (field "note") a note over 500 characters; the server's refusals as they come
                (e.g. CONFLICT: someone resolved it meanwhile).
        """
        note = note.strip()
        if len(note) > MAX_NOTE:
            raise ValidationFailed(
                f"A note is at most {MAX_NOTE} characters", details={"field": "note"}
            )
        custom = self._custom(entry, value) if choice.needs_value else None
        self.desk.guard(OPERATION)
        self.desk.session.call(lambda c: c.resolve(entry.id, choice.code, note, custom))
        return f"{entry.title}: {choice.title.lower()} — done"

    # ------------------------------------------------------------------ words
    def _entry(self, row: dict[str, Any]) -> Entry:
        status, kind = str(row["status"]), str(row["kind"])
        payload: dict[str, Any] = row.get("payload") or {}
        received = datetime.fromisoformat(str(row["received_at"]))
        if status == FIELD_CONFLICT:
            field = str(payload.get("field", ""))
            shown = {c: _choice_title(c) for c in payload.get("choices", [])}
            mine, theirs = self._value(field, payload.get("mine")), self._value(
                field, payload.get("theirs"))  # fmt: skip
            choices = tuple(
                Choice(code, f"Keep {mine}" if code == "keep_mine" else
                       f"Use {theirs}" if code == "keep_theirs" else title,
                       needs_value=code == "custom")
                for code, title in shown.items()
            )  # fmt: skip
            entity = ENTITY_WORDS.get(str(payload.get("entity")), "Catalog")
            return Entry(
                id=str(row["id"]), status=status,
                title=f"{entity} {FIELD_WORDS.get(field, field)}", state=STATUS_WORDS[status],
                detail=_conflict_reason(str(payload.get("reason", ""))), mine=mine,
                theirs=theirs, received_at=received, choices=choices, field=field,
            )  # fmt: skip
        codes = (
            ("accept", "adjusted") if status == "needs_review" else ("dismiss", "fixed_elsewhere")
        )
        detail = str(row.get("detail") or "")
        choices = tuple(
            Choice(code, _choice_title(code, overdraft=detail.startswith("overdraft")))
            for code in codes
        )
        return Entry(
            id=str(row["id"]), status=status, title=self._record_title(kind, payload),
            state=STATUS_WORDS.get(status, status), detail=_sentence(detail), mine=None,
            theirs=None, received_at=received, choices=choices,
        )  # fmt: skip

    def _record_title(self, kind: str, payload: dict[str, Any]) -> str:
        title = _kind_title(kind)
        receipt = payload.get("receipt_no")
        if receipt:
            title += f" {receipt}"
        gross = payload.get("gross_minor")
        if isinstance(gross, int) and not isinstance(gross, bool):
            money = str(payload.get("currency") or self._currency())
            title += f" · {self.desk.format_minor(gross)} {money}".rstrip()
        return title

    def _currency(self) -> str:
        user = self.desk.session.user
        return user.currency if user else ""

    def _value(self, field: str, value: Any) -> str:
        if value is None:
            return "(nothing)"
        if field == "price_minor" and isinstance(value, int):
            return f"{self.desk.format_minor(value)} {self._currency()}".strip()
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, list):
            return ", ".join(str(v) for v in value) or "(none)"
        return str(value)

    def _custom(self, entry: Entry, text: str) -> Any:
        """The typed value as the field holds it."""
        text = text.strip()
        if not text:
            raise ValidationFailed("Type the value to use", details={"field": "value"})
        if entry.field == "price_minor":
            try:
                amount = Decimal(text.replace(",", "."))
            except InvalidOperation:
                raise ValidationFailed(
                    f"{text!r} is not a price: write it like 3.40", details={"field": "value"}
                ) from None
            if amount < 0:
                raise ValidationFailed("A price cannot be negative", details={"field": "value"})
            digits = minor_units(self._currency()) if self._currency() else 2
            return int((amount * 10**digits).to_integral_value())
        if entry.field == "barcodes":
            return [code for code in text.replace(",", " ").split() if code]
        if entry.field in ("available", "active", "track_stock"):
            if text.lower() not in ("yes", "no"):
                raise ValidationFailed("Type yes or no", details={"field": "value"})
            return text.lower() == "yes"
        return text


def _kind_title(kind: str) -> str:
    if kind in KIND_WORDS:
        return KIND_WORDS[kind]
    entity, _, field = kind.rpartition(".")
    if entity in ENTITY_WORDS:
        return f"{ENTITY_WORDS[entity]} {FIELD_WORDS.get(field, field)}"
    return kind


def _choice_title(code: str, *, overdraft: bool = False) -> str:
    return {
        "accept": "Accept as recorded",
        "adjusted": "Adjust the points back to zero" if overdraft else "Mark as adjusted",
        "dismiss": "Dismiss",
        "fixed_elsewhere": "Fixed elsewhere",
        "keep_mine": "Keep this value",
        "keep_theirs": "Use the other value",
        "custom": "Use another value…",
    }.get(code, code)


def _conflict_reason(reason: str) -> str:
    return {
        "concurrent": "Two tills changed this offline at the same time; the later change was "
        "kept. Pick the right value.",
        "duplicate_sku": "Two items were given the same SKU offline; the one made later got a "
        "new SKU. Keep it or type another.",
        "duplicate_barcode": "Two items were given the same barcode offline; the one made later "
        "lost it. Keep that or type other barcodes.",
    }.get(reason, reason)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""
