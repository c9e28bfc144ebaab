"""The load driver: `python -m bench.load < spec.json > result.json`, run in a process of its own so
that its CPU never shares an interpreter with the server or the orchestrator.

Asyncio (uvloop when installed), one task per simulated device, each over its own keep-alive
HTTP/1.1 connection, like a phone. The HTTP client is a minimal one on asyncio streams
(Content-Length and chunked bodies): httpx's connection pool costs 2-8 ms of client CPU per request
at 16-64 connections on this machine, which would make the client — not the server — the
bottleneck of every throughput ratio (bench/README.md, "The load driver").
Two shapes:

- `closed`: every device sends its next request as soon as the previous one answered — the
  server's throughput at that concurrency (requests/s);
- `open`: every device sends at a fixed rate (`rate_per_device`, starts spread over the first
  interval) — latency at a known load, the way phones arrive;
- `pipeline`: every device pushes its bodies at its start time, then polls `poll_path` until the
  answer lists an item — push → insight visible, through the worker.

Bounded by `duration_s` (after `warmup_s`, which is not recorded) and `max_requests`. Latencies are
measured from the moment a request is handed to the client to the last byte of its response.
"""

import asyncio
import json
import random
import resource
import sys
import time
from typing import Any

import httpx
import orjson

from bench import seed


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(latencies_ms: list[float], window_s: float) -> dict[str, Any]:
    return {
        "count": len(latencies_ms),
        "rps": len(latencies_ms) / window_s if window_s > 0 else None,
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "max_ms": max(latencies_ms) if latencies_ms else None,
        "mean_ms": sum(latencies_ms) / len(latencies_ms) if latencies_ms else None,
    }


class Device:
    """One simulated phone: its token and the request it repeats."""

    def __init__(self, index: int, spec: dict[str, Any], device: dict[str, Any]) -> None:
        self.index = index
        self.method = spec["method"]
        self.paths = spec["paths"]
        self.headers = {"content-type": "application/json", **device.get("headers", {})}
        self.body_kind = spec.get("body")
        self.sets_per_workout = spec.get("sets_per_workout", 24)
        self.sent = 0

    def next_request(self) -> tuple[str, bytes | None]:
        path = self.paths[self.sent % len(self.paths)]
        body = None
        if self.body_kind == "push_workout":
            # A new workout each time, as a phone syncing after a session.
            workouts, sets = seed.workout_records(
                f"d{self.index}r{self.sent}x",
                1,
                sets_per_workout=self.sets_per_workout,
                started_at=1_770_000_000_000 + self.sent * 86_400_000,
            )
            body = orjson.dumps(seed.changes(workouts, sets))
        self.sent += 1
        return path, body


class Connection:
    """One keep-alive HTTP/1.1 connection (reopened after `Connection: close` or an error)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        fields = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            payload = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            payload = b"".join(chunks)
        else:
            payload = await self.reader.read()
            fields["connection"] = "close"
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    devices = [Device(i, spec["request"], d) for i, d in enumerate(spec["devices"])]
    warmup_s, duration_s = spec.get("warmup_s", 1.0), spec["duration_s"]
    max_requests = spec.get("max_requests", 100_000)
    mode, rate = spec["mode"], spec.get("rate_per_device", 1.0)
    url = httpx.URL(spec["base_url"])
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    errors: list[str] = []
    late_ms: list[float] = []
    total = 0
    started = time.perf_counter()
    record_from = started + warmup_s
    stop_at = record_from + duration_s

    async def one(device: Device, connection: Connection) -> None:
        nonlocal total
        path, body = device.next_request()
        sent = time.perf_counter()
        payload = b""
        try:
            code, payload = await connection.request(device.method, path, device.headers, body)
            status = str(code)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            connection.close()
            status = type(exc).__name__
        done = time.perf_counter()
        total += 1
        if sent >= record_from and done <= stop_at:
            statuses[status] = statuses.get(status, 0) + 1
            if status.startswith("2"):
                latencies.append((done - sent) * 1000)
            elif len(errors) < 5:
                errors.append(f"{status} on {path}: {payload[:300]!r}")

    async def closed(device: Device) -> None:
        connection = Connection(url.host, url.port or 80)
        while time.perf_counter() < stop_at and total < max_requests:
            await one(device, connection)
        connection.close()

    async def opened(device: Device) -> None:
        connection = Connection(url.host, url.port or 80)
        interval = 1 / rate
        scheduled = started + random.Random(device.index).uniform(0, interval)
        while scheduled < stop_at and total < max_requests:
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            elif scheduled >= record_from:
                late_ms.append(-delay * 1000)
            await one(device, connection)
            scheduled += interval
        connection.close()

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*((closed if mode == "closed" else opened)(d) for d in devices))
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    window = min(time.perf_counter(), stop_at) - record_from
    cpu_s = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return summarize(latencies, window) | {
        "statuses": statuses,
        "errors": errors,
        "window_s": window,
        "devices": len(devices),
        "mode": mode,
        "sent": total,
        "client_cpu_ms_per_request": cpu_s * 1000 / total if total else None,
        "late_starts": len(late_ms),
        "max_late_ms": max(late_ms) if late_ms else 0.0,
    }


async def run_pipeline(spec: dict[str, Any]) -> dict[str, Any]:
    url = httpx.URL(spec["base_url"])
    interval, give_up = spec["poll_interval_s"], spec["give_up_s"]
    visible: list[float] = []
    pushed: list[float] = []
    failures: list[str] = []
    polls = 0
    started = time.perf_counter()

    async def device(spec_device: dict[str, Any]) -> None:
        nonlocal polls
        connection = Connection(url.host, url.port or 80)
        headers = {"content-type": "application/json", **spec_device["headers"]}
        await asyncio.sleep(max(0.0, started + spec_device["start_s"] - time.perf_counter()))
        t0 = time.perf_counter()
        for body in spec_device["bodies"]:
            status, payload = await connection.request("POST", "/v1/sync/push", headers, orjson.dumps(body))
            if status != 200:
                failures.append(f"push {status}: {payload[:300]!r}")
                return
        t1 = time.perf_counter()
        pushed.append((t1 - t0) * 1000)
        while time.perf_counter() - t0 < give_up:
            status, payload = await connection.request("GET", spec["poll_path"], headers, None)
            polls += 1
            if status == 200 and orjson.loads(payload)["items"]:
                visible.append(time.perf_counter() - t0)
                break
            await asyncio.sleep(interval)
        else:
            failures.append(f"nothing visible after {give_up} s")
        connection.close()

    await asyncio.gather(*(device(d) for d in spec["devices"]))
    summary = {k.replace("_ms", "_s"): v for k, v in summarize(visible, 1).items() if k.endswith("_ms")}
    return summary | {
        "count": len(visible),
        "push_ms": summarize(pushed, 1),
        "failures": failures[:5],
        "failed": len(failures),
        "polls": polls,
        "elapsed_s": time.perf_counter() - started,
    }


def main() -> None:
    spec = json.load(sys.stdin)
    try:
        import uvloop  # optional speed-up; the production image has it

        uvloop.install()
    except ImportError:
        pass
    runner = run_pipeline if spec["mode"] == "pipeline" else run
    json.dump(asyncio.run(runner(spec)), sys.stdout)


if __name__ == "__main__":
    main()
