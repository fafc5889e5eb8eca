"""Terminal ORM models; importing this package registers them all on `Base.metadata`."""

from desktop.db.models.base import Base
from desktop.db.models.catalog import (
    Barcode,
    CatalogClock,
    Category,
    Item,
    ItemImage,
    ItemModifierGroup,
    LocationOverride,
    Modifier,
    ModifierGroup,
    TaxClassLocationRow,
    TaxRateRow,
)
from desktop.db.models.devices import LocalDevice
from desktop.db.models.inventory import (
    CountAttachment,
    CountEntry,
    CountLine,
    CountScopeItem,
    CountSession,
    StockLevel,
    StockMovement,
)
from desktop.db.models.local_meta import LocalMeta
from desktop.db.models.loyalty import Customer, LoyaltyEntry, LoyaltyKnownBalance
from desktop.db.models.outbox import AuditEntry, OutboxRecord
from desktop.db.models.printing import PrintJob
from desktop.db.models.selling import (
    CashMovement,
    ReceiptCounter,
    Shift,
    Tender,
    Ticket,
    TicketLine,
    TicketLineModifier,
    TicketLineTax,
)
from desktop.db.models.staff import Role, RolePermission, User
from desktop.db.models.sync_state import SyncIssue, SyncState

__all__ = [
    "AuditEntry",
    "Barcode",
    "Base",
    "CashMovement",
    "CatalogClock",
    "Category",
    "CountAttachment",
    "CountEntry",
    "CountLine",
    "CountScopeItem",
    "CountSession",
    "Customer",
    "Item",
    "ItemImage",
    "ItemModifierGroup",
    "LocalDevice",
    "LocalMeta",
    "LocationOverride",
    "LoyaltyEntry",
    "LoyaltyKnownBalance",
    "Modifier",
    "ModifierGroup",
    "OutboxRecord",
    "PrintJob",
    "ReceiptCounter",
    "Role",
    "RolePermission",
    "Shift",
    "StockLevel",
    "StockMovement",
    "SyncIssue",
    "SyncState",
    "TaxClassLocationRow",
    "TaxRateRow",
    "Tender",
    "Ticket",
    "TicketLine",
    "TicketLineModifier",
    "TicketLineTax",
    "User",
]
