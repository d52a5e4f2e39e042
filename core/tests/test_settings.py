import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import canlian.settings as s; print(s.DATABASES['default']"
                               "['ENGINE'], s.DEBUG)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = _load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_a_key_starts_and_reads_the_database_url():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 50,
                            DATABASE_URL="postgres://u:p@db.example:5432/canlian")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_development_defaults_to_sqlite_under_var():
    result = _load_settings()
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]
