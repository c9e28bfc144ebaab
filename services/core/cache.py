"""A small per-process cache with a time to live, for reference data read on hot paths.

Only for data that changes when the seed runs at a migration (the starter programs): a process
may serve the previous value for at most `ttl_s` after it changed, which the callers document.
"""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    def __init__(self, *, ttl_s: float, max_entries: int) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()  # API endpoints run in a thread pool

    def get_or_load(self, key: K, load: Callable[[], V]) -> V:
        """The cached value, or `load()`'s (cached unless it raises). Two threads missing the same
        key both load it: harmless for reference data, and no thread waits on another's query."""
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and time.monotonic() - hit[0] <= self.ttl_s:
            return hit[1]
        value = load()
        self._store(key, value)
        return value

    def _store(self, key: K, value: V) -> None:
        with self._lock:
            self._entries.pop(key, None)  # re-inserted last: the dict stays oldest first
            # Bounded whatever keys callers make up (query strings): the oldest entry goes.
            if len(self._entries) >= self.max_entries:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = (time.monotonic(), value)
