import uuid
from typing import Annotated, Literal

from authlib.oauth2.rfc7636.challenge import CODE_VERIFIER_PATTERN
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.api.text import Text


class AuthorizeQuery(BaseModel):
    """RFC 6749 §4.1.1 with RFC 7636 §4.3; only `code` and PKCE with S256 are accepted."""

    response_type: str = Field(max_length=40, examples=["code"])
    client_id: Text = Field(max_length=64, examples=["cl_3q2-7wXkLm9aB0cD"])
    redirect_uri: str = Field(max_length=2000, examples=["https://partner.example/oauth/callback"])
    scope: str = Field(default="", max_length=500, examples=["workouts:read insights:read"])
    state: str | None = Field(default=None, max_length=500, description="Echoed back in the redirect")
    code_challenge: str | None = Field(
        default=None, max_length=128, description="BASE64URL(SHA256(code_verifier)), no padding"
    )
    code_challenge_method: str | None = Field(default=None, max_length=10, examples=["S256"])


class ConsentForm(BaseModel):
    """What the consent page posts back (not part of the partner API)."""

    consent: str = Field(max_length=4000)
    decision: Literal["approve", "deny"]
    email: Text = Field(default="", max_length=320)
    password: str = Field(default="", max_length=128)
    scope: list[Annotated[str, StringConstraints(max_length=40)]] = Field(default=[], max_length=10)


class TokenForm(BaseModel):
    """RFC 6749 §4.1.3 (with RFC 7636 §4.5) and §6, form-encoded. The client authenticates with its
    client_id and one of its API keys as the secret: HTTP Basic (client_secret_basic) or these
    fields (client_secret_post); `Authorization: Bearer pk_…` is still accepted as before."""

    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "grant_type": "authorization_code",
                    "code": "Qm9vZ3lfZXhhbXBsZV9jb2RlX3Zh8sU2xkX2xvbmc",
                    "redirect_uri": "https://coach.example/oauth/callback",
                    "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                },
                {"grant_type": "refresh_token", "refresh_token": "prt_8Qm9vZ3lfZXhhbXBsZV9yZWZyZXNo"},
            ]
        },
    )

    grant_type: str = Field(max_length=40, description="`authorization_code` or `refresh_token`")
    code: str | None = Field(default=None, max_length=200)
    redirect_uri: str | None = Field(
        default=None, max_length=2000, description="Exactly the one sent to /v1/oauth/authorize"
    )
    code_verifier: str | None = Field(
        default=None, pattern=CODE_VERIFIER_PATTERN.pattern, description="RFC 7636: 43–128 characters"
    )
    refresh_token: str | None = Field(default=None, max_length=200)
    scope: str | None = Field(
        default=None, max_length=500, description="refresh_token: fewer scopes than before, if you want"
    )
    client_id: str | None = Field(default=None, max_length=64, description="client_secret_post")
    client_secret: str | None = Field(
        default=None, max_length=200, description="client_secret_post: an API key"
    )


class TokenIssued(BaseModel):
    """RFC 6749 §5.1, with the user the token is for."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "pat_Y2FmZWJhYmVfZXhhbXBsZV9hY2Nlc3NfdG9rZW4",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "refresh_token": "prt_8Qm9vZ3lfZXhhbXBsZV9yZWZyZXNo",
                    "scope": "workouts:read insights:read",
                    "user_id": "6a1f0c2e-9d3b-4e5f-8a7b-1c2d3e4f5a6b",
                    "grant_id": "3f0b3c7e-2a41-4d6e-9b0a-5f1f0b8f2d11",
                    "scopes": ["workouts:read", "insights:read"],
                }
            ]
        }
    )

    access_token: str = Field(description="Call /v1/users/{user_id}/… with `Authorization: Bearer <it>`")
    token_type: Literal["Bearer"]
    expires_in: int = Field(description="Seconds the access token is valid")
    refresh_token: str = Field(description="Single use: each refresh answers with a new one")
    scope: str = Field(description="What the user approved, space-separated; may be fewer than you asked for")
    user_id: uuid.UUID = Field(description="The user the token acts for: the {user_id} of its calls")
    grant_id: uuid.UUID = Field(description="The user's grant, as `grant.revoked` names it")
    scopes: list[str] = Field(description="`scope` as a list, as the answer carried before 1.1")


class RevocationForm(BaseModel):
    """RFC 7009 §2.1, form-encoded; the client authenticates as on the token endpoint."""

    model_config = ConfigDict(extra="ignore")

    token: str = Field(max_length=200, description="An access or a refresh token")
    token_type_hint: str | None = Field(default=None, max_length=40, examples=["refresh_token"])
    client_id: str | None = Field(default=None, max_length=64, description="client_secret_post")
    client_secret: str | None = Field(
        default=None, max_length=200, description="client_secret_post: an API key"
    )


class OAuthError(BaseModel):
    """RFC 6749 §5.2: the error body of the token and revocation endpoints (not a problem document:
    OAuth clients parse this one)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"error": "invalid_grant", "error_description": "The authorization code has expired."}
            ]
        }
    )

    error: Literal[
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    ]
    error_description: str | None = None


class ServerMetadata(BaseModel):
    """RFC 8414 §2."""

    issuer: str = Field(examples=["https://api.posterior.example"])
    authorization_endpoint: str
    token_endpoint: str
    revocation_endpoint: str
    response_types_supported: list[str]
    grant_types_supported: list[str]
    code_challenge_methods_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint_auth_methods_supported: list[str]
    scopes_supported: list[str]
    service_documentation: str
