"""One place that turns every failure into ``{"error": {"code", "message"}}`` or an HTML page.

API paths answer JSON; UI paths answer a page in the site's layout. Bad parameters are 400/422,
unknown ids 404, and nothing a client sends becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.errors import NotFound, StorylineError, UserError

log = logging.getLogger("storyline.api")
ErrorPage = Callable[[Request, int, str], Response]

HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 422: "invalid_parameter"}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI, error_page: ErrorPage) -> None:
    def respond(request: Request, status: int, code: str, message: str) -> Response:
        if wants_json(request):
            return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
        return error_page(request, status, message)

    async def on_http(request: Request, exc: Any) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        status = exc.status_code
        message = str(exc.detail) if status != 404 else f"nothing at {request.url.path}"
        response = respond(request, status, HTTP_CODES.get(status, f"http_{status}"), message)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation(request: Request, exc: Any) -> Response:
        assert isinstance(exc, RequestValidationError)
        return respond(request, 422, "invalid_parameter", _validation_message(exc))

    async def on_storyline(request: Request, exc: Any) -> Response:
        assert isinstance(exc, StorylineError)
        if isinstance(exc, NotFound):
            return respond(request, 404, "not_found", exc.message)
        if isinstance(exc, UserError):
            return respond(request, 400, "bad_request", exc.message)
        log.error("store error on %s: %s", request.url.path, exc)
        return respond(request, 500, "store_error", "the database could not answer; see the server log")

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return respond(request, 500, "internal_error", "unexpected server error; see the server log")

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StorylineError, on_storyline)
    app.add_exception_handler(Exception, on_unexpected)
