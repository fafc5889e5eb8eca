"""FastAPI app factory of the sync server: settings in, a fully wired app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI
from starlette.middleware.gzip import GZipMiddleware

from shared.version import __version__
from syncserver.audit.endpoints import router as audit_router
from syncserver.auth.endpoints import router as auth_router
from syncserver.auth.rate_limit import SlidingWindowLimiter
from syncserver.business.endpoints import router as business_router
from syncserver.catalog import csv_io, image_endpoints
from syncserver.catalog.endpoints import router as catalog_router
from syncserver.catalog.import_endpoints import router as catalog_csv_router
from syncserver.db import make_engine, make_sessionmaker
from syncserver.devices.endpoints import router as devices_router
from syncserver.errors import BodyLimitMiddleware, UnhandledErrorMiddleware, install_error_handlers
from syncserver.health.endpoints import router as health_router
from syncserver.inputs import checked_inputs
from syncserver.locations.endpoints import router as locations_router
from syncserver.mail import sender_for
from syncserver.observability.metrics import Metrics, MetricsMiddleware
from syncserver.observability.request_id import RequestIdMiddleware
from syncserver.openapi import install as install_openapi
from syncserver.sales.endpoints import router as sales_router
from syncserver.selling.endpoints import router as selling_router
from syncserver.settings import ServerSettings
from syncserver.staff.endpoints import router as staff_router
from syncserver.superadmin.endpoints import router as superadmin_router
from syncserver.sync.endpoints import router as sync_router
from syncserver.sync.gzip_body import GzipRequestMiddleware
from syncserver.tax.endpoints import router as tax_router
from syncserver.web.account import router as account_router
from syncserver.web.home import router as home_router
from syncserver.web.register import router as register_router
from syncserver.web.router import router as web_router


def feature_routers() -> list[APIRouter]:
    """Every feature package's router; a new feature adds one line here."""
    return [
        health_router,
        web_router,
        auth_router,
        superadmin_router,
        staff_router,
        audit_router,
        devices_router,
        sync_router,
        locations_router,
        register_router,
        account_router,
        business_router,
        selling_router,
        tax_router,
        catalog_router,
        catalog_csv_router,
        sales_router,
        image_endpoints.router,
        home_router,
    ]


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the app; the engine lives on `app.state` and is disposed at shutdown."""
    settings = settings or ServerSettings()
    engine = make_engine(
        settings.database_url, write_wait_seconds=settings.sqlite_write_wait_seconds
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Nova POS sync server",
        version=__version__,
        lifespan=lifespan,
        dependencies=[Depends(checked_inputs)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.metrics = Metrics()
    app.state.mailer = sender_for(settings)
    app.state.register_limiter = SlidingWindowLimiter(settings.register_limit_per_hour, 3600)

    install_error_handlers(app)
    for router in feature_routers():
        app.include_router(router)
    install_openapi(app)

    # add_middleware wraps: the last added runs first. Order, outermost first: request id,
    # metrics (sees the final status), unhandled errors -> 500, body limit, gzip bodies in and out.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    inflated = max(8 * settings.max_body_bytes, csv_io.MAX_BYTES)
    app.add_middleware(GzipRequestMiddleware, max_inflated_bytes=inflated)
    # A catalog CSV file is the one body allowed up to 10 MB.
    files = dict.fromkeys(csv_io.UPLOAD_PATHS, (csv_io.MAX_BYTES, csv_io.too_large))
    # So is an item's picture, up to 5 MB (it is shrunk to a tile's size on arrival).
    pictures = {image_endpoints.UPLOAD_PATH: image_endpoints.UPLOAD_LIMIT}
    app.add_middleware(
        BodyLimitMiddleware, max_bytes=settings.max_body_bytes, larger=files,
        larger_matching=pictures,
    )  # fmt: skip
    app.add_middleware(UnhandledErrorMiddleware)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestIdMiddleware)
    return app
