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
    """RFC 6749 §4.1.3 with RFC 7636 §4.5, form-encoded; the client is authenticated by its API key."""

    model_config = ConfigDict(
        extra="ignore",  # e.g. client_id, which the API key already names
        json_schema_extra={
            "examples": [
                {
                    "grant_type": "authorization_code",
                    "code": "Qm9vZ3lfZXhhbXBsZV9jb2RlX3Zh8sU2xkX2xvbmc",
                    "redirect_uri": "https://coach.example/oauth/callback",
                    "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                }
            ]
        },
    )

    grant_type: Literal["authorization_code"]
    code: str = Field(max_length=200)
    redirect_uri: str = Field(max_length=2000, description="Exactly the one sent to /v1/oauth/authorize")
    code_verifier: str = Field(
        pattern=CODE_VERIFIER_PATTERN.pattern, description="RFC 7636: 43–128 characters"
    )


class GrantActivated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "grant_id": "3f0b3c7e-2a41-4d6e-9b0a-5f1f0b8f2d11",
                    "user_id": "6a1f0c2e-9d3b-4e5f-8a7b-1c2d3e4f5a6b",
                    "scopes": ["workouts:read", "insights:read"],
                }
            ]
        }
    )

    grant_id: uuid.UUID
    user_id: uuid.UUID = Field(description="Call /v1/users/{user_id}/… with your API key")
    scopes: list[str] = Field(description="What the user approved; may be fewer than you asked for")
