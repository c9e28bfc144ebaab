"""The sync cursor (`timestamp` / `last_pulled_at`): not wall-clock time, an opaque integer.

It packs two counters: the user's `sync_version` (bumped under the user's row lock by every
write a device can pull, so versions commit in order) and the catalog revision (exercises are
shared reference data with their own counter). Both only grow, so the cursor grows
monotonically per user; a JavaScript number holds it exactly up to 9·10⁹ user versions.
"""

from dataclasses import dataclass

CATALOG_SPAN = 1_000_000  # catalog revisions a cursor can carry; the seed bumps it once per change


@dataclass(frozen=True, slots=True)
class Cursor:
    user_version: int
    catalog_revision: int

    def encode(self) -> int:
        return self.user_version * CATALOG_SPAN + self.catalog_revision


FIRST_SYNC = Cursor(user_version=0, catalog_revision=0)


def decode(value: int | None) -> Cursor:
    if value is None:
        return FIRST_SYNC
    user_version, catalog_revision = divmod(value, CATALOG_SPAN)
    return Cursor(user_version, catalog_revision)
