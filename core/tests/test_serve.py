"""The production server in the box (make serve): gunicorn with DEBUG=0 serves the login
page, and WhiteNoise the static files collectstatic gathered (content-hashed names, cached
for a year, compressed)."""

import base64
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Vq7rT2xWm9Lp4sKd8Zb3Nc6Hf1Jg5Ya0Ue7Io2Pw4Rt9Ey3Mu6Bx8Qv1Lz5Nk7Sa"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - the test's server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def production(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")
           and not k.startswith("SECURE_")}
    env.update(DEBUG="0", SECRET_KEY=SECRET, ALLOWED_HOSTS="127.0.0.1",
               SECURE_SSL_REDIRECT="0",  # the proxy in front would redirect; none here
               STATIC_ROOT=str(tmp_path / "static"), MEDIA_ROOT=str(tmp_path / "media"),
               CACHE_DIR=str(tmp_path / "cache"),
               DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
               WEB_CONCURRENCY="1", GUNICORN_THREADS="2",
               CANLIAN_FIELD_KEYS="1:" + base64.b64encode(os.urandom(32)).decode(),
               CANLIAN_LOOKUP_KEY=base64.b64encode(os.urandom(32)).decode())
    return env


def test_gunicorn_serves_the_login_page_and_whitenoise_the_static_files(production):
    env = production
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],  # noqa: S603
                   cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - the project's own server
        [sys.executable, "-m", "gunicorn", "-c", "canlian/gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = _get(f"{base}/accounts/login/")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        page = body.decode()
        assert status == 200 and 'name="username"' in page
        assert "Content-Security-Policy" in headers and headers["X-Frame-Options"] == "DENY"
        css = re.search(r'href="(/static/css/canlian\.[0-9a-f]{12}\.css)"', page)
        assert css, "the stylesheet has no content-hashed name: DEBUG is not off"
        status, headers, body = _get(f"{base}{css.group(1)}", **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in headers["Cache-Control"]
        assert headers.get("Content-Encoding") == "gzip"
        with pytest.raises(urllib.error.HTTPError) as missing:
            _get(f"{base}/static/css/nothing.css")
        assert missing.value.code == 404
        missing.value.close()
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert "Booting worker" in output, output
