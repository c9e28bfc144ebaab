"""The sync cursor (`timestamp` / `last_pulled_at`): not wall-clock time, an opaque integer.

It packs two counters: the user's `sync_version` (bumped under the user's row lock by every
write a device can pull, so versions commit in order; every changed row gets a version of its
own) and the catalog revision (exercises are shared reference data with their own counter, one
revision per changed exercise). A cursor names the last row delivered in each, so a paged pull
resumes exactly after it. Both only grow, so the cursor grows monotonically per user; a
JavaScript number holds it exactly up to 9·10⁹ user versions.

The encoding adds one so that no cursor is 0 (WatermelonDB refuses a 0 timestamp) without
special-casing any position: the empty account with an empty catalog is cursor 1.
"""

from dataclasses import dataclass

CATALOG_SPAN = 1_000_000  # catalog revisions a cursor can carry: one per changed exercise


@dataclass(frozen=True, slots=True)
class Cursor:
    user_version: int
    catalog_revision: int

    def encode(self) -> int:
        return self.user_version * CATALOG_SPAN + self.catalog_revision + 1


# Nothing delivered yet. A pull from here with `last_pulled_at` present still sends tombstones:
# only the very first sync (`last_pulled_at` absent) may leave them out.
START = Cursor(user_version=0, catalog_revision=0)


def decode(value: int | None) -> Cursor:
    if not value:
        return START
    user_version, catalog_revision = divmod(value - 1, CATALOG_SPAN)
    return Cursor(user_version, catalog_revision)
