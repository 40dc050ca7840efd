"""scripts/wait_for_http.py, which `make run-scaled` runs before it starts acdash: it waits
for each sandbox server's answer, not for its listening socket (a gunicorn listens before its
worker has loaded, and calls queued behind it arrived together and drew a 429)."""

import socket
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "wait_for_http.py"


def _wait(*urls: str, timeout: float = 30) -> subprocess.Popen:
    command = [sys.executable, str(SCRIPT), "--timeout", str(timeout), *urls]
    return subprocess.Popen(command, stderr=subprocess.PIPE, text=True)


def test_it_returns_only_once_the_listening_server_answers():
    with socket.create_server(("127.0.0.1", 0)) as listening:
        listening.settimeout(30)
        url = f"http://127.0.0.1:{listening.getsockname()[1]}/healthz"
        waiting = _wait(url)
        connection, _ = listening.accept()  # connected, but nothing answered yet
        with connection:
            assert waiting.poll() is None
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
        assert waiting.wait(timeout=30) == 0  # any answer counts, a 503 too


def test_a_server_that_never_listens_fails_naming_its_url():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{unused.getsockname()[1]}/healthz"
    waiting = _wait(url, timeout=0.5)
    assert waiting.wait(timeout=30) == 1
    assert waiting.stderr.read().strip() == f"{url} did not answer in 0.5 s"
