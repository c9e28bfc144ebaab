from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field

from services.api.text import Text

WEAK_PASSWORDS = frozenset({"password123", "1234567890", "qwertyuiop", "letmein123", "iloveyou12"})


def _not_weak(value: str) -> str:
    # Length does most of the work (NIST SP 800-63B); we also refuse one-character-class
    # passwords and the handful every cracking list starts with.
    classes = sum(
        any(test(c) for c in value)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    if value.lower() in WEAK_PASSWORDS or classes < 2 or len(set(value)) < 5:
        raise ValueError("password is too weak: use 10+ characters mixing letters with digits or symbols")
    return value


# The password policy of every password an account is given: at sign-up, change and reset.
NewPassword = Annotated[str, Field(min_length=10, max_length=128), AfterValidator(_not_weak)]
MailedToken = Annotated[
    str, Field(min_length=10, max_length=200, description="The `token` of the mailed link")
]


class RegisterIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"email": "sam@example.com", "password": "correct-horse-battery-9"}]}
    )

    email: EmailStr = Field(max_length=320)
    password: NewPassword
    timezone: str = Field(default="UTC", max_length=64)


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


class MailSent(BaseModel):
    """The answer of the forms that mail an address: the same whether it has an account or not."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"email": "sam@example.com", "detail": "Check your inbox: we sent you a link."}]
        }
    )

    email: str
    detail: str


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"email": "sam@example.com"}]})

    email: EmailStr = Field(max_length=320)


class PasswordResetConfirmIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"token": "pr_Vb1YtXo6mJ2kq9X0aZ3uR8wE5nC7pL4s", "new_password": "new-horse-battery-7"}
            ]
        }
    )

    token: MailedToken
    new_password: NewPassword


class VerifyEmailIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"token": "ve_Vb1YtXo6mJ2kq9X0aZ3uR8wE5nC7pL4s"}]}
    )

    token: MailedToken


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"current_password": "correct-horse-battery-9", "new_password": "new-horse-battery-7"}
            ]
        }
    )

    current_password: str = Field(max_length=128)
    new_password: NewPassword
