"""`celery -A bench.worker_app`: the Posterior Celery app with $BENCH_EXPERIMENTS applied first
(bench/experiments.py); prefork children inherit the patches."""

from bench.experiments import apply_from_env

apply_from_env()

from services.worker.app import app  # noqa: E402

__all__ = ["app"]
