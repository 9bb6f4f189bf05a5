"""The server: the JSON API under /api and the offline dashboard, one FastAPI app (docs/api.md)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from communique.about import __version__
from communique.errors import QueryError, StoreError
from communique.web.api import router
from communique.web.reader import StoreReader

_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 422: "invalid_parameter"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none';"
       " base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(db: Path) -> FastAPI:
    """The app serving the store at `db`, read-only."""
    # No Swagger/ReDoc pages: they load their scripts from a CDN. The document is at /openapi.json.
    app = FastAPI(title="Communique", version=__version__, docs_url=None, redoc_url=None,
                  description="Verifiable event data from news: records with their evidence, consolidated "
                              "timelines, trends and claim checks.")
    app.state.reader = StoreReader(db)
    app.include_router(router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, _CODES.get(exc.status_code, "error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()]
        return _error(422, "invalid_parameter", "; ".join(parts))

    @app.exception_handler(QueryError)
    async def bad_query(_: Request, exc: QueryError) -> JSONResponse:
        return _error(400, "bad_query", str(exc))

    @app.exception_handler(StoreError)
    async def no_store(_: Request, exc: StoreError) -> JSONResponse:
        return _error(503, "store_unavailable", str(exc))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    return app
