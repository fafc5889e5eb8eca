"""Server ORM models, one module per aggregate; importing this package registers them all."""

from syncserver.models.base import Base
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
from syncserver.models.server_instance import ServerInstance

__all__ = [
    "AuditEvent",
    "AuthToken",
    "Base",
    "Device",
    "EnrollmentCode",
    "Location",
    "ModuleRow",
    "Role",
    "RolePermission",
    "ServerInstance",
    "Tenant",
    "TenantModule",
    "TenantRegistration",
    "User",
    "UserRole",
]
