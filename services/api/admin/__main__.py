"""`python -m services.api.admin`: register partners and manage their API keys.

    partners create --name NAME --redirect-uri URI [--redirect-uri URI …] --scopes SCOPE [SCOPE …]
    keys create --partner-id ID [--scopes SCOPE …]
    keys list --partner-id ID
    keys rotate --key-id ID [--overlap-hours N]
    keys revoke --key-id ID

Keys are printed once: only their sha256 is stored.
"""

import argparse
import sys
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import TextIO

from sqlalchemy.orm import Session

from services.api.admin import service
from services.core.db import create_db_engine, create_session_factory
from services.core.errors import DomainError
from services.core.models.partners import PARTNER_SCOPES
from services.core.settings import Settings, get_settings

ONCE = "Store the API key now: it is shown only this once."


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m services.api.admin", description=__doc__.split("\n")[0])
    groups = root.add_subparsers(dest="group", required=True)

    partners = groups.add_parser("partners", help="register partners").add_subparsers(
        dest="action", required=True
    )
    create = partners.add_parser("create", help="register a partner and print its first API key")
    create.add_argument("--name", required=True)
    create.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
    create.add_argument("--scopes", nargs="+", required=True, help=f"some of: {' '.join(PARTNER_SCOPES)}")

    keys = groups.add_parser("keys", help="manage API keys").add_subparsers(dest="action", required=True)
    key_create = keys.add_parser("create", help="another key for a partner (defaults to all its scopes)")
    key_create.add_argument("--partner-id", type=uuid.UUID, required=True)
    key_create.add_argument("--scopes", nargs="+")
    key_list = keys.add_parser("list", help="a partner's keys (never the keys themselves)")
    key_list.add_argument("--partner-id", type=uuid.UUID, required=True)
    rotate = keys.add_parser("rotate", help="replace a key; the old one stops now or after an overlap")
    rotate.add_argument("--key-id", type=uuid.UUID, required=True)
    rotate.add_argument("--overlap-hours", type=float, default=0.0)
    revoke = keys.add_parser("revoke", help="stop a key now")
    revoke.add_argument("--key-id", type=uuid.UUID, required=True)
    return root


def main(
    argv: Sequence[str] | None = None, settings: Settings | None = None, out: TextIO = sys.stdout
) -> int:
    args = parser().parse_args(argv)
    engine = create_db_engine(settings or get_settings())
    try:
        with create_session_factory(engine)() as session:
            lines = _run(session, args)
    except DomainError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        for error in exc.extra.get("errors", []):
            print(f"  {error.get('field', '')}: {error['message']}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    out.write("".join(f"{line}\n" for line in lines))
    return 0


def _run(session: Session, args: argparse.Namespace) -> list[str]:
    scopes = _split(args.scopes) if getattr(args, "scopes", None) else None
    match (args.group, args.action):
        case ("partners", "create"):
            partner, issued = service.create_partner(
                session, name=args.name, redirect_uris=args.redirect_uris, scopes=scopes or []
            )
            return [f"partner_id: {partner.id}", f"client_id: {partner.client_id}", *_key_lines(issued)]
        case ("keys", "create"):
            return _key_lines(service.create_key(session, partner_id=args.partner_id, scopes=scopes))
        case ("keys", "list"):
            return [
                f"{k.id} {k.prefix}… scopes={','.join(k.scopes)} created={k.created_at:%Y-%m-%dT%H:%M:%SZ}"
                + (f" revoked_at={k.revoked_at:%Y-%m-%dT%H:%M:%SZ}" if k.revoked_at else "")
                for k in service.list_keys(session, partner_id=args.partner_id)
            ]
        case ("keys", "rotate"):
            issued = service.rotate_key(
                session, key_id=args.key_id, overlap=timedelta(hours=args.overlap_hours)
            )
            return [*_key_lines(issued), f"old key {args.key_id} stops working in {args.overlap_hours:g} h"]
        case ("keys", "revoke"):
            key = service.revoke_key(session, key_id=args.key_id)
            return [f"revoked: {key.id}"]
    raise AssertionError(args)


def _split(values: Sequence[str]) -> list[str]:
    # Accepts "--scopes a b", "--scopes a,b" and "--scopes 'a b'".
    return [s for value in values for s in value.replace(",", " ").split()]


def _key_lines(issued: service.IssuedKey) -> list[str]:
    return [
        f"key_id: {issued.key_id}",
        f"scopes: {' '.join(issued.scopes)}",
        f"api_key: {issued.api_key}",
        ONCE,
    ]


if __name__ == "__main__":
    sys.exit(main())
