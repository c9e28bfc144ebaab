"""Operator use cases: register a partner, and create, rotate and revoke its API keys."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from services.api.partners import keys
from services.core.errors import FieldError, InvalidInput
from services.core.models import ApiKey, Partner
from services.core.models.base import utcnow
from services.core.models.partners import PARTNER_SCOPES
from services.core.repositories import partners

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")  # as urlsplit().hostname gives them


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new key: the only moment its plain text exists outside the partner's hands."""

    key_id: uuid.UUID
    partner_id: uuid.UUID
    api_key: str
    scopes: list[str]


def create_partner(
    session: Session, *, name: str, redirect_uris: Sequence[str], scopes: Sequence[str]
) -> tuple[Partner, IssuedKey]:
    if not name.strip() or len(name) > 120:
        raise InvalidInput(
            "A partner needs a name of 1 to 120 characters.",
            [FieldError(field="name", message="1–120 characters")],
        )
    partner = Partner(
        name=name.strip(),
        client_id=keys.new_client_id(),
        redirect_uris=[_checked_redirect_uri(uri) for uri in redirect_uris],
        scopes=_checked_scopes(scopes, allowed=PARTNER_SCOPES),
    )
    session.add(partner)
    session.flush()
    issued = _issue(session, partner, partner.scopes)
    session.commit()
    return partner, issued


def create_key(session: Session, *, partner_id: uuid.UUID, scopes: Sequence[str] | None = None) -> IssuedKey:
    partner = partners.get_partner(session, partner_id)
    issued = _issue(session, partner, _checked_scopes(scopes or partner.scopes, allowed=partner.scopes))
    session.commit()
    return issued


def list_keys(session: Session, *, partner_id: uuid.UUID) -> Sequence[ApiKey]:
    partners.get_partner(session, partner_id)
    return partners.keys_of(session, partner_id)


def rotate_key(session: Session, *, key_id: uuid.UUID, overlap: timedelta = timedelta(0)) -> IssuedKey:
    """A new key with the same scopes; the old one stops working now, or after `overlap` so the
    partner can deploy the new one first."""
    old = _live_key(session, key_id)
    issued = _issue(session, partners.get_partner(session, old.partner_id), old.scopes)
    old.revoked_at = utcnow() + overlap
    session.commit()
    return issued


def revoke_key(session: Session, *, key_id: uuid.UUID) -> ApiKey:
    key = _live_key(session, key_id)
    key.revoked_at = utcnow()
    session.commit()
    return key


def _live_key(session: Session, key_id: uuid.UUID) -> ApiKey:
    key = partners.get_key(session, key_id)
    if key.revoked_at is not None and key.revoked_at <= utcnow():
        raise InvalidInput("This key is already revoked.", [FieldError(field="key_id", message="revoked")])
    return key


def _issue(session: Session, partner: Partner, scopes: Sequence[str]) -> IssuedKey:
    plain = keys.new_api_key()
    key = ApiKey(
        partner_id=partner.id,
        key_hash=keys.hash_secret(plain),
        prefix=keys.display_prefix(plain),
        scopes=list(scopes),
    )
    session.add(key)
    session.flush()
    return IssuedKey(key_id=key.id, partner_id=partner.id, api_key=plain, scopes=list(scopes))


def _checked_scopes(scopes: Sequence[str], *, allowed: Sequence[str]) -> list[str]:
    unique = list(dict.fromkeys(scopes))
    unknown = [s for s in unique if s not in allowed]
    if not unique or unknown:
        raise InvalidInput(
            f"Scopes must be some of: {', '.join(allowed)}.",
            [FieldError(field="scopes", message=f"not allowed: {s}") for s in unknown]
            or [FieldError(field="scopes", message="at least one")],
        )
    return unique


def _checked_redirect_uri(uri: str) -> str:
    """HTTPS only, except loopback for development (RFC 8252 §7.3); no fragment (RFC 6749 §3.1.2)."""
    parts = urlsplit(uri)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS)
    if not secure or not parts.netloc or parts.fragment or len(uri) > 2000 or any(c.isspace() for c in uri):
        raise InvalidInput(
            f"Not a usable redirect URI: {uri[:200]!r}.",
            [
                FieldError(
                    field="redirect_uri",
                    message="an absolute https:// URI (http:// only for loopback), no fragment",
                )
            ],
        )
    return uri
