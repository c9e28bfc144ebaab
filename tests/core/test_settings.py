import pytest
from pydantic import ValidationError

from services.core.settings import Settings


def test_production_without_a_jwt_secret_refuses_to_start_with_a_clear_message(monkeypatch):
    monkeypatch.delenv("JWT_SECRET", raising=False)
    with pytest.raises(ValidationError, match="JWT_SECRET is not set"):
        Settings(environment="production", _env_file=None)


def test_embedded_mode_generates_and_keeps_a_local_secret(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JWT_SECRET", raising=False)
    first = Settings(environment="embedded", _env_file=None).signing_secret()
    assert first == Settings(environment="embedded", _env_file=None).signing_secret()
    assert len(first) >= 32
    assert (tmp_path / "var" / "jwt-secret").exists()


def test_an_empty_redis_url_means_tasks_run_in_process():
    assert Settings(redis_url="", jwt_secret="x" * 32, _env_file=None).redis_url is None


def test_plain_postgresql_urls_use_the_psycopg_driver():
    from services.core.db import normalize_url

    assert normalize_url("postgresql://postgres@127.0.0.1:5432/x").startswith("postgresql+psycopg://")


def test_a_task_time_limit_that_does_not_fit_in_the_visibility_timeout_refuses_to_start():
    with pytest.raises(ValidationError, match="must stay below BROKER_VISIBILITY_TIMEOUT_S"):
        Settings(task_time_limit_s=25, broker_visibility_timeout_s=30, jwt_secret="x" * 32, _env_file=None)


def test_a_webhook_timeout_beyond_the_tasks_soft_time_limit_refuses_to_start():
    with pytest.raises(ValidationError, match="WEBHOOK_TIMEOUT_S"):
        Settings(task_time_limit_s=20, webhook_timeout_s=15, jwt_secret="x" * 32, _env_file=None)
