"""The API built with some settings changed, for tests that need limits or routes of their own."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI

from services.api.app import create_app
from services.core.settings import Settings


@contextmanager
def an_app(settings: Settings, **overrides: Any) -> Iterator[FastAPI]:
    """The app on `settings` with `overrides`; its database engine is disposed afterwards."""
    app = create_app(settings.model_copy(update=overrides))
    try:
        yield app
    finally:
        app.state.engine.dispose()
