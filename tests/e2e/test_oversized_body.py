"""A phone's HTTP stack that sends the whole body before reading the answer (Python's urllib, many
mobile stacks) must receive the 413 problem for a body over the limit, not a connection reset."""

import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

LIMIT = 4 * 1024 * 1024


@pytest.mark.parametrize("size", [LIMIT + 1, 3 * LIMIT], ids=["just-over", "three-times"])
def test_a_client_that_sends_the_whole_body_first_receives_the_413_problem(embedded_server, size):
    headers = login(embedded_server.base_url) | {"Content-Type": "application/json"}
    body = b'{"changes": {"notes": "' + b"x" * (size - 25) + b'"}}'
    request = urllib.request.Request(
        f"{embedded_server.base_url}/v1/sync/push", data=body, headers=headers, method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert refused.value.headers["Content-Type"] == "application/problem+json"
    assert json.loads(refused.value.read())["type"] == "/problems/payload-too-large"


def test_a_chunked_body_over_the_limit_receives_the_413_problem_too(embedded_server):
    # No Content-Length: the limit is found while reading, and the rest is still read first.
    headers = login(embedded_server.base_url) | {"Content-Type": "application/json"}
    chunks = (b"x" * 65536 for _ in range(2 * LIMIT // 65536))
    request = urllib.request.Request(
        f"{embedded_server.base_url}/v1/sync/push",
        data=chunks,
        headers=headers | {"Transfer-Encoding": "chunked"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 413
    assert json.loads(refused.value.read())["type"] == "/problems/payload-too-large"
