"""Terminal ORM models; importing this package registers them all on `Base.metadata`."""

from desktop.db.models.base import Base
from desktop.db.models.local_meta import LocalMeta

__all__ = ["Base", "LocalMeta"]
