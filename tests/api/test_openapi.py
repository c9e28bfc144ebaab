import json
from pathlib import Path

from services.api.openapi import render

COMMITTED = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


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
    spec = json.loads(render())
    for path in spec["paths"].values():
        for operation in path.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert set(response["content"]) == {"application/problem+json"}, (
                        operation["operationId"],
                        status,
                    )


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
    for operations in spec["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    example = response["content"]["application/problem+json"]["example"]
                    assert required <= set(example), (operation["operationId"], status)
                    assert example["status"] == int(status)


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
