"""The portal served by several processes at once, as a region runs it: two app servers (gunicorn)
on one database behind a load balancer, the rate limits counted in a Redis they share. Each
process kept its own counts before, so two of them allowed twenty guesses where the limit is ten."""
from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until(ready, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1).read()
        return True
    except OSError:
        return False


@contextmanager
def _process(command: list[str], env: dict | None = None) -> Iterator[None]:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url() -> Iterator[str]:
    port = _free_port()
    with _process(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]):
        def pong() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        _wait_until(pong, "redis-server")
        yield f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def two_servers(tmp_path, redis_url) -> Iterator[tuple[str, str]]:
    """Two app servers (gunicorn, a worker each) on one database and one Redis: their addresses."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite'}", "SECRET_KEY": "test-only-key",
           "RATELIMIT_STORAGE_URI": redis_url, "GUESSING_RATE_LIMIT": "10 per minute"}
    subprocess.run([str(BIN / "flask"), "--app", "portal", "init-db"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    ports = _free_port(), _free_port()
    with _process(_gunicorn(ports[0]), env), _process(_gunicorn(ports[1]), env):
        bases = tuple(f"http://127.0.0.1:{port}" for port in ports)
        for base in bases:
            _wait_until(lambda base=base: _answers(f"{base}/static/style.css"), "gunicorn")
        yield bases


def _gunicorn(port: int) -> list[str]:
    return [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "portal:create_app()"]


def _guess(base: str) -> int:
    """One wrong sign-in, as a browser sends it (the form's page first, for its CSRF token)."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = browser.open(f"{base}/login", timeout=10).read().decode()
    fields = {"username": "someone", "password": "a wrong guess", "csrf_token": CSRF_TOKEN.search(page).group(1)}
    try:
        with browser.open(f"{base}/login", urlencode(fields).encode(), timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_two_app_servers_share_one_limit_in_redis(two_servers):
    """The load balancer sends the guesses to each server in turn: ten in all, not ten each."""
    assert [_guess(two_servers[n % 2]) for n in range(12)] == [200] * 10 + [429] * 2
