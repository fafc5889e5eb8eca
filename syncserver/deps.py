"""Request dependencies: the DB session opens and commits at the edge; services only flush."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from syncserver.db import read_session, run_later_writes

READ_METHODS = frozenset({"GET", "HEAD"})


def db_session(request: Request) -> Iterator[Session]:
    """One session per request: committed when the route returns, rolled back on any error.

    GET and HEAD only read (a read-only session; see `syncserver/db.py`): on the embedded
    SQLite they never queue behind a till's push.
    """
    maker = request.app.state.sessionmaker
    session: Session = read_session(maker) if request.method in READ_METHODS else maker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
    run_later_writes(maker, session)
