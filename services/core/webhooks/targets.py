"""Where deliveries may go (SSRF): endpoint URLs are checked when they are stored, and their hosts
resolved, checked and pinned at each delivery."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from services.core.errors import FieldError, InvalidInput


class UnsafeTarget(Exception):
    """The URL's host is or resolves to an address we never send to (SSRF)."""


@dataclass(frozen=True, slots=True)
class PinnedTarget:
    """A URL with its host replaced by the address that was checked, so the connection goes where
    the check looked (no second DNS answer in between); the name still goes in Host and TLS SNI."""

    url: str
    host_header: str
    sni_hostname: str | None


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str, *, allow_private: bool) -> str:
    """What an endpoint URL must look like: absolute https (http only where private targets are
    allowed: local development and tests), a host, no credentials, and — when the host is an
    address or `localhost` — a public one. Hostnames are resolved at each delivery."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range
    except ValueError:
        parts = None
    schemes = ("https", "http") if allow_private else ("https",)
    problem = None
    if parts is None or parts.scheme not in schemes or not parts.hostname:
        problem = "an absolute https:// URL" + (" (or http://)" if allow_private else "")
    elif parts.username is not None or parts.password is not None:
        problem = "no user or password in the URL"
    elif len(url) > 2000 or any(c.isspace() for c in url) or parts.fragment:
        problem = "at most 2000 characters, no spaces, no fragment"
    elif not allow_private and not _public_literal(parts.hostname):
        problem = "a public host: private, loopback, link-local, multicast and reserved addresses are refused"
    if problem:
        raise InvalidInput(
            f"Not a usable webhook URL: {url[:200]!r}.", [FieldError(field="url", message=problem)]
        )
    return url


def _public_literal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return is_public_address(host)
    except ValueError:
        return True  # a name: checked when it is resolved


def resolve(host: str, port: int, *, allow_private: bool) -> list[str]:
    """The host's addresses, refused as a whole if any of them is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise UnsafeTarget(f"{host} resolves to a non-public address ({refused[0]})")
    if not addresses:
        raise UnsafeTarget(f"{host} has no address")
    return addresses


def pin(url: str, *, allow_private: bool) -> PinnedTarget:
    """Checks the URL again (settings may have changed since it was stored), resolves its host and
    returns where to connect. Raises UnsafeTarget."""
    try:
        check_url(url, allow_private=allow_private)
    except InvalidInput as exc:
        raise UnsafeTarget(str(exc.extra["errors"][0]["message"])) from exc
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = resolve(host, port, allow_private=allow_private)[0]
    netloc = f"[{address}]" if ":" in address else address
    if parts.port is not None:
        netloc += f":{parts.port}"
    return PinnedTarget(
        url=urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")),
        host_header=parts.netloc,
        sni_hostname=host if parts.scheme == "https" else None,
    )
