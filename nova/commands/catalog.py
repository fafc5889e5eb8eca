"""`nova catalog import FILE [--dry-run]` / `nova catalog export [FILE]`: the catalog CSV file
(docs/catalog-csv.md) sent to or fetched from the server's public API; `nova catalog image SKU
FILE` (or `--remove`): an item's tile picture. Signed in as a person with catalog.edit (like
`nova seed tenant`, flags or NOVA_CATALOG_* variables)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from nova.commands._types import SubParsers

ERRORS_PRINTED = 50  # the rest are counted: fix these first


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "catalog",
        help="import or export the catalog as a CSV file",
        description="Import or export the server's catalog as CSV (docs/catalog-csv.md). Signs "
        "in with --email (or NOVA_CATALOG_EMAIL) and the password in NOVA_CATALOG_PASSWORD "
        "(asked for when not set).",
    )
    actions = p.add_subparsers(dest="catalog_action", metavar="WHAT", required=True)
    imp = actions.add_parser(
        "import",
        help="import items from a CSV file (all rows, or none when one is refused)",
        description="Show what the file creates, changes and refuses, then import it in one "
        "go: a refused row means nothing is imported. Keyed by SKU: importing the same file "
        "again changes nothing.",
    )
    imp.add_argument("file", type=Path, help="the CSV file")
    imp.add_argument("--dry-run", action="store_true", help="only show what would happen")
    exp = actions.add_parser("export", help="write every item to a CSV file")
    exp.add_argument("file", type=Path, nargs="?", help="where to write it (default: stdout)")
    img = actions.add_parser(
        "image",
        help="set (or --remove) an item's tile picture",
        description="Send a PNG, JPEG or WebP file (up to 5 MB) as the picture on the item's "
        "tile; the server shrinks it to 256 px and every till shows it after its next sync. "
        "For many items, run it once per file (e.g. in a shell loop over SKU.jpg files).",
    )
    img.add_argument("sku", help="the item's SKU")
    img.add_argument("file", type=Path, nargs="?", help="the picture file")
    img.add_argument("--remove", action="store_true", help="take the item's picture away")
    for parser in (imp, exp, img):
        parser.add_argument("--server-url", default=None, help="the server "
                            "(default: NOVA_CATALOG_SERVER_URL or the terminal's)")  # fmt: skip
        parser.add_argument("--email", default=None, help="who signs in (NOVA_CATALOG_EMAIL)")
    imp.set_defaults(handler=_import)
    exp.set_defaults(handler=_export)
    img.set_defaults(handler=_image)


def _server_url(args: argparse.Namespace) -> str:
    return str(
        args.server_url
        or os.environ.get("NOVA_CATALOG_SERVER_URL")
        or os.environ.get("NOVA_TERMINAL_SERVER_URL", "http://127.0.0.1:8700")
    ).rstrip("/")


def _sign_in(client: Any, args: argparse.Namespace) -> dict[str, str]:
    """The bearer header of the person named by --email / NOVA_CATALOG_EMAIL.

    Raises:
        ValidationFailed: no e-mail given.
        AuthnError: the server refused the sign-in.
    """
    from shared.errors import ValidationFailed

    email = args.email or os.environ.get("NOVA_CATALOG_EMAIL")
    if not email:
        raise ValidationFailed("say who signs in: --email or NOVA_CATALOG_EMAIL")
    password = os.environ.get("NOVA_CATALOG_PASSWORD") or getpass.getpass(f"password of {email}: ")
    signed = client.post_json("/v1/auth/login", {"email": email, "password": password})
    return {"Authorization": f"Bearer {signed['token']}"}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def describe(answer: dict[str, Any], *, done: bool) -> list[str]:
    """A preview or import answer in plain words, one line each (row errors after the counts)."""
    create, change = int(answer["create"]), int(answer["change"])
    unchanged, refused = int(answer["unchanged"]), int(answer["refused"])
    verb = "" if done else "would be "
    lines = [
        f"{_plural(create, 'item', 'items')} {verb}created, {change} {verb}changed, "
        f"{unchanged} already as in the file, {refused} refused"
    ]
    for e in answer.get("errors", [])[:ERRORS_PRINTED]:
        where = f"row {e['row']}" + (f", {e['column']}" if e["column"] else "")
        lines.append(f"  {where}: {e['reason']}")
    more = int(answer.get("errors_total", 0)) - min(ERRORS_PRINTED, len(answer.get("errors", [])))
    if more > 0:
        lines.append(f"  … and {_plural(more, 'more problem', 'more problems')}")
    return lines


def _import(args: argparse.Namespace) -> int:
    from desktop.net.http import ServerClient, ServerUnreachable
    from shared.errors import NovaError, ValidationFailed

    path: Path = args.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"nova catalog: {path} cannot be read ({exc.strerror})", file=sys.stderr)
        return 1
    url = _server_url(args)
    client = ServerClient(url, timeout=300.0)
    headers = {"Content-Type": "text/csv"}
    try:
        headers.update(_sign_in(client, args))
        preview = client.request("POST", "/v1/catalog/import/preview", content=data,
                                 headers=headers).json()  # fmt: skip
        print(f"{path}:")
        for line in describe(preview, done=False):
            print(line)
        if preview["refused"]:
            print("nothing was imported: fix the rows above and import the file again")
            return 1
        if args.dry_run:
            print("nothing was written (--dry-run)")
            return 0
        if not preview["create"] and not preview["change"]:
            print("nothing to import: every item is already as in the file")
            return 0
        done = client.request("POST", "/v1/catalog/import", content=data, headers=headers)
        print("imported: " + describe(done.json(), done=True)[0])
        return 0
    except ServerUnreachable:
        print(f"nova catalog: the server at {url} cannot be reached", file=sys.stderr)
        return 1
    except ValidationFailed as exc:
        print(f"nova catalog: {exc.message}", file=sys.stderr)
        if "errors" in exc.details:  # rows refused between the preview and the import
            for line in describe(exc.details, done=False)[1:]:
                print(line, file=sys.stderr)
        return 1
    except NovaError as exc:
        print(f"nova catalog: {exc.message}", file=sys.stderr)
        return 1
    finally:
        client.close()


def _export(args: argparse.Namespace) -> int:
    from desktop.net.http import ServerClient, ServerUnreachable
    from shared.errors import NovaError

    url = _server_url(args)
    client = ServerClient(url, timeout=300.0)
    try:
        data = client.request("GET", "/v1/catalog/export", headers=_sign_in(client, args)).content
    except ServerUnreachable:
        print(f"nova catalog: the server at {url} cannot be reached", file=sys.stderr)
        return 1
    except NovaError as exc:
        print(f"nova catalog: {exc.message}", file=sys.stderr)
        return 1
    finally:
        client.close()
    if args.file is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    args.file.write_bytes(data)
    rows = max(0, data.count(b"\n") - 1)
    print(f"{_plural(rows, 'item', 'items')} written to {args.file}", file=sys.stderr)
    return 0


def _image(args: argparse.Namespace) -> int:
    from desktop.net.http import ServerClient, ServerUnreachable
    from desktop.office.pictures import read_picture
    from shared.errors import NovaError

    if args.remove == (args.file is not None):
        print("nova catalog image: give a picture file, or --remove (not both)", file=sys.stderr)
        return 2
    url = _server_url(args)
    client = ServerClient(url, timeout=60.0)
    try:
        data, kind = (b"", "") if args.remove else read_picture(str(args.file))
        headers = _sign_in(client, args)
        items = client.request("GET", "/v1/catalog/items", headers=headers).json()
        found = [i for i in items if i["sku"] == args.sku]
        if not found:
            print(f"nova catalog image: there is no item with SKU {args.sku!r}", file=sys.stderr)
            return 1
        path = f"/v1/catalog/items/{found[0]['id']}/image"
        if args.remove:
            client.request("DELETE", path, headers=headers)
            print(f"{args.sku}: picture removed")
            return 0
        answer = client.request(
            "PUT", path, headers={**headers, "Content-Type": kind}, content=data
        ).json()
        print(f"{args.sku}: picture set ({answer['width']}×{answer['height']}, "
              f"{answer['bytes']} bytes, {answer['sha256'][:12]}…)")  # fmt: skip
        return 0
    except ServerUnreachable:
        print(f"nova catalog: the server at {url} cannot be reached", file=sys.stderr)
        return 1
    except NovaError as exc:
        print(f"nova catalog image: {exc.message}", file=sys.stderr)
        return 1
    finally:
        client.close()
