import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from services.api.text import Text

WEAK_PASSWORDS = frozenset({"password123", "1234567890", "qwertyuiop", "letmein123", "iloveyou12"})


class RegisterIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "sam@example.com", "password": "correct-horse-battery-9"}]}
    )

    email: EmailStr = Field(max_length=320)
    password: str = Field(min_length=10, max_length=128)
    timezone: str = Field(default="UTC", max_length=64)

    @field_validator("password")
    @classmethod
    def _not_weak(cls, value: str) -> str:
        # Length does most of the work (NIST SP 800-63B); we also refuse one-character-class
        # passwords and the handful every cracking list starts with.
        classes = sum(
            any(test(c) for c in value)
            for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
        )
        if value.lower() in WEAK_PASSWORDS or classes < 2 or len(set(value)) < 5:
            raise ValueError("password is too weak: use 10+ characters mixing letters with digits or symbols")
        return value


class LoginIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "sam@example.com", "password": "correct-horse-battery-9"}]}
    )

    email: Text = Field(max_length=320)
    password: str = Field(max_length=128)


class RefreshIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"refresh_token": "rt_Vb1YtXo6mJ2kq9X0aZ3uR8wE5nC7pL4s"}]}
    )

    refresh_token: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires", examples=[900])


class RegisteredUser(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "6a1f0c2e-9d3b-4e5f-8a7b-1c2d3e4f5a6b", "email": "sam@example.com"}]
        }
    )

    id: uuid.UUID
    email: str
