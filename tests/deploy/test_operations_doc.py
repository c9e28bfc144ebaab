"""docs/operations.md covers what an operator needs, and what it names exists."""

from __future__ import annotations

import re

import pytest

from tests.deploy.conftest import REPO

OPERATIONS = REPO / "docs" / "operations.md"


def _headings() -> set[str]:
    return {h.strip() for h in re.findall(r"^#{2,3} (.+)$", OPERATIONS.read_text(), re.M)}


@pytest.mark.parametrize(
    "heading",
    [
        "Deploy",
        "Migrate",
        "Scale",
        "Secrets",
        "Rotating secrets",
        "Back up and restore PostgreSQL",
        "Reading the dashboard",
        "Alerts",
    ],
)
def test_operations_doc_has_section(heading: str) -> None:
    assert heading in _headings()


def test_operations_doc_explains_rotation_of_each_secret() -> None:
    text = OPERATIONS.read_text()
    section = text[text.index("### Rotating secrets") : text.index("## Back up and restore")]
    for secret in ("JWT secret", "Database password", "Redis password", "Webhook signing secrets"):
        assert f"**{secret}.**" in section, secret


def test_operations_doc_backs_up_with_pg_dump_and_mentions_pitr() -> None:
    text = OPERATIONS.read_text()
    assert "pg_dump --format=custom" in text
    assert "pg_restore" in text
    assert "point-in-time" in text.lower()
    assert "PITR" in text


def test_operations_doc_deploys_migrations_before_the_rollout() -> None:
    text = OPERATIONS.read_text()
    assert "migrate Job → api/worker/beat" in text
    assert "deploy/k8s/deploy.sh" in text


def test_every_repository_path_named_in_operations_doc_exists() -> None:
    paths = set(re.findall(r"`((?:deploy|docs|tests)/[\w./-]+)`", OPERATIONS.read_text()))
    assert paths
    missing = [p for p in paths if not (REPO / p.split("#")[0]).exists()]
    assert not missing, missing
