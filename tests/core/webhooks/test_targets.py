"""Where deliveries may go (SSRF): never to private, loopback, link-local, multicast or reserved
addresses — as literals or as what a name resolves to — unless the setting allows it (tests)."""

import socket

import pytest

from services.core.errors import InvalidInput
from services.core.webhooks import targets

REFUSED_LITERALS = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "2002:7f00:1::",  # 6to4 around 127.0.0.1
]


@pytest.mark.parametrize("address", REFUSED_LITERALS)
def test_non_public_addresses_are_not_public(address):
    assert not targets.is_public_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"])
def test_public_addresses_are_public(address):
    assert targets.is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]:8443/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
    ],
)
def test_endpoint_urls_on_non_public_hosts_are_refused(url):
    with pytest.raises(InvalidInput) as refused:
        targets.check_url(url, allow_private=False)
    assert refused.value.extra["errors"][0]["field"] == "url"


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.com/hook",  # plain http
        "ftp://partner.example.com/hook",
        "https://user:pass@partner.example.com/hook",
        "https:///hook",
        "https://partner.example.com/hook#frag",
        "https://partner.example.com:99999/hook",
        "partner.example.com/hook",
    ],
)
def test_malformed_or_insecure_urls_are_refused(url):
    with pytest.raises(InvalidInput):
        targets.check_url(url, allow_private=False)


def test_public_https_urls_are_accepted_without_a_lookup(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_lookup)
    assert targets.check_url("https://partner.example.com/hook?x=1", allow_private=False)
    assert targets.check_url("https://8.8.8.8/hook", allow_private=False)


def test_loopback_http_is_accepted_where_private_targets_are_allowed():
    assert targets.check_url("http://127.0.0.1:8080/hook", allow_private=True)


def test_a_name_that_resolves_to_loopback_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", _resolving({"rebind.example.com": ["93.184.216.34", "127.0.0.1"]})
    )
    with pytest.raises(targets.UnsafeTarget, match="non-public address"):
        targets.pin("https://rebind.example.com/hook", allow_private=False)


def test_localhost_resolves_to_loopback_and_is_refused():
    with pytest.raises(targets.UnsafeTarget):
        targets.resolve("localhost", 443, allow_private=False)


def test_a_name_that_resolves_to_loopback_is_allowed_where_private_targets_are(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolving({"receiver.test": ["127.0.0.1"]}))
    target = targets.pin("http://receiver.test:8080/hook?a=1", allow_private=True)
    assert target.url == "http://127.0.0.1:8080/hook?a=1"
    assert target.host_header == "receiver.test:8080"
    assert target.sni_hostname is None


def test_a_pinned_https_target_connects_to_the_checked_address_and_keeps_the_name_for_tls(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolving({"partner.example.com": ["2001:4860:4860::8888"]}))
    target = targets.pin("https://partner.example.com/hooks/posterior", allow_private=False)
    assert target.url == "https://[2001:4860:4860::8888]/hooks/posterior"
    assert target.host_header == "partner.example.com"
    assert target.sni_hostname == "partner.example.com"


def test_a_stored_url_is_checked_again_at_delivery(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_lookup)
    with pytest.raises(targets.UnsafeTarget):
        targets.pin("http://127.0.0.1:9/hook", allow_private=False)


def test_an_unresolvable_name_is_an_unsafe_target(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolving({}))
    with pytest.raises(targets.UnsafeTarget, match="cannot resolve"):
        targets.pin("https://nowhere.example.com/hook", allow_private=False)


def _no_lookup(*_args, **_kwargs):
    raise AssertionError("no DNS lookup expected")


def _resolving(names: dict[str, list[str]]):
    def getaddrinfo(host, port, *args, **kwargs):
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in names[host]
        ]

    return getaddrinfo
