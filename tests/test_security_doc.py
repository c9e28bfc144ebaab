"""docs/security.md maps each OWASP API Security Top 10 (2023) risk to the tests that cover it:
every risk has its section and at least one test, and every test it names exists."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "security.md"

RISKS = {
    "API1": "Broken Object Level Authorization",
    "API2": "Broken Authentication",
    "API3": "Broken Object Property Level Authorization",
    "API4": "Unrestricted Resource Consumption",
    "API5": "Broken Function Level Authorization",
    "API6": "Unrestricted Access to Sensitive Business Flows",
    "API7": "Server Side Request Forgery",
    "API8": "Security Misconfiguration",
    "API9": "Improper Inventory Management",
    "API10": "Unsafe Consumption of APIs",
}
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def sections() -> dict[str, str]:
    """The doc's `## ` sections by heading."""
    parts = re.split(r"^## (.+)$", DOC.read_text(), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def risk_section(risk: str) -> str:
    return sections()[f"{risk}:2023 {RISKS[risk]}"]


def test_the_risks_are_the_ten_of_2023_in_order_then_the_known_gaps():
    headings = [h for h in sections() if h != "Threat model"]
    assert headings == [f"{risk}:2023 {name}" for risk, name in RISKS.items()] + ["Known gaps"]


@pytest.mark.parametrize("risk", RISKS)
def test_each_risk_names_the_tests_that_cover_it(risk):
    assert TEST_REFERENCE.findall(risk_section(risk))


@pytest.mark.parametrize(
    ("path", "name"), sorted(set(TEST_REFERENCE.findall(DOC.read_text()))), ids="::".join
)
def test_every_test_the_doc_names_exists(path, name):
    test_file = REPO / path
    assert test_file.is_file(), f"{path} does not exist"
    assert re.search(rf"^(async )?def {name}\(", test_file.read_text(), flags=re.MULTILINE), (
        f"{path} has no test {name}"
    )
