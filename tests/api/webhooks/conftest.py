"""Partners for the webhook tests (the API they call, `hooks_client`, is in tests/api/conftest.py)."""

import pytest

from tests.factories.partners import PartnerApp, make_partner


@pytest.fixture
def partner(engine) -> PartnerApp:
    return make_partner(engine)


@pytest.fixture
def other_partner(engine) -> PartnerApp:
    return make_partner(engine)
