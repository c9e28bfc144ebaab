"""A person at a terminal reads aligned, coloured lines; everything else gets one JSON object per
line, with no terminal escape codes in it (tests/e2e/ops/test_logs.py checks a real server's)."""

import io
import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from services.core.logs import configure_logging, renders_for_people


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, config = root.handlers[:], root.level, structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**config)


def log_to(stream: io.StringIO, environment: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """What one structlog line and one stdlib line look like on `stream`. The stdlib one carries
    uvicorn's coloured copy of its message in `extra`; it is logged under a name of the test's own
    because another test's in-process uvicorn may have given `uvicorn.error` handlers of its own."""
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("INFO", environment)
    structlog.get_logger("services.core.migrate").info("database migrated", exercises_added=13)
    logging.getLogger("tests.core.test_logs.uvicorn").info(
        "Started server process [%d]",
        42,
        extra={"color_message": "Started server process [\x1b[36m%d\x1b[0m]"},
    )
    return stream.getvalue()


@pytest.mark.parametrize(
    ("tty", "environment", "for_people"),
    [(True, "embedded", True), (False, "embedded", False), (True, "production", False)],
)
def test_only_a_terminal_outside_production_gets_console_lines(tty, environment, for_people):
    stream = Terminal() if tty else io.StringIO()
    assert renders_for_people(stream, environment) is for_people


def test_json_lines_carry_no_terminal_colour_codes(restore_logging, monkeypatch):
    lines = log_to(io.StringIO(), "embedded", monkeypatch).splitlines()
    entries = [json.loads(line) for line in lines]
    assert [entry["event"] for entry in entries] == ["database migrated", "Started server process [42]"]
    assert entries[0]["exercises_added"] == 13
    assert not any("\x1b" in line for line in lines)


def test_a_terminal_gets_one_readable_line_per_event(restore_logging, monkeypatch):
    lines = log_to(Terminal(), "embedded", monkeypatch).splitlines()
    assert len(lines) == 2
    assert "database migrated" in lines[0]
    assert "exercises_added" in lines[0]
    assert "Started server process [42]" in lines[1]
    assert not lines[0].startswith("{")


def test_production_writes_json_even_to_a_terminal(restore_logging, monkeypatch):
    lines = log_to(Terminal(), "production", monkeypatch).splitlines()
    assert [json.loads(line)["event"] for line in lines] == [
        "database migrated",
        "Started server process [42]",
    ]
