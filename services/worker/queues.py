"""The broker's queues (Redis lists of the same names), apart from the Celery app so that the
tests and the manifests' checks can name them without creating it.

- `interactive`: work someone is waiting for — the recompute after a push, webhook fan-outs and
  deliveries — and beat's short scans that feed them (outbox relay and sweep, due webhook retries,
  measurements). The default queue.
- `bulk`: work nobody waits for — the weekly fan-out with the ~1 M recomputes it queues, and
  maintenance. However deep it gets, nothing interactive is queued behind it.

A worker started without `--queues` consumes both; kombu's Redis transport then polls them in
turn (the queue a message just came from goes last), so with one message prefetched per process
an interactive task waits for at most one bulk task, however long the bulk queue.
"""

INTERACTIVE = "interactive"
BULK = "bulk"
ALL = (INTERACTIVE, BULK)
