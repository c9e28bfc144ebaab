"""/docs is Swagger UI served entirely by the app: no CDN, no other host.

tests/e2e/browser/ renders it in a real browser."""

import re

import pytest

ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_the_docs_page_loads_the_app_s_openapi_document(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "url: '/openapi.json'" in page.text


def test_the_docs_page_references_only_same_origin_assets(client):
    urls = asset_urls(client.get("/docs").text)
    assert len(urls) == 3  # the script, the stylesheet and the favicon
    for url in urls:
        assert url.startswith("/docs/"), url


def test_every_asset_the_docs_page_references_is_served_with_its_content_type(client):
    for url in asset_urls(client.get("/docs").text):
        asset = client.get(url)
        assert asset.status_code == 200, url
        expected = next(kind for suffix, kind in ASSET_TYPES.items() if url.endswith(suffix))
        assert asset.headers["content-type"].startswith(expected), url
        assert len(asset.content) > 500, url


def test_the_swagger_ui_version_is_part_of_the_asset_urls(client):
    # A new Swagger UI gets new URLs, so browsers never mix a cached old bundle with a new page.
    urls = asset_urls(client.get("/docs").text)
    assert all(re.match(r"/docs/swagger-ui-\d+\.\d+\.\d+/", url) for url in urls), urls


def test_the_docs_page_keeps_the_browser_on_this_origin(client):
    policy = client.get("/docs").headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_swagger_ui_does_not_send_the_spec_to_an_online_validator(client):
    assert '"validatorUrl": null' in client.get("/docs").text


@pytest.mark.parametrize("path", ["/redoc", "/docs/oauth2-redirect"])
def test_fastapi_s_cdn_backed_doc_pages_are_not_served(client, path):
    assert client.get(path).status_code == 404
