"""The server: the JSON API under /api and the offline dashboard, one FastAPI app (docs/api.md)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique.about import __version__
from communique.errors import QueryError, StoreError
from communique.web import pages
from communique.web.api import router
from communique.web.pages import error_page
from communique.web.reader import StoreReader

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 422: "invalid_parameter"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none';"
       " base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _error(request: Request, status: int, code: str, message: str) -> Response:
    if not request.url.path.startswith("/api/"):
        return error_page(request, status, message)
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(db: Path) -> FastAPI:
    """The app serving the store at `db`, read-only."""
    # No Swagger/ReDoc pages: they load their scripts from a CDN. The document is at /openapi.json.
    app = FastAPI(title="Communique", version=__version__, docs_url=None, redoc_url=None,
                  description="Verifiable event data from news: records with their evidence, consolidated "
                              "timelines, trends and claim checks.")
    app.state.reader = StoreReader(db)
    app.include_router(router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=pages.STATIC), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, _CODES.get(exc.status_code, "error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _error(request, 422, "invalid_parameter", "; ".join(parts))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error(request, 400, "bad_query", str(exc))

    @app.exception_handler(StoreError)
    async def no_store(request: Request, exc: StoreError) -> Response:
        return _error(request, 503, "store_unavailable", str(exc))

    app.add_middleware(SecurityHeaders)
    return app


class SecurityHeaders:
    """ASGI middleware adding the CSP and the other security headers to every HTTP response.

    A plain ASGI wrapper rather than `@app.middleware("http")`, whose request/response
    re-wrapping costs more per request than most of our handlers.
    """

    HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
               (b"referrer-policy", b"no-referrer")]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", ()), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)

