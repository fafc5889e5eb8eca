"""`nova seed tenant`: a demo business built through the server's public API (re-runnable)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nova.commands._types import SubParsers

FLAGS = (
    ("--server-url", str, "the server (default: NOVA_SEED_SERVER_URL or the terminal's)"),
    ("--business-name", str, "the business registered"),
    ("--owner-name", str, "the owner's name"),
    ("--owner-email", str, "the owner's e-mail"),
    ("--owner-password", str, "the owner's password (prefer NOVA_SEED_OWNER_PASSWORD)"),
    ("--superadmin-email", str, "the superadmin who approves the registration"),
    ("--superadmin-password", str, "prefer NOVA_SEED_SUPERADMIN_PASSWORD"),
    ("--till-database", Path, "the till database to enroll and sell on"),
    ("--till-name", str, "how the back office lists the till"),
    ("--mail-dir", Path, "the server's file-mailer folder (the activation link is read there)"),
)


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "seed",
        help="build a demo business through the server's API",
        description="Seed a server through its public API.",
    )
    actions = p.add_subparsers(dest="seed_action", metavar="WHAT", required=True)
    tenant = actions.add_parser(
        "tenant",
        help="register, approve and set up a business, enroll a till, sell once",
        description="Register a business, have the superadmin approve it, activate it from the "
        "e-mailed link (the server must use the file mailer: NOVA_SERVER_MAIL_SENDER=file), "
        "sign in as the owner, set the location's address, the DE taxes, a menu with a modifier "
        "group and a cashier and a manager, enroll a till, book its opening stock, make one "
        "sale and sync it. Every step is skipped when its result is there already: a second "
        "run changes nothing and says so. Each flag has a NOVA_SEED_* variable "
        "(docs/seed.md).",
    )
    for flag, kind, text in FLAGS:
        tenant.add_argument(flag, type=kind, default=None, help=text)
    tenant.set_defaults(handler=_tenant)


def _tenant(args: argparse.Namespace) -> int:
    from desktop.net.http import ServerUnreachable
    from nova.seed.run import seed_tenant
    from nova.seed.settings import SeedSettings
    from nova.seed.tenant import SeedOptions
    from shared.errors import NovaError

    settings = SeedSettings()
    values = settings.model_dump()
    for flag, _, _ in FLAGS:
        name = flag.removeprefix("--").replace("-", "_")
        if getattr(args, name) is not None:
            values[name] = getattr(args, name)
    opts = SeedOptions(**values)
    print(f"nova seed tenant: {opts.business_name} on {opts.server_url}", flush=True)
    try:
        seeded = seed_tenant(opts, say=lambda line: print(line, flush=True))
    except ServerUnreachable as exc:
        print(f"nova seed: {opts.server_url} cannot be reached ({exc.message})", file=sys.stderr)
        return 1
    except NovaError as exc:
        print(f"nova seed: {exc.message}", file=sys.stderr)
        return 1
    if seeded.nothing_to_do:
        print("nothing to do: the business, its menu, staff, till and first sale are in place")
    else:
        print(f"done: {len(seeded.done)} steps")
    return 0
