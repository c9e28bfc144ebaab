"""`python -m bench` (`make bench`): runs every benchmark against a throwaway database, a Redis index
of its own and a production-mode API, prints one table (every ratio with its target) and writes
bench/results/latest.json. See bench/README.md."""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import batch, pipeline, pull, push, reads, stack
from bench.common import RESULTS, Context, Row, loadavg
from bench.experiments import ENV as EXPERIMENTS_ENV
from bench.experiments import EXPERIMENTS

# In this order: memory first, on API processes that have served nothing but /healthz (the worst
# case: no arena grown by an earlier request); the batch seeds the users the reads are measured with.
BENCHMARKS: dict[str, Callable[[Context], None]] = {
    "memory": pull.pull_memory,
    "firstsync": pull.first_sync,
    "push": push.push_throughput,
    "latency": push.push_latency,
    "pull": pull.pull_throughput,
    "pipeline": pipeline.push_to_insight,
    "batch": batch.weekly_batch,
    "reads": reads.read_endpoints,
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and users (a smoke run)")
    parser.add_argument("--profile", action="store_true", help="py-spy the processes under test")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--experiment",
        default="",
        help=f"apply proposed changes first (bench/experiments.py): comma-separated of {','.join(EXPERIMENTS)}",
    )
    parser.add_argument(
        "--output", type=Path, help="default: bench/results/latest.json (or experiment-*.json)"
    )
    return parser.parse_args(argv)


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit in ("ms", "s", "MB") or abs(value) < 10:
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}"
    return f"{value:,.0f}"


def table(rows: list[Row]) -> str:
    header = ("benchmark", "measured", "baseline", "ratio", "target", "met")
    lines = [
        (
            row.name,
            f"{fmt(row.value, row.unit)} {row.unit}",
            fmt(row.baseline, row.unit),
            fmt(row.ratio) if row.ratio is not None else "-",
            row.target
            if row.target == "info"
            else f"{row.target}{'' if row.ratio is not None else ' ' + row.unit}",
            {True: "yes", False: "NO", None: "-"}[row.met],
        )
        for row in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]

    def render(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([render(header), rule, *(render(line) for line in lines)])


def source_revision() -> dict[str, object]:
    """The commit measured and the files that differed from it (read-only git commands)."""

    def git(*argv: str) -> str:
        try:
            return subprocess.run(
                ["git", *argv], cwd=stack.ROOT, capture_output=True, text=True, timeout=10
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            return ""

    return {"commit": git("rev-parse", "HEAD").strip(), "changed": git("status", "--porcelain").splitlines()}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    chosen = list(BENCHMARKS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        sys.exit(f"unknown benchmarks: {sorted(unknown)}")
    experiments = [e for e in args.experiment.split(",") if e]
    if set(experiments) - set(EXPERIMENTS):
        sys.exit(f"unknown experiments: {sorted(set(experiments) - set(EXPERIMENTS))}")
    output = args.output or RESULTS / (
        f"experiment-{'+'.join(experiments)}.json" if experiments else "latest.json"
    )
    started = time.perf_counter()
    load_before = loadavg()
    failures: dict[str, str] = {}
    with (
        stack.throwaway_database() as database_url,
        stack.redis_index() as redis_url,
        tempfile.TemporaryDirectory(prefix="posterior-bench-") as tmp,
    ):
        workdir = Path(tmp)
        env = stack.production_env(database_url, redis_url)
        if experiments:
            env[EXPERIMENTS_ENV] = ",".join(experiments)
            print(f"experiments (proposed changes applied at runtime): {', '.join(experiments)}", flush=True)
        api = stack.start_api(env, workdir)
        ctx = Context(database_url, redis_url, api, workdir, env, quick=args.quick, profile=args.profile)
        try:
            for name in BENCHMARKS:
                if name not in chosen:
                    continue
                print(f"[{time.perf_counter() - started:6.1f} s] {name} …", flush=True)
                try:
                    BENCHMARKS[name](ctx)
                except Exception as exc:
                    failures[name] = "".join(traceback.format_exception(exc))[-4000:]
                    print(f"  FAILED: {exc!r}\n{api.log(2000)}", flush=True)
                for row in ctx.rows:
                    if row.key not in ctx.notes.setdefault("_printed", []):
                        ctx.notes["_printed"].append(row.key)
                        print(
                            f"  {row.name}: {fmt(row.value, row.unit)} {row.unit}"
                            + (f" (ratio {fmt(row.ratio)})" if row.ratio is not None else ""),
                            flush=True,
                        )
        finally:
            api.stop()
    elapsed = time.perf_counter() - started
    print()
    print(table(ctx.rows))
    for name in failures:
        print(f"\nbenchmark {name!r} FAILED:\n{failures[name]}")
    print(f"\n{len(ctx.rows)} rows, {elapsed:.0f} s; load average before {load_before}, after {loadavg()}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "finished_at": datetime.now(UTC).isoformat(),
                "elapsed_s": elapsed,
                "quick": args.quick,
                "experiments": experiments,
                "source": source_revision(),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "loadavg_before": load_before,
                    "loadavg_after": loadavg(),
                },
                "rows": [row.as_json() for row in ctx.rows],
                "failures": failures,
            },
            indent=2,
            default=str,
        )
    )
    print(f"wrote {output}")
    missed = [row.key for row in ctx.rows if row.met is False]
    if failures or (args.strict and missed):
        sys.exit(1)
