"""`python -m bench --profile`: py-spy samples the processes under test while a benchmark runs and
leaves, per benchmark and process, the collapsed stacks (`*.folded`, for flamegraph tools or
speedscope) and a summary of the hottest frames (`*.top.txt`) under var/bench-profiles/
(git-ignored, like everything under var/).

py-spy is a dev tool (not in the image): without it `--profile` only prints a warning.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

PROFILES = Path(__file__).resolve().parents[1] / "var" / "bench-profiles"


def py_spy() -> str | None:
    candidate = Path(sys.executable).parent / "py-spy"
    return str(candidate) if candidate.exists() else shutil.which("py-spy")


@contextlib.contextmanager
def profiled(ctx: Any, name: str, pids: Sequence[int], *, idle: bool = False) -> Iterator[None]:
    binary = py_spy() if ctx.profile else None
    if ctx.profile and binary is None:
        print("  (--profile: py-spy is not installed; pip install py-spy)", flush=True)
    if binary is None:
        yield
        return
    PROFILES.mkdir(parents=True, exist_ok=True)
    samplers = []
    for pid in pids:
        out = PROFILES / f"{name}-{pid}.folded"
        argv = [binary, "record", "--pid", str(pid), "--format", "raw", "--rate", "250"] + (
            [] if os.environ.get("BENCH_PYSPY_BLOCKING") else ["--nonblocking"]
        )
        argv += ["--output", str(out)] + (["--idle"] if idle else [])
        samplers.append((out, subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)))
    try:
        yield
    finally:
        for _, sampler in samplers:
            sampler.send_signal(signal.SIGINT)
        for out, sampler in samplers:
            try:
                sampler.wait(timeout=30)
            except subprocess.TimeoutExpired:
                sampler.kill()
            if out.exists():
                out.with_suffix(".top.txt").write_text(summarize(out.read_text()))
                print(f"  profile: {out.relative_to(PROFILES.parents[1])} (+ .top.txt)", flush=True)


def summarize(folded: str, top: int = 40) -> str:
    """Self and inclusive sample shares of the hottest frames of collapsed stacks."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in folded.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        frames = stack.split(";")
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    if not total:
        return "no samples\n"

    def table(counter: Counter[str], title: str) -> list[str]:
        lines = [f"{title} (of {total} samples)"]
        lines += [f"{100 * n / total:6.1f}%  {frame}" for frame, n in counter.most_common(top)]
        return lines

    return "\n".join([*table(inclusive, "inclusive"), "", *table(own, "self"), ""])
