from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.e2e.browser import journey as browser
from tests.e2e.browser.partner_site import PartnerSite, running_partner_site
from tests.e2e.servers import Server


@pytest.fixture(scope="session")
def partner_site() -> Iterator[PartnerSite]:
    with running_partner_site() as site:
        yield site


@pytest.fixture(scope="session")
def journey(
    pg_server: Server, engine: Engine, partner_site: PartnerSite, tmp_path_factory: pytest.TempPathFactory
) -> browser.Journey:
    """The browser's one run for this session (per xdist worker); each test checks one thing it saw."""
    return browser.run(pg_server, engine, partner_site, tmp_path_factory.mktemp("screenshots"))
