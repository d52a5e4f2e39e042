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
    result = _load_settings(**{**PRODUCTION, "SECRET_KEY": "xyzw1" * 10,
                               "DATABASE_URL": "postgres://u:p@db.example:5432/canlian"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_development_defaults_to_sqlite_under_var():
    result = _load_settings()
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


PRODUCTION = {"DEBUG": "0",
              "SECRET_KEY": "Vq7rT2xWm9Lp4sKd8Zb3Nc6Hf1Jg5Ya0Ue7Io2Pw4Rt9Ey3Mu6Bx8Qv1Lz5Nk7Sa",
              "ALLOWED_HOSTS": "canlian.example.cn",
              "CANLIAN_FIELD_KEYS": "2:QFWJQKG3GEWEtCCAbzIasAGGFi/9EmYMWuYkO+4hbLU=,"
                                    "1:6yn0vrxf1Kp1Ulw5AuteIrnW1tbOgNUrDNuhpaBH/ks=",
              "CANLIAN_LOOKUP_KEY": "T+G09xQkmjdyd8bJ1mOK1DYLFEmyzi8aeP0wZf8K/j0=",
              }


def _manage(*args, **env):
    # Not DJANGO_ALLOW_ASYNC_UNSAFE either: the browser tests set it for the session, and
    # the deploy check rightly refuses it.
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS",
                                "DJANGO_ALLOW_ASYNC_UNSAFE")
                   and not k.startswith("SECURE_")}
    environment.update(env)
    # The arguments are this test's own constants.
    return subprocess.run([sys.executable, "manage.py", *args],  # noqa: S603
                          cwd=ROOT, env=environment, capture_output=True, text=True,
                          check=False)


def test_production_refuses_a_short_secret_key():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 49)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is 49 characters long" in result.stderr
    assert "at least 50" in result.stderr


def test_production_refuses_a_secret_key_of_few_characters():
    result = _load_settings(DEBUG="0", SECRET_KEY="ab" * 40)
    assert result.returncode != 0
    assert "SECRET_KEY has only 2 different characters" in result.stderr


def test_production_refuses_to_start_without_the_keys_of_the_id_numbers():
    keyless = {k: v for k, v in PRODUCTION.items() if not k.startswith("CANLIAN_")}
    result = _load_settings(**keyless)
    assert result.returncode != 0
    assert "CANLIAN_FIELD_KEYS and CANLIAN_LOOKUP_KEY must be set" in result.stderr
    result = _load_settings(**{**PRODUCTION, "CANLIAN_LOOKUP_KEY": ""})
    assert result.returncode != 0


def test_development_takes_a_short_secret_key():
    result = _load_settings(DEBUG="1", SECRET_KEY="short")
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_is_clean_in_production():
    assert len(PRODUCTION["SECRET_KEY"]) == 64
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_deploy_check_sees_https_turned_off():
    """The check can fail: a deployment that turns HTTPS off hears about it."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="0",
                     SECURE_HSTS_SECONDS="0", **PRODUCTION)
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def _production_setting(expression, **env):
    result = _load_settings_expr(expression, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _load_settings_expr(expression, **env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")
                   and not k.startswith("SECURE_")}
    environment.update(env)
    # The expression is this test's own constant.
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import canlian.settings as s; print({expression})"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )


def test_production_is_https_only_by_default():
    assert _production_setting(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " getattr(s, 'SECURE_PROXY_SSL_HEADER', None)"
    ) == "True 31536000 True True True True None"


def test_a_tls_terminating_proxy_turns_parts_off_from_the_environment():
    assert _production_setting(
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SESSION_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER",
        SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0", SECURE_COOKIES="0",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO, https",
    ) == "False 3600 False False ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_malformed_proxy_header_is_refused():
    result = _load_settings_expr("1", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
                                 **PRODUCTION)
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER is a header and its value" in result.stderr


def test_a_connection_pool_on_postgresql_from_the_environment():
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("SECRET_KEY", "DEBUG", "DATABASE_URL")}
    environment.update(DATABASE_URL="postgres://u:p@db.example:5432/canlian",
                       DATABASE_POOL_MAX="8", CONN_MAX_AGE="60")
    result = subprocess.run(
        [sys.executable, "-c", "import canlian.settings as s; d = s.DATABASES['default']; "
                               "print(d['OPTIONS']['pool'], d['CONN_MAX_AGE'])"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "{'min_size': 2, 'max_size': 8, 'timeout': 10} 0"
