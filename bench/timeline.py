"""How fast timelines are made: the engine alone, and a patient's timeline page over HTTP.

    make bench          (installs wrk when it is missing)

1. Engine: timelines computed per second for 10,000 synthetic patients across the three shapes.
2. Server: gunicorn with 2 workers on loopback; wrk with 32 connections requests a demo patient's
   timeline page (as a patient reloading it: its rendered section comes from the cache), the same
   page with the cache off (rebuilt on every view), and a static file from the same server.
   Requests per second, p50 and p99 latency for each, and the ratio of the throughputs.
   The patient signs in as a person would: the demo activation link, a chosen username and
   password, then the login form on each server (CSRF tokens included, as the server wants them).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.content import load_library  # noqa: E402
from portal.timeline import Event, Options, compute_timeline  # noqa: E402

TODAY = date(2026, 11, 23)


def _cancer(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = [Event("referral_received", day)]
    steps = rng.randint(0, 3)
    if steps >= 1:
        day += timedelta(days=rng.randint(1, 9))
        events.append(Event("first_attendance", day))
    if steps >= 2:
        day += timedelta(days=rng.randint(1, 14))
        outcome = rng.choice(["cancer_confirmed"] * 6 + ["no_disease", "other_disease"])
        treatment = rng.choice(["surgery", "drug"]) if outcome == "cancer_confirmed" else None
        events.append(Event("clinical_decision", day, outcome=outcome, treatment=treatment))
        if steps >= 3 and outcome == "cancer_confirmed":
            events.append(Event("treatment_start", day + timedelta(days=rng.randint(1, 14)), treatment=treatment))
    return events, Options()


def _mental_health(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = [Event("referral_received", day)]
    steps = rng.randint(0, 4)
    setting = rng.choice(["outpatient", "inpatient", None])
    for milestone in ("referral_assessed", "first_attendance")[:steps]:
        day += timedelta(days=rng.randint(3, 12))
        events.append(Event(milestone, day))
    if steps >= 3:
        day += timedelta(days=rng.randint(10, 40))
        events.append(Event("clinical_decision", day, outcome="treatment_here", setting=setting))
        for _ in range(rng.randint(0, 4) if steps == 4 else 0):
            day += timedelta(days=rng.randint(14, 80))
            events.append(Event("evaluation", day))
    return events, Options()


def _home(rng: random.Random, day: date) -> tuple[list[Event], Options]:
    events = []
    for _ in range(rng.randint(1, 3)):
        events.append(Event("admission", day))
        day += timedelta(days=rng.randint(2, 10))
        events.append(Event("discharge", day))
        day += timedelta(days=rng.randint(0, 2))
        events.append(Event("first_home_visit", day))
        day += timedelta(days=rng.randint(10, 18))
        events.append(Event("follow_up", day))
        day += timedelta(days=rng.randint(20, 120))
    return events, Options()


def synthetic_patients(library, count: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    makers = {"cancer-breast": _cancer, "phr-adults": _mental_health, "hph": _home}
    patients = []
    for n in range(count):
        pathway_id = list(makers)[n % len(makers)]
        start = TODAY - timedelta(days=rng.randint(0, 400))
        events, options = makers[pathway_id](rng, start)
        events = [e for e in events if e.date <= TODAY]
        patients.append((library.get(pathway_id).definition, events, options))
    return patients


def bench_engine(count: int) -> float:
    library = load_library(ROOT / "content")
    patients = synthetic_patients(library, count)
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        for definition, events, options in patients:
            compute_timeline(definition, events, TODAY, options)
        best = max(best, count / (time.perf_counter() - started))
    return best


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css", timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


USERNAME, PASSWORD = "kari.bench", "a bench-only password"
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _browser():
    """A client that keeps cookies and follows redirects, as a browser does."""
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _submit(browser, url: str, fields: dict) -> str:
    """Open the page with the form at `url`, post `fields` with its CSRF token; the address landed on."""
    page = browser.open(url, timeout=10).read().decode()
    token = CSRF_TOKEN.search(page)
    if token:
        fields = {**fields, "csrf_token": token.group(1)}
    with browser.open(url, urlencode(fields).encode(), timeout=10) as response:
        return response.geturl()


def _activate(base: str, link: str) -> None:
    """Use the activation link: choose a username and a password."""
    browser, _ = _browser()
    browser.open(base + link, timeout=10).read()
    landed = _submit(browser, f"{base}/activate/password",
                     {"username": USERNAME, "password": PASSWORD, "confirm": PASSWORD})
    if not landed.endswith("/my-timeline"):
        raise RuntimeError(f"activating the demo patient ended on {landed}")


def _session_cookie(base: str) -> str:
    """Log in with the username and password; the session cookie, for wrk."""
    browser, jar = _browser()
    landed = _submit(browser, f"{base}/login", {"username": USERNAME, "password": PASSWORD})
    if not landed.endswith("/my-timeline"):
        raise RuntimeError(f"logging in ended on {landed}")
    return next(f"{c.name}={c.value}" for c in jar if c.name == "session")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, seconds: int, cookie: str | None, connections: int = 32, headers: tuple[str, ...] = (),
         script: Path | None = None) -> dict:
    """wrk's requests per second, p50 and p99 in ms, and non-2xx answers. `script`: a Lua file
    that chooses each request (different patients in turn)."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for header in ((f"Cookie: {cookie}",) if cookie else ()) + headers:
        command[1:1] = ["-H", header]
    if script is not None:
        command[1:1] = ["-s", str(script)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: float(v) * _UNITS[u] for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"rate": rate, "p50": latency["50"], "p99": latency["99"], "non_2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": sum(int(n) for n in sockets.groups()) if sockets else 0}


