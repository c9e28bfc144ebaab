"""Real server processes for end-to-end tests, started the way `make run` and the image start them."""

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from services.core.settings import MAIL_DIR
from tests.factories.mailbox import ServerMail, run_smtp, serve_mail_of

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving_in_thread(handler: type[BaseHTTPRequestHandler], name: str, port: int = 0) -> Iterator[int]:
    """Serves `handler` on 127.0.0.1:`port` (any free port by default) from a thread until the
    block ends; yields the port."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Server:
    process: subprocess.Popen
    base_url: str
    log_path: Path
    mail_dir: Path | None = None  # where it writes account mail, without SMTP_URL (var/mail/)

    def stop(self, sig: int | None = None) -> None:
        if self.process.poll() is None:
            if sig is None:
                self.process.terminate()
            else:
                self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]


def start_api(env: Mapping[str, str], workdir: Path, *, migrate: bool = True) -> Server:
    """Migrates (like `make run`) and starts `python -m services.entrypoint api` on a free port. Its
    account mail goes to the test run's SMTP server unless `env` sets SMTP_URL (empty: the embedded
    default's var/mail/ in `workdir`)."""
    port = free_port()
    full_env = {
        **os.environ,
        "SMTP_URL": run_smtp().url,
        **env,
        "API_PORT": str(port),
        "API_HOST": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    log_path = workdir / f"api-{port}.log"
    if migrate:
        subprocess.run(
            [sys.executable, "-m", "services.entrypoint", "migrate"],
            cwd=workdir,
            env=full_env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "services.entrypoint", "api"],
            cwd=workdir,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    mail_dir = None if full_env["SMTP_URL"] else workdir / MAIL_DIR
    server = Server(process, f"http://127.0.0.1:{port}", log_path, mail_dir)
    queued_in = full_env.get("DATABASE_URL") if full_env.get("REDIS_URL") else None
    serve_mail_of(server.base_url, ServerMail(directory=mail_dir, queued_in=queued_in))
    wait_until_healthy(server)
    return server


def wait_until_healthy(server: Server, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.log()}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"server did not become healthy:\n{server.log()}")
