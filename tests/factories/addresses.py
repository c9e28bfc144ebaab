"""Client addresses for tests of per-address limits."""

import ipaddress
import random


def an_address() -> tuple[str, int]:
    """A client address no other test or earlier run uses: counters in Redis outlive a run."""
    address = ipaddress.IPv6Address(0x2001_0DB8 << 96 | random.getrandbits(96))  # documentation range
    return str(address), 50000
