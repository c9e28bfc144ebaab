import json
from pathlib import Path

from services.api.openapi import render

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
# The one exception to problem documents (api-conventions.md, "Errors"): OAuth clients parse the
# RFC 6749 §5.2 body of the token and revocation endpoints' own errors.
OAUTH_ERRORS = {
    (operation_id, status)
    for operation_id in ("exchange_authorization_code", "revoke_token")
    for status in ("400", "401")
}


def error_responses(spec):
    """Every documented 4xx and 5xx but the OAuth errors, as (operation, status, response)."""
    for path in spec["paths"].values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and (operation["operationId"], status) not in OAUTH_ERRORS:
                    yield operation, status, response


def test_committed_openapi_matches_the_app():
    # Regenerate with `make openapi` after changing a route or a schema.
    assert json.loads(COMMITTED.read_text()) == json.loads(render())


def test_every_operation_has_an_operation_id_a_tag_and_a_summary():
    spec = json.loads(render())
    operations = [op for path in spec["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        assert operation["operationId"]
        assert operation["tags"]
        assert operation["summary"]


def test_every_error_response_is_a_problem_document():
    for operation, status, response in error_responses(json.loads(render())):
        assert set(response["content"]) == {"application/problem+json"}, (operation["operationId"], status)


def test_the_token_and_revocation_endpoints_errors_are_rfc_6749_error_bodies():
    spec = json.loads(render())
    operations = {op["operationId"]: op for path in spec["paths"].values() for op in path.values()}
    for operation_id, status in OAUTH_ERRORS:
        content = operations[operation_id]["responses"][status]["content"]
        assert content == {"application/json": {"schema": {"$ref": "#/components/schemas/OAuthError"}}}


def test_every_limited_operation_documents_its_429_and_the_rate_limit_headers():
    spec = json.loads(render())
    for path, operations in spec["paths"].items():
        if path in {"/healthz", "/readyz"}:  # probes are never limited
            continue
        for operation in operations.values():
            too_many = operation["responses"]["429"]
            assert "Retry-After" in too_many["headers"], operation["operationId"]
            for response in operation["responses"].values():
                assert {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(
                    response["headers"]
                )


def test_every_operation_that_reads_the_database_documents_its_503_with_retry_after():
    spec = json.loads(render())
    for path, operations in spec["paths"].items():
        if path == "/healthz":  # liveness never touches the database
            continue
        for operation in operations.values():
            assert "Retry-After" in operation["responses"]["503"]["headers"], operation["operationId"]


def test_every_error_response_has_an_example_that_is_a_problem_document():
    spec = json.loads(render())
    required = set(spec["components"]["schemas"]["Problem"]["required"])
    for operation, status, response in error_responses(spec):
        example = response["content"]["application/problem+json"]["example"]
        assert required <= set(example), (operation["operationId"], status)
        assert example["status"] == int(status)


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
