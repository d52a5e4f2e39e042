"""`make run` checks its port first: taken, it says so in one line of English and Chinese
and stops (non-zero) before migrating, loading the demo or printing the URL."""

import shutil
import socket
import subprocess
import sys

import pytest

from canlian import portcheck
from core.tests.browser import REPO_ROOT


@pytest.fixture
def taken_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_taken_port_is_named_in_english_and_chinese(taken_port, capsys):
    assert portcheck.main(["127.0.0.1", str(taken_port)]) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message
    assert f"Port {taken_port} on 127.0.0.1 is taken" in message
    assert f"端口 {taken_port} 已被占用" in message
    assert f"make run PORT={taken_port + 1}" in message


def test_a_free_port_passes_and_nonsense_is_refused(capsys):
    assert portcheck.main(["127.0.0.1", str(free_port())]) == 0
    assert portcheck.main(["127.0.0.1", "eighty"]) == 1
    assert portcheck.main(["host.invalid", "8000"]) == 1
    assert "无法在 host.invalid:8000 上运行" in capsys.readouterr().err


def test_make_run_stops_before_serving_on_a_taken_port(taken_port):
    make = shutil.which("make")
    assert make, "the README's commands need make"
    result = subprocess.run(  # noqa: S603 - our own make, fixed arguments
        [make, "--no-print-directory", "run", f"PORT={taken_port}", f"PYTHON={sys.executable}",
         "VENV=/dev/null/venv"],  # were the check skipped, no venv could be made there
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0
    assert result.stderr.splitlines()[0].startswith(f"Port {taken_port} on 127.0.0.1 is taken")
    assert "canlian is at" not in result.stdout and "migrate" not in result.stdout
