"""The FastAPI application: JSON API, web UI and static files in one process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from storyline import __version__
from storyline.api.deps import StoreAccess
from storyline.api.errors import install_error_handlers
from storyline.api.routes import router as api_router
from storyline.api.security import SecurityMiddleware
from storyline.web.views import STATIC_DIR, error_page
from storyline.web.views import router as ui_router

SERVER_THREADS = 6


def create_app(db: str | Path, token: str | None = None) -> FastAPI:
    """An app over the database file ``db``; it only reads unless ``token`` is set (and sent)."""
    access = StoreAccess(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The threadpool runs the endpoints that scan or rank (search, lists); SQLite works outside
        # the GIL there, so a second core helps, but more threads than a few only fight over the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = SERVER_THREADS
        yield
        access.close()

    # The interactive docs pages load scripts from a CDN, which the CSP forbids: serve only the document.
    app = FastAPI(
        title="storyline",
        version=__version__,
        description="Read-only JSON API over a storyline database: articles, stories, copies, entities, search.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.access = access
    app.state.token = token
    install_error_handlers(app, error_page)
    app.include_router(api_router)
    app.include_router(ui_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityMiddleware, token=token)
    return app
