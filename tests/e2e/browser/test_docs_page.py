"""/docs in a real browser: Swagger UI, served by the app itself, renders the whole API."""

import httpx
import pytest

from tests.e2e.browser.journey import ARTIFACTS, Journey
from tests.e2e.browser.png import png_size
from tests.e2e.servers import Server

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def spec(pg_server: Server) -> dict:
    return httpx.get(f"{pg_server.base_url}/openapi.json").json()


def test_the_docs_show_the_api_s_title(journey: Journey, spec: dict):
    assert journey.docs["title"].startswith(spec["info"]["title"])


def test_the_docs_render_a_section_for_every_tag_in_the_spec_s_order(journey: Journey, spec: dict):
    assert journey.docs["tags"] == [tag["name"] for tag in spec["tags"]]


def test_each_tag_section_shows_the_tag_s_name(journey: Journey, spec: dict):
    for tag, text in zip(spec["tags"], journey.docs["tagTexts"], strict=True):
        assert text.startswith(tag["name"]), text


def test_the_docs_render_every_operation_and_every_webhook(journey: Journey, spec: dict):
    # Swagger UI renders the spec's webhooks (OpenAPI 3.1) as operations of their own section.
    items = [*spec["paths"].values(), *spec.get("webhooks", {}).values()]
    operations = [op for item in items for op in item.values()]
    assert journey.docs["operations"] == len(operations)


def test_the_docs_load_without_console_errors_or_failed_requests(journey: Journey):
    assert journey.docs["problems"] == []


def test_a_full_page_screenshot_of_the_docs_is_kept(journey: Journey):
    screenshot = ARTIFACTS / "docs.png"
    assert journey.docs["screenshot"] == str(screenshot)
    width, height = png_size(screenshot)
    assert width >= 1280
    assert height > 800  # the full page, not just the viewport
    assert screenshot.stat().st_size > 50_000