@contextmanager
def _gunicorn(env: dict, workers: int = 2, started: list | None = None):
    """gunicorn on a free port of loopback; `started` receives the server's Popen (its pid is the master's)."""
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "portal:create_app()"], env=env, cwd=ROOT)
    if started is not None:
        started.append(server)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _median_run(runs: list[dict]) -> dict:
    """The run with the median throughput (its latencies come with it)."""
    return sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]


def bench_server(seconds: int, rounds: int, database_url: str | None) -> tuple[dict[str, dict], list[float]]:
    """Throughput and latency of: the timeline page (from the page cache, as when a patient
    reloads), the same page with the cache off (rebuilt on every view), and a static file.
    Page and static runs alternate, `rounds` times, so each ratio compares neighbouring runs."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, which installs it")
    work = Path(tempfile.mkdtemp(prefix="forlop-bench-"))
    database_url = database_url or f"sqlite:///{work / 'bench.sqlite'}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "bench-only-key"}
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "portal"]
    runs: dict[str, list[dict]] = {"timeline page": [], "static file": [], "  cache off": []}
    try:
        demo = subprocess.run(flask + ["demo"], env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
        link = re.search(r"^Kari Demo.*?(/t/\S+)$", demo, re.M).group(1)
        for index, (name, extra) in enumerate((("timeline page", {}), ("  cache off", {"TIMELINE_CACHE_SIZE": "0"}))):
            with _gunicorn({**env, **extra}) as base:
                if index == 0:
                    _activate(base, link)  # the code works once; both servers share the database
                cookie = _session_cookie(base)
                _wrk(f"{base}/my-timeline", 2, cookie)  # warm up both workers
                for _ in range(rounds):
                    runs[name].append(_wrk(f"{base}/my-timeline", seconds, cookie))
                    if not extra:
                        runs["static file"].append(_wrk(f"{base}/static/style.css", seconds, None))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ratios = [p["rate"] / s["rate"] for p, s in zip(runs["timeline page"], runs["static file"], strict=True)]
    return {name: _median_run(r) for name, r in runs.items()}, ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per measurement (medians are shown)")
    parser.add_argument("--engine-only", action="store_true")
    parser.add_argument("--database-url", help="measure on this database (demo data is added when missing); "
                                               "default: a new SQLite file")
    args = parser.parse_args()

    rate = bench_engine(args.patients)
    print(f"engine: {rate:,.0f} timelines/s over {args.patients:,} synthetic patients (best of 3; aim >= 20,000)")
    if args.engine_only:
        return
    results, ratios = bench_server(args.seconds, args.rounds, args.database_url)
    database = "SQLite" if not args.database_url else args.database_url.split(":", 1)[0]
    print(f"server: gunicorn, 2 workers, {database}, wrk -c32 on loopback; "
          f"median of {args.rounds} runs of {args.seconds} s")
    for name, result in results.items():
        print(f"  {name:<14} {result['rate']:>8,.0f} req/s   p50 {result['p50']:6.1f} ms   p99 {result['p99']:6.1f} ms"
              f"   non-2xx {result['non_2xx']}")
    static = results["static file"]["rate"]
    print(f"  ratio: timeline page = {sorted(ratios)[len(ratios) // 2]:.0%} of the static file's throughput "
          f"(each round: {', '.join(f'{r:.0%}' for r in ratios)}); "
          f"{results['  cache off']['rate'] / static:.0%} with the cache off (aim >= 40%, p99 < 50 ms)")


if __name__ == "__main__":
    main()
