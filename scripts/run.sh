#!/usr/bin/env bash
# `make run`: migrate and seed, then serve on 127.0.0.1:8000. With REDIS_URL set, a Celery worker
# and beat run beside the API (stopped with it); without it, recomputation runs in the API process.
set -euo pipefail
PY=${PY:-.venv/bin/python}

"$PY" -m services.entrypoint migrate
if [ -n "${REDIS_URL:-}" ]; then
  "$PY" -m services.entrypoint worker --concurrency 2 &
  worker=$!
  "$PY" -m services.entrypoint beat &
  beat=$!
  trap 'kill -TERM "$worker" "$beat" 2>/dev/null; wait "$worker" "$beat" 2>/dev/null' EXIT
fi
"$PY" -m services.entrypoint api
