"""How fast timelines are made: the engine alone, and patients' timeline pages over HTTP.

    make bench          (installs wrk when it is missing)

1. Engine: timelines computed per second for 10,000 synthetic patients across the three shapes
   (bench/patients.py).
2. Server: a fresh SQLite database with 1,000 synthetic patients, each signed in as the server signs
   people in (a sign-in row and the session cookie that names it). gunicorn with 2 workers on
   loopback; wrk with 32 connections reads the 1,000 patients' timeline pages in turn, with the page
   cache on (each worker keeps the pages it made, so once a warm-up run has read them, most views
   come from it, as when patients reload) and off (each page is made for its view: what thousands of
   different patients, each reading a few times, mostly get), and a static file from the same
   server. Requests per second, p50 and p99 latency for each, and each page's throughput as a share
   of the static file's in the run right after it.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from patients import BIN, ROOT, TODAY, populate, reading_in_turn, sign_in_everyone, synthetic_patients

from portal import create_app
from portal.content import load_library
from portal.timeline import compute_timeline

PATIENTS, SECRET = 1_000, "bench-only-key"
AIMS = "aims: engine >= 30,000 timelines/s; page with the cache off >= 30% of the static file, p99 < 50 ms"


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
    """gunicorn on a free port of loopback, serving this checkout; `started` receives the server's
    Popen (its pid is the master's)."""
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
         "portal:create_app()"], env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    if started is not None:
        started.append(server)
    try:
        _wait_for(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _signed_in(base: str, cookie: str, page: str) -> None:
    """The cookie opens `page` (wrk counts a detour to the sign-in page as a success)."""
    browser = urllib.request.build_opener()
    browser.addheaders = [("Cookie", f"session={cookie}")]
    landed = browser.open(f"{base}{page}", timeout=10).geturl()
    if not landed.endswith(page):
        raise RuntimeError(f"a signed-in cookie was sent to {landed} instead of {page}")


def _median_run(runs: list[dict]) -> dict:
    """The run with the median throughput (its latencies come with it)."""
    return sorted(runs, key=lambda r: r["rate"])[len(runs) // 2]


def bench_server(seconds: int, rounds: int) -> tuple[dict[str, dict], dict[str, list[float]]]:
    """Throughput and latency of 1,000 patients' timeline pages read in turn, with the page cache on
    and off, and of a static file; each page run is followed by a static run, `rounds` times, so each
    ratio compares neighbouring runs. The median run of each, and the ratios of every round."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, which installs it")
    work = Path(tempfile.mkdtemp(prefix="forlop-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite'}", "SECRET_KEY": SECRET}
    runs: dict[str, list[dict]] = {"cache on": [], "cache off": [], "static file": []}
    ratios: dict[str, list[float]] = {"cache on": [], "cache off": []}
    try:
        app = create_app({"DATABASE_URL": env["DATABASE_URL"], "SECRET_KEY": SECRET, "JOB_QUEUE_URL": "memory://"})
        populate(app, PATIENTS)
        cookies, _coordinator = sign_in_everyone(app)
        app.extensions["db_engine"].dispose()
        script = work / "timelines.lua"
        script.write_text(reading_in_turn(cookies, "/my-timeline"))
        for name, extra in (("cache on", {}), ("cache off", {"TIMELINE_CACHE_SIZE": "0"})):
            with _gunicorn({**env, **extra}) as base:
                _signed_in(base, cookies[0], "/my-timeline")
                # Warms up both workers and, with the cache on, fills their caches.
                _wrk(f"{base}/my-timeline", seconds, None, script=script)
                for _ in range(rounds):
                    page = _wrk(f"{base}/my-timeline", seconds, None, script=script)
                    static = _wrk(f"{base}/static/style.css", seconds, None)
                    runs[name].append(page)
                    runs["static file"].append(static)
                    ratios[name].append(page["rate"] / static["rate"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {name: _median_run(r) for name, r in runs.items()}, ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patients", type=int, default=10_000, help="synthetic patients for the engine")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per measurement (medians are shown)")
    parser.add_argument("--engine-only", action="store_true")
    args = parser.parse_args()

    rate = bench_engine(args.patients)
    print(f"engine: {rate:,.0f} timelines/s over {args.patients:,} synthetic patients (best of 3)")
    if args.engine_only:
        print(AIMS)
        return
    results, ratios = bench_server(args.seconds, args.rounds)
    print(f"server: gunicorn, 2 workers, SQLite, wrk -c32 on loopback reading {PATIENTS:,} patients' timelines "
          f"in turn; median of {args.rounds} runs of {args.seconds} s; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    for name, result in results.items():
        share = (f"   {sorted(ratios[name])[len(ratios[name]) // 2]:4.0%} of static "
                 f"(each round: {', '.join(f'{r:.0%}' for r in ratios[name])})" if name in ratios else "")
        print(f"  {name:<12} {result['rate']:>8,.0f} req/s   p50 {result['p50']:6.1f} ms   p99 {result['p99']:6.1f} ms"
              f"   non-2xx {result['non_2xx']}{share}")
    print(AIMS)


if __name__ == "__main__":
    main()
