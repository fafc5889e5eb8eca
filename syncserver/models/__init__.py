"""Server ORM models, one module per aggregate; importing this package registers them all."""

from syncserver.models.base import Base
from syncserver.models.business import BusinessSettings
from syncserver.models.catalog import CatalogConflict, CatalogDocument, CatalogKey, ItemImage
from syncserver.models.devices import Device, EnrollmentCode
from syncserver.models.identity import (
    AuditEvent,
    AuthToken,
    Location,
    ModuleRow,
    Role,
    RolePermission,
    Tenant,
    TenantModule,
    TenantRegistration,
    User,
    UserRole,
)
from syncserver.models.selling import SellingRules
from syncserver.models.server_instance import ServerInstance
from syncserver.models.sync import (
    ChangeCounter,
    ChangeLogEntry,
    Sale,
    SaleLine,
    SalePayment,
    SaleTax,
    ServerCustomer,
    ServerLoyaltyEntry,
    ServerStockMovement,
    SyncDocument,
    SyncMutation,
    SyncQuarantine,
    SyncReplica,
)

__all__ = [
    "AuditEvent",
    "AuthToken",
    "Base",
    "BusinessSettings",
    "CatalogConflict",
    "CatalogDocument",
    "CatalogKey",
    "ChangeCounter",
    "ChangeLogEntry",
    "Device",
    "EnrollmentCode",
    "ItemImage",
    "Location",
    "ModuleRow",
    "Role",
    "RolePermission",
    "Sale",
    "SaleLine",
    "SalePayment",
    "SaleTax",
    "SellingRules",
    "ServerCustomer",
    "ServerInstance",
    "ServerLoyaltyEntry",
    "ServerStockMovement",
    "SyncDocument",
    "SyncMutation",
    "SyncQuarantine",
    "SyncReplica",
    "Tenant",
    "TenantModule",
    "TenantRegistration",
    "User",
    "UserRole",
]
