"""`/v1/selling-rules`: how every till of the business prices, rounds and gives change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from shared.permissions import Permission
from syncserver.auth.deps import DbSession, client_ip
from syncserver.selling import service
from syncserver.selling.schemas import SellingRulesIn, SellingRulesOut
from syncserver.tenancy import Subject, member, require

router = APIRouter(prefix="/v1", tags=["selling"])


def _out(rules: service.Rules) -> SellingRulesOut:
    return SellingRulesOut(
        prices_include_tax=rules.prices_include_tax,
        cash_rounding_minor=rules.cash_rounding_minor,
        max_change_minor=rules.max_change_minor,
        rounding=rules.rounding,
        tax_rounding=rules.tax_rounding,
    )


@router.get("/selling-rules", response_model=SellingRulesOut)
def read_rules(session: DbSession, subject: Annotated[Subject, Depends(member)]) -> SellingRulesOut:
    """The saved rules, or the defaults before the first save."""
    return _out(service.current(session, subject.tenant_id))


@router.put("/selling-rules", response_model=SellingRulesOut)
def change_rules(
    body: SellingRulesIn,
    session: DbSession,
    subject: Annotated[Subject, Depends(require(Permission.SETTINGS_MANAGE))],
    ip: Annotated[str | None, Depends(client_ip)],
) -> SellingRulesOut:
    """Saved rules reach every till with its next sync (the `selling` document)."""
    new = service.Rules(
        body.prices_include_tax,
        body.cash_rounding_minor,
        body.max_change_minor,
        body.rounding,
        body.tax_rounding,
    )
    return _out(service.change(session, subject, new, ip=ip))
