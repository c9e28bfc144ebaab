"""The interactive API docs (Swagger UI at /docs), served entirely by the app.

FastAPI's default page loads Swagger UI from a public CDN: the docs would break offline, behind a
strict egress policy, or when that CDN has an outage, and every visit would tell a third party
who reads our docs. The assets come from the `swagger-ui-bundle-v2` package instead. ReDoc is not
served: no package ships it, and one docs page is enough.
"""

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

DOCS_URL = "/docs"
# The Swagger UI version is part of the assets' path, so an upgrade changes their URLs and a
# browser never pairs a cached old bundle with the new page.
ASSETS_URL = f"{DOCS_URL}/{swagger_ui_path.name}"

# Swagger UI asks validator.swagger.io about the spec unless told not to.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

# Swagger UI needs its inline start-up script, inline styles and data: images; everything else must
# come from this origin, so a reference to another host fails in the browser instead of leaking.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"
)


def install_docs(app: FastAPI) -> None:
    """Serves Swagger UI at /docs for the app's OpenAPI document, with same-origin assets."""
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_path), name="swagger-ui")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(app)


def _page(app: FastAPI) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} — docs",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page
