"""Tax classes (catalog documents `cat.tax_class`, written as server edits so tills take them
through the catalog channel) and applying a country preset (audited).

A class is named by its code; its field `rates` is `[[rate code, percent text], ...]`. Changing
a rate never touches a finished sale: tills store each line's per-rate taxes at finalize, and
the server keeps what they pushed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.catalog_sync import tax_class_location_id
from shared.errors import NotFound, ValidationFailed
from shared.permissions import Permission
from syncserver.audit.service import record
from syncserver.catalog.merge import load, write_fields
from syncserver.models import CatalogDocument, Location
from syncserver.selling import service as selling
from syncserver.tax.presets import PRESETS, US_RATE, Preset
from syncserver.tenancy import Subject, tenant_scoped

TAX_CLASS = "cat.tax_class"
AT_LOCATION = "cat.tax_class_location"  # id "CLASS@LOCATION": the class's rates at one shop
Rates = list[tuple[str, str]]  # (rate code, percent text)


@dataclass(frozen=True)
class TaxClass:
    code: str
    rates: Rates
    # location code -> the class's rates there, where they differ (a shop in another region)
    at_locations: dict[str, Rates] = field(default_factory=dict)


def list_classes(session: Session, subject: Subject) -> list[TaxClass]:
    rows = session.scalars(
        tenant_scoped(select(CatalogDocument), CatalogDocument, subject)
        .where(CatalogDocument.entity.in_((TAX_CLASS, AT_LOCATION)))
        .order_by(CatalogDocument.entity_id)
    )
    classes: dict[str, TaxClass] = {}
    elsewhere: list[tuple[str, str, Rates | None]] = []
    for row in rows:
        fields = json.loads(row.fields)
        if row.entity == TAX_CLASS:
            classes[row.entity_id] = TaxClass(row.entity_id, _rates(fields) or [])
        else:
            code, _, location_code = row.entity_id.partition("@")
            elsewhere.append((code, location_code, _rates(fields)))
    for code, location_code, rates in elsewhere:
        if code in classes and rates is not None:
            classes[code].at_locations[location_code] = rates
    return list(classes.values())


def _rates(fields: dict[str, list[object]]) -> Rates | None:
    value = fields.get("rates", [None])[0]
    return [(str(r[0]), str(r[1])) for r in value] if isinstance(value, list) else None


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


def set_location_rates(
    session: Session, subject: Subject, code: str, location_code: str, rates: Rates | None,
    *, ip: str | None,
) -> TaxClass:  # fmt: skip
    """The class's rates at one location (`catalog.edit` there); None goes back to the class's
    own rates. The same rates again change nothing; tills at that location take them with
    their next sync, tills elsewhere keep theirs.

    Raises:
        NotFound: no such class (details.field "code") or location ("location").
        ValidationFailed: two rates share a code.
    """
    location = session.scalar(
        tenant_scoped(select(Location), Location, subject).where(Location.code == location_code)
    )
    if location is None:
        raise NotFound(
            f"there is no location {location_code!r}",
            details={"field": "location", "location": location_code},
        )
    subject.require_at(Permission.CATALOG_EDIT, location.id)
    if not class_exists(session, subject, code):
        raise NotFound(f"there is no tax class {code!r}", details={"field": "code", "code": code})
    if rates is not None and len({r[0] for r in rates}) != len(rates):
        raise ValidationFailed(
            "each rate of a class needs its own code", details={"field": "rates"}
        )
    entity_id = tax_class_location_id(code, location_code)
    before = load(session, subject.tenant_id, AT_LOCATION, entity_id)
    old = _rates(before.fields) if before.row is not None else None
    value = None if rates is None else [[c, p] for c, p in rates]
    if write_fields(session, subject.tenant_id, AT_LOCATION, entity_id, {"rates": value}, _now()):
        record(
            session,
            action="tax.location_rates_changed",
            tenant_id=subject.tenant_id,
            actor_id=subject.user_id,
            target=f"tax_class:{code}@{location_code}",
            before={"rates": old},
            after={"rates": value},
            ip=ip,
        )
    return next(c for c in list_classes(session, subject) if c.code == code)


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
    session: Session, subject: Subject, country: str, rate_percent: str | None, *,
    ip: str | None, location: str | None = None,
) -> tuple[Preset, list[TaxClass], bool]:  # fmt: skip
    """Write the preset's tax classes and its tax inclusion into the selling rules
    (`catalog.edit` and `settings.manage`). Applying it again changes nothing. Classes the
    preset does not name are left as they are (items may still use them).

    With `location`, the preset's rates become that location's rates of each class (a class
    the business lacks is created with them); the classes' own rates and the other locations'
    stay. Whether prices include tax is the business's, so a location preset must agree.

    Returns:
        The preset, its classes as written, and whether anything changed.

    Raises:
        ValidationFailed: no preset for the country (details.field "country"), the US preset
            without `rate_percent`, a rate for a preset with fixed rates, or a location preset
            whose tax inclusion differs from the business's (details.field "country").
        NotFound: no such location (details.field "location").
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
    if location is not None:
        return preset, *_apply_at(session, subject, preset, classes, location, ip=ip)
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


def _apply_at(
    session: Session, subject: Subject, preset: Preset, classes: list[TaxClass], location: str,
    *, ip: str | None,
) -> tuple[list[TaxClass], bool]:  # fmt: skip
    rules = selling.current(session, subject.tenant_id)
    if rules.prices_include_tax != preset.prices_include_tax:
        how = "include" if rules.prices_include_tax else "exclude"
        raise ValidationFailed(
            f"your prices {how} tax for the whole business, the {preset.country} preset does "
            "not: set this location's rates by hand",
            details={"field": "country", "country": preset.country},
        )
    known = {c.code: c for c in list_classes(session, subject)}
    changed = False
    for tax_class in classes:
        if tax_class.code not in known:
            changed = _write(session, subject, tax_class.code, tax_class.rates, ip=ip) or changed
        elif known[tax_class.code].at_locations.get(location) == tax_class.rates:
            continue
        else:
            changed = True
        set_location_rates(session, subject, tax_class.code, location, tax_class.rates, ip=ip)
    session.flush()
    return [
        c for c in list_classes(session, subject) if c.code in {t.code for t in classes}
    ], changed


def _now() -> datetime:
    return datetime.now(UTC)
