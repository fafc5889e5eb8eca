"""Tax classes (catalog documents `cat.tax_class`, written as server edits so tills take them
through the catalog channel) and applying a country preset (audited).

A class is named by its code; its field `rates` is `[[rate code, percent text], ...]`. Changing
a rate never touches a finished sale: tills store each line's per-rate taxes at finalize, and
the server keeps what they pushed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import ValidationFailed
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.catalog.merge import load, write_fields
from syncserver.models import CatalogDocument
from syncserver.selling import service as selling
from syncserver.tax.presets import PRESETS, US_RATE, Preset
from syncserver.tenancy import Subject, tenant_scoped

TAX_CLASS = "cat.tax_class"
Rates = list[tuple[str, str]]  # (rate code, percent text)


@dataclass(frozen=True)
class TaxClass:
    code: str
    rates: Rates


def list_classes(session: Session, subject: Subject) -> list[TaxClass]:
    rows = session.scalars(
        tenant_scoped(select(CatalogDocument), CatalogDocument, subject)
        .where(CatalogDocument.entity == TAX_CLASS)
        .order_by(CatalogDocument.entity_id)
    )
    return [TaxClass(row.entity_id, _rates(json.loads(row.fields))) for row in rows]


def _rates(fields: dict[str, list[object]]) -> Rates:
    value = fields.get("rates", [[]])[0]
    return [(str(r[0]), str(r[1])) for r in value] if isinstance(value, list) else []


def class_exists(session: Session, subject: Subject, code: str) -> bool:
    return load(session, subject.tenant_id, TAX_CLASS, code).row is not None


def set_class(
    session: Session, subject: Subject, code: str, rates: Rates, *, ip: str | None
) -> TaxClass:
    """Create or change a class (`catalog.edit`); the same rates again change nothing.

    Raises:
        ValidationFailed: two rates of the class share a code.
    """
    subject.require_at(Permission.CATALOG_EDIT, None)
    _write(session, subject, code, rates, ip=ip)
    return TaxClass(code, rates)


def _write(session: Session, subject: Subject, code: str, rates: Rates, *, ip: str | None) -> bool:
    if len({r[0] for r in rates}) != len(rates):
        raise ValidationFailed(
            "each rate of a class needs its own code", details={"field": "rates"}
        )
    before = load(session, subject.tenant_id, TAX_CLASS, code)
    old = _rates(before.fields) if before.row is not None else None
    value = [[c, p] for c, p in rates]
    if not write_fields(session, subject.tenant_id, TAX_CLASS, code, {"rates": value}, _now()):
        return False
    record(
        session,
        action="tax.class_changed",
        tenant_id=subject.tenant_id,
        actor_id=subject.user_id,
        target=f"tax_class:{code}",
        before={"rates": old} if old is not None else None,
        after={"rates": value},
        ip=ip,
    )
    return True


def presets() -> list[Preset]:
    return list(PRESETS.values())


def preset_classes(preset: Preset, rate_percent: str | None) -> list[TaxClass]:
    """The preset's classes, with the caller's rate in place of the US placeholder."""
    given = rate_percent or "0"
    return [
        TaxClass(c.code, [(code, given if p == US_RATE else p) for code, p in c.rates])
        for c in preset.classes
    ]


def apply_preset(
    session: Session, subject: Subject, country: str, rate_percent: str | None, *, ip: str | None
) -> tuple[Preset, list[TaxClass], bool]:
    """Write the preset's tax classes and its tax inclusion into the selling rules
    (`catalog.edit` and `settings.manage`). Applying it again changes nothing. Classes the
    preset does not name are left as they are (items may still use them).

    Returns:
        The preset, its classes as written, and whether anything changed.

    Raises:
        ValidationFailed: no preset for the country (details.field "country"), the US preset
            without `rate_percent`, or a rate for a preset with fixed rates.
    """
    preset = PRESETS.get(country.upper())
    if preset is None:
        raise ValidationFailed(
            f"there is no tax preset for {country!r}: choose one of {', '.join(PRESETS)}",
            details={"field": "country", "country": country},
        )
    subject.require_at(Permission.CATALOG_EDIT, None)
    subject.require_at(Permission.SETTINGS_MANAGE, None)
    if preset.needs_rate and rate_percent is None:
        raise ValidationFailed(
            f"the {preset.country} preset needs your sales-tax rate (rate_percent, e.g. 8.875)",
            details={"field": "rate_percent"},
        )
    if not preset.needs_rate and rate_percent is not None:
        raise ValidationFailed(
            f"the {preset.country} preset has fixed rates; leave rate_percent out",
            details={"field": "rate_percent"},
        )
    classes = preset_classes(preset, rate_percent)
    changed = False
    for tax_class in classes:
        changed = _write(session, subject, tax_class.code, tax_class.rates, ip=ip) or changed
    rules = selling.current(session, subject.tenant_id)
    if rules.prices_include_tax != preset.prices_include_tax or not selling.is_saved(
        session, subject.tenant_id
    ):
        wanted = replace(rules, prices_include_tax=preset.prices_include_tax)
        selling.change(session, subject, wanted, ip=ip, why="preset_applied")
        changed = True
    session.flush()
    return preset, classes, changed


def _now() -> datetime:
    return datetime.now(UTC)
