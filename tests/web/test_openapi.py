"""Property-based: schemathesis generates requests from the OpenAPI document; no 5xx, no off-schema response."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from communique.web import create_app

# What the API promises: no 5xx, and every response (errors included) is declared and matches its schema.
# Random cursors and FTS5 syntax are schema-valid strings that the API rightly refuses with a 400, so the
# check that every schema-valid request is accepted is not one of them.
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance)


def test_api_conforms_to_its_openapi_document(store):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=CHECKS)

        conforms()
