"""`/v1/tax/presets*` and `/v1/catalog/tax-classes*`: country presets and the business's tax
classes (percents as decimal strings)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.catalog.access import CatalogReader
from syncserver.tax import service
from syncserver.tax.schemas import (
    CLASS_CODE,
    LOCATION_CODE,
    AppliedOut,
    ApplyIn,
    PresetOut,
    RateIO,
    TaxClassIn,
    TaxClassOut,
)
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1", tags=["tax"])
Ip = Annotated[str | None, Depends(client_ip)]
Editor = Annotated[Subject, Depends(require(Permission.CATALOG_EDIT))]


def _rates_out(rates: service.Rates) -> list[RateIO]:
    return [RateIO(code=c, percent=p) for c, p in rates]


def _class_out(tax_class: service.TaxClass) -> TaxClassOut:
    return TaxClassOut(
        code=tax_class.code,
        rates=_rates_out(tax_class.rates),
        locations={k: _rates_out(v) for k, v in sorted(tax_class.at_locations.items())},
    )


@router.get("/tax/presets", response_model=list[PresetOut])
def list_presets(_: Annotated[Subject, Depends(member)]) -> list[PresetOut]:
    """The country presets (the US sales-tax rate shows as "0": it is given when applied)."""
    return [
        PresetOut(
            country=p.country,
            name=p.name,
            prices_include_tax=p.prices_include_tax,
            classes=[_class_out(c) for c in service.preset_classes(p, "0")],
        )
        for p in service.presets()
    ]


@router.post("/tax/presets/{country}/apply", response_model=AppliedOut)
def apply_preset(
    country: Annotated[str, Path(pattern=r"^[A-Za-z]{2}$")],
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.SETTINGS_MANAGE))],
    ip: Ip,
    body: Annotated[ApplyIn | None, Body()] = None,
) -> AppliedOut:
    """Writes the preset's tax classes and sets whether prices include tax (needs
    `catalog.edit` and `settings.manage`). With `location`, the preset's rates become that
    location's (a shop in another country) and the classes' own rates stay. Applying it again
    changes nothing."""
    rate = body.rate_percent if body is not None else None
    location = body.location if body is not None else None
    preset, classes, changed = service.apply_preset(
        session, subject, country, rate, ip=ip, location=location
    )
    return AppliedOut(
        country=preset.country,
        prices_include_tax=preset.prices_include_tax,
        classes=[_class_out(c) for c in classes],
        changed=changed,
    )


@router.get("/catalog/tax-classes", response_model=list[TaxClassOut])
def list_classes(session: DbSession, subject: CatalogReader) -> list[TaxClassOut]:
    return [_class_out(c) for c in service.list_classes(session, subject)]


@router.put("/catalog/tax-classes/{code}", response_model=TaxClassOut)
def set_class(
    code: Annotated[str, Path(pattern=CLASS_CODE)],
    body: TaxClassIn,
    session: DbSession,
    subject: Editor,
    ip: Ip,
) -> TaxClassOut:
    """Creates or changes a class; tills get it with their next sync. Sales already made keep
    the taxes they were finalized with."""
    rates = [(r.code, r.percent) for r in body.rates]
    return _class_out(service.set_class(session, subject, code, rates, ip=ip))


@router.put("/catalog/tax-classes/{code}/locations/{location_code}", response_model=TaxClassOut)
def set_location_rates(
    code: Annotated[str, Path(pattern=CLASS_CODE)],
    location_code: Annotated[str, Path(pattern=LOCATION_CODE)],
    body: TaxClassIn,
    session: DbSession,
    subject: Annotated[Subject, Depends(member)],
    ip: Ip,
) -> TaxClassOut:
    """The class's rates at one location (`catalog.edit` there); tills at that location take
    them with their next sync. Sales already made keep their taxes."""
    rates = [(r.code, r.percent) for r in body.rates]
    tax_class = service.set_location_rates(session, subject, code, location_code, rates, ip=ip)
    return _class_out(tax_class)


@router.delete("/catalog/tax-classes/{code}/locations/{location_code}", response_model=TaxClassOut)
def clear_location_rates(
    code: Annotated[str, Path(pattern=CLASS_CODE)],
    location_code: Annotated[str, Path(pattern=LOCATION_CODE)],
    session: DbSession,
    subject: Annotated[Subject, Depends(member)],
    ip: Ip,
) -> TaxClassOut:
    """The location goes back to the class's own rates (nothing happens when it had none)."""
    tax_class = service.set_location_rates(session, subject, code, location_code, None, ip=ip)
    return _class_out(tax_class)
