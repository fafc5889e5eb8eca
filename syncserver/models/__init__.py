"""Server ORM models, one module per aggregate; importing this package registers them all."""

from syncserver.models.base import Base
from syncserver.models.server_instance import ServerInstance

__all__ = ["Base", "ServerInstance"]
