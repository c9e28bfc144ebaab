"""The change policy (docs/partners.md, "Versions, changes and deprecation"): the contract may break
a partner's client only with notice, so every breaking change between the last released spec
(openapi/released/<version>.json) and the current one must be announced in CHANGELOG.md."""

import json
import re
from pathlib import Path
from typing import Any

from tests.contract.compat import breaking_changes, unannounced
from tests.contract.generated_client import ROOT, SPEC

RELEASED = ROOT / "openapi" / "released"
CHANGELOG = ROOT / "CHANGELOG.md"
HOW = (
    "announce each under `### Changed` or `### Removed` of `## [Unreleased]` in CHANGELOG.md, as an "
    "entry marked **BREAKING** that names the `operationId` (or webhook event type) in backticks, "
    "once the change has gone through deprecation (docs/partners.md)"
)


def version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in path.stem.split("."))


def last_release() -> tuple[str, dict[str, Any]]:
    newest = max(RELEASED.glob("*.json"), key=version_key)
    return newest.stem, json.loads(newest.read_text())


def test_every_breaking_change_since_the_last_release_is_announced_in_the_changelog():
    version, released = last_release()
    breaks = breaking_changes(released, json.loads(SPEC.read_text()))

    missing = unannounced(breaks, CHANGELOG.read_text())

    assert missing == [], f"Breaking changes since {version}; {HOW}:\n" + "\n".join(map(str, missing))


def test_the_newest_version_in_the_changelog_is_the_last_released_spec():
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", CHANGELOG.read_text(), re.M)

    assert versions, "CHANGELOG.md names no released version"
    assert versions[0] == last_release()[0]
