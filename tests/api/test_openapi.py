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


def test_docs_page_is_served(client):
    response = client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
