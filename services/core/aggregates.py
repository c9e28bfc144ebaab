"""`python -m services.core.aggregates rebuild [--check]`: the weekly aggregates of every user.

`rebuild` builds them again from the sets, one transaction per user under the user's lock (a push
in flight waits, then keeps them). `rebuild --check` writes nothing: it compares what is stored
with a build from scratch and exits 1, listing each difference, if any user's differ (or were
built in another calendar than the user's). PostgreSQL only: embedded SQLite keeps none.
"""

import argparse
import sys
import uuid
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.core.db import create_db_engine, create_session_factory
from services.core.logs import configure_logging
from services.core.models import User
from services.core.repositories import aggregates, users
from services.core.settings import get_settings


def differences(session: Session, user: User) -> Iterator[str]:
    """What differs between the user's stored aggregates and a build from scratch, one line each."""
    if not aggregates.current(user):
        yield (
            f"{user.id}: built for {user.aggregates_zone}/{user.aggregates_week_start}, "
            f"the user's calendar is {user.timezone}/{user.week_start}"
        )
        return
    stored, fresh = aggregates.stored(session, user_id=user.id), aggregates.from_scratch(session, user)
    for key in sorted(stored.keys() | fresh.keys()):
        if stored.get(key) != fresh.get(key):
            yield f"{user.id} {key.week_start} {key.exercise_id}: stored {stored.get(key)}, from the sets {fresh.get(key)}"


def rebuild_all(factory: sessionmaker[Session], *, check: bool) -> list[str]:
    """Rebuilds (or, with `check`, compares) every user's aggregates; returns the differences found."""
    with factory() as session:
        user_ids: list[uuid.UUID] = list(session.scalars(select(User.id).order_by(User.id)))
    found: list[str] = []
    for user_id in user_ids:
        with factory.begin() as session:
            user = users.lock_for_sync(session, user_id)
            if check:
                found += differences(session, user)
            else:
                aggregates.rebuild(session, user)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.core.aggregates")
    commands = parser.add_subparsers(dest="command", required=True)
    rebuild = commands.add_parser("rebuild", help="build every user's weekly aggregates from their sets")
    rebuild.add_argument(
        "--check", action="store_true", help="compare with a build from scratch; write nothing"
    )
    args = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.log_level, settings.environment)
    engine = create_db_engine(settings)
    if engine.dialect.name != "postgresql":
        print("weekly aggregates are kept on PostgreSQL only; nothing to do", file=sys.stderr)
        return 0
    found = rebuild_all(create_session_factory(engine), check=args.check)
    for line in found:
        print(line)
    engine.dispose()
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
