"""`nova admin`: operator tasks on the server database (superadmin accounts)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "admin",
        help="operator tasks (superadmin accounts)",
        description="Operator tasks on the server database.",
    )
    actions = p.add_subparsers(dest="admin_action", metavar="ACTION", required=True)
    create = actions.add_parser(
        "create-superadmin",
        help="create a superadmin account",
        description="Create a superadmin. The password comes from NOVA_ADMIN_PASSWORD or is "
        "asked for interactively (never as an argument: it would land in shell history).",
    )
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--database-url", default=None, help="default: the server's setting")
    create.set_defaults(handler=_create_superadmin)
    restored = actions.add_parser(
        "restored",
        help="after restoring the server database from a backup: start a new sync epoch",
        description="Give the restored database a new sync epoch. Terminals notice it at their "
        "next sync, push again what the backup lacks (they keep their outbox) and re-read the "
        "change log from the start. Run it once, before the server takes traffic again.",
    )
    restored.add_argument("--database-url", default=None, help="default: the server's setting")
    restored.set_defaults(handler=_restored)


def create_superadmin_account(
    database_url: str, *, email: str, name: str, password: str, exist_ok: bool = False
) -> uuid.UUID | None:
    """Create a superadmin in the server database (`nova start` calls it too).

    Returns:
        The new user's id; None when `exist_ok` and the e-mail is taken (nothing written).

    Raises:
        NovaError: a weak password, or the e-mail is taken (without `exist_ok`).
    """
    from shared.errors import Conflict
    from syncserver.db import make_engine, make_sessionmaker
    from syncserver.superadmin.accounts import create_superadmin

    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            return create_superadmin(session, email=email, name=name, password=password)
    except Conflict:
        if exist_ok:
            return None
        raise
    finally:
        engine.dispose()


def _create_superadmin(args: argparse.Namespace) -> int:
    from shared.errors import NovaError
    from syncserver.settings import ServerSettings

    password = os.environ.get("NOVA_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    url = args.database_url or ServerSettings().database_url
    try:
        user_id = create_superadmin_account(
            url, email=args.email, name=args.name, password=password
        )
    except (NovaError, ValueError) as exc:
        print(f"nova admin: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 1
    print(f"superadmin {args.email} created ({user_id})")
    return 0


def _restored(args: argparse.Namespace) -> int:
    from syncserver.db import make_engine, make_sessionmaker
    from syncserver.settings import ServerSettings
    from syncserver.sync.service import new_epoch

    engine = make_engine(args.database_url or ServerSettings().database_url)
    try:
        with make_sessionmaker(engine)() as session, session.begin():
            epoch = new_epoch(session)
    finally:
        engine.dispose()
    print(f"new sync epoch {epoch}: terminals will push again what this backup lacks")
    return 0
