"""`nova server`: run the sync server under uvicorn (embedded SQLite unless told otherwise)."""

from __future__ import annotations

import argparse

from nova.commands._types import SubParsers


def register(sub: SubParsers) -> None:
    p = sub.add_parser(
        "server",
        help="run the sync server",
        description="Run the sync server. The database comes from NOVA_SERVER_DATABASE_URL "
        "(default: a SQLite file in the user data dir) and is migrated to head first unless "
        "NOVA_SERVER_AUTO_MIGRATE=false.",
    )
    p.add_argument("--host", default=None, help="interface to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="TCP port (default 8700)")
    p.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    import logging
    import signal

    import uvicorn

    from migrations.runner import upgrade_server
    from nova.commands._ports import refuse_taken_port
    from syncserver.app import create_app
    from syncserver.observability.logging import configure_logging
    from syncserver.settings import ServerSettings

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = ServerSettings(**overrides)
    refused = refuse_taken_port("server", settings.host, settings.port)
    if refused is not None:
        return refused  # before migrating, so a wrong port changes nothing
    configure_logging(settings.log_level, json_lines=settings.log_json)
    log = logging.getLogger("syncserver")
    if settings.auto_migrate:
        upgrade_server(settings.database_url)
    app = create_app(settings)
    url = f"http://{settings.host}:{settings.port}"
    log.info("Nova sync server listening on %s", url, extra={"url": url})
    print(f"Nova sync server: {url}", flush=True)
    # uvicorn drains requests on SIGTERM/SIGINT, then re-raises the signal to the handler that
    # was installed before it. A no-op handler there turns a graceful stop into exit code 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep our JSON logging
        timeout_graceful_shutdown=settings.shutdown_grace_seconds,
        access_log=False,
    )
    log.info("Nova sync server stopped")
    return 0
