"""The business profile a till prints (name, address, tax id, footer, logo), as the server sends
it.

Owners edit it on the server (`PUT /v1/business/settings`); it arrives as the `settings`
document and lands in `local_meta` in the pull's transaction. A till that never synced prints
"Nova POS" and "Thank you!".
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select

from desktop.db.models import LocalMeta
from desktop.db.uow import UnitOfWork

PREFIX = "business."


@dataclass(frozen=True)
class Profile:
    name: str = "Nova POS"
    header: tuple[str, ...] = ()  # address lines, then the tax id
    footer: str = "Thank you!"
    logo: bytes | None = None  # PNG, already 1-bit and receipt-sized by the server


def apply_settings(uow: UnitOfWork, body: dict[str, Any]) -> None:
    values = {
        "name": str(body.get("receipt_name") or ""),
        "address": json.dumps([str(line) for line in body.get("address_lines") or []]),
        "tax_id": str(body.get("tax_id") or ""),
        "footer": str(body.get("receipt_footer") or ""),
        "logo": str(body.get("logo_png") or ""),  # base64
    }
    uow.conn.execute(delete(LocalMeta).where(LocalMeta.key.in_([PREFIX + k for k in values])))
    uow.conn.execute(
        insert(LocalMeta), [{"key": PREFIX + k, "value": v} for k, v in values.items()]
    )


def profile(uow: UnitOfWork) -> Profile:
    rows = dict(
        uow.conn.execute(
            select(LocalMeta.key, LocalMeta.value).where(LocalMeta.key.startswith(PREFIX))
        ).all()
    )
    default = Profile()
    address = json.loads(rows.get(PREFIX + "address") or "[]")
    return Profile(
        name=rows.get(PREFIX + "name") or default.name,
        header=header_of(address, rows.get(PREFIX + "tax_id") or ""),
        footer=rows.get(PREFIX + "footer") or default.footer,
        logo=_logo(rows.get(PREFIX + "logo") or ""),
    )


def header_of(address_lines: list[str] | tuple[str, ...], tax_id: str) -> tuple[str, ...]:
    """What prints under the business name: the address, then the tax id (the back office's
    receipt preview uses the same)."""
    return (*address_lines, *([f"Tax ID {tax_id}"] if tax_id else []))


def _logo(encoded: str) -> bytes | None:
    try:
        return base64.b64decode(encoded, validate=True) or None
    except (binascii.Error, ValueError):
        return None  # a damaged value prints no logo rather than stopping a receipt
