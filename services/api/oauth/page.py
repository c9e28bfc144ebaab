"""The consent page: plain HTML, every value escaped, not frameable, never cached."""

import html
from functools import cache
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from fastapi.responses import HTMLResponse

from services.api.oauth.service import ConsentPage

SCOPE_DESCRIPTIONS = {
    "programs:read": "See the program you follow and your next session",
    "programs:write": "Make programs for you and enroll you in them (you can edit, leave or delete them)",
    "workouts:read": "See your workouts and sets",
    "workouts:write": "Log workouts for you",
    "insights:read": "See your insights and weekly volume",
}


@cache
def _template() -> Template:
    return Template((Path(__file__).with_name("consent.html")).read_text())


def render(page: ConsentPage) -> HTMLResponse:
    consent = page.consent
    destination = urlsplit(consent.redirect_uri)
    origin = f"{destination.scheme}://{destination.netloc}"
    scopes = "\n".join(
        f'    <label><input type="checkbox" name="scope" value="{html.escape(s)}" checked> '
        f"{html.escape(SCOPE_DESCRIPTIONS.get(s, s))}</label>"
        for s in consent.scopes
    )
    body = _template().substitute(
        partner=html.escape(consent.partner_name),
        consent=html.escape(page.token),
        scopes=scopes,
        destination=html.escape(destination.netloc),
        error=f'<p class="error" role="alert">{html.escape(page.error)}</p>' if page.error else "",
    )
    headers = {
        # No framing (clickjacking), no scripts; the form may post here and its answer may
        # redirect to the partner (browsers apply form-action to the redirect as well).
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
        f"frame-ancestors 'none'; form-action 'self' {origin}",
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }
    return HTMLResponse(body, status_code=page.status, headers=headers)
