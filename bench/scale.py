"""The portal as a region runs it: several app processes on one PostgreSQL, rate limits in a shared
Redis, under reads by many patients and writes by the care team, and a worker killed on the way.

    .venv/bin/python bench/scale.py                  (a throwaway PostgreSQL and Redis on loopback)
    .venv/bin/python bench/scale.py --seconds 20     a shorter run

A fresh schema gets one unit, its coordinator and 1,000 patients with timelines (bench/timeline.py's
generator), each with an account. Every patient is signed in as the server signs people in: a
sign-in row and the session cookie that names it. Then gunicorn with 4 worker processes serves:
- reads: wrk with 32 connections requests 1,000 different patients' timeline pages in turn;
- writes: 4 threads, each a browser of the coordinator (the form page for its version and CSRF
  token, then the post), write a numbered note about a delay on a random patient's pathway;
- halfway, one worker is killed with SIGKILL (gunicorn starts a new one).
Printed: reads per second with p50/p99 and errors (non-2xx, and sockets the killed worker dropped);
writes per second with p50/p99, how many were acknowledged (redirected as saved), and whether every
acknowledged note is in the history afterwards (nothing committed is lost). Aims (issue 13): no
5xx; p99 < 100 ms.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

import time_machine
from sqlalchemy import select
from timeline import CSRF_TOKEN, TODAY, _free_port, _gunicorn, _wrk, synthetic_patients
from worklist import fresh_schema, percentile, throwaway_postgres

from portal import create_app, database
from portal.auth.secrets import digest, new_token
from portal.clock import now
from portal.enrolment_timeline import refresh_summary
from portal.models import Account, Change, Enrolment, Patient, RecordedEvent, SignIn, Unit

PATIENTS, WORKERS, CONNECTIONS, WRITERS = 1_000, 4, 32, 4
SECRET = "bench-only-key"
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')


def populate(app) -> list[int]:
    """The unit, its coordinator and the patients with their accounts; the enrolments' ids."""
    library = app.extensions["library"]
    with app.app_context():
        database.migrate(app)
        db = database.session()
        unit = Unit(name="Skaleringsavdelingen", kind="hospital", created_at=now())
        db.add_all([unit, Account(role="coordinator", display_name="Kim Koordinator", unit=unit, created_at=now())])
        for n, (definition, events, options) in enumerate(synthetic_patients(library, PATIENTS)):
            patient = Patient(display_name=f"Pasient {n}", unit=unit, created_at=now())
            enrolment = Enrolment(patient=patient, unit=unit, pathway_id=definition.id, created_at=now(),
                                  treatment=options.treatment, setting=options.setting)
            enrolment.events = [RecordedEvent(milestone=e.milestone, date=e.date, outcome=e.outcome,
                                              treatment=e.treatment, setting=e.setting, reason=e.reason,
                                              until=e.until, recorded_by="bench", recorded_at=now())
                                for e in events]
            refresh_summary(enrolment, library, TODAY)
            db.add(Account(role="patient", display_name=patient.display_name, patient=patient,
                           username=f"pasient.{n}", created_at=now()))
        db.commit()
        return list(db.scalars(select(Enrolment.id)))


def sign_in_everyone(app) -> tuple[list[str], str]:
    """A sign-in for every account, as the server makes them (now, on the real clock): the
    patients' session cookies and the coordinator's."""
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        db = database.session()
        accounts = list(db.scalars(select(Account).order_by(Account.role.desc(), Account.id)))  # patients first
        tokens = [new_token() for _ in accounts]
        db.add_all(SignIn(token_hash=digest(token), account=account, started_at=now())
                   for token, account in zip(tokens, accounts, strict=True))
        db.commit()
    cookies = [serializer.dumps({"sign_in": token}) for token in tokens]
    return cookies[:-1], cookies[-1]


@contextmanager
def redis_server():
    port = _free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Writer(threading.Thread):
    """The coordinator in one browser, writing numbered notes until told to stop."""

    def __init__(self, base: str, cookie: str, enrolments: list[int], first: int, stop: threading.Event):
        super().__init__(daemon=True)
        jar = http.cookiejar.CookieJar()
        jar.set_cookie(http.cookiejar.Cookie(0, "session", cookie, None, False, "127.0.0.1", False, False, "/",
                                             True, False, None, False, None, None, {}))
        self.browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.base, self.enrolments, self.next, self.stop = base, enrolments, first, stop
        self.rng = random.Random(first)
        self.acknowledged: list[str] = []
        self.times: list[float] = []
        self.failures = 0

    def run(self) -> None:
        while not self.stop.is_set():
            note = f"Benk-notat {self.next}"
            self.next += 1
            path = f"{self.base}/staff/enrolments/{self.rng.choice(self.enrolments)}/delay-note"
            started = time.perf_counter()
            try:
                page = self.browser.open(path, timeout=30).read().decode()
                fields = {"csrf_token": CSRF_TOKEN.search(page).group(1), "version": VERSION.search(page).group(1),
                          "note": note}
                with self.browser.open(path, urlencode(fields).encode(), timeout=30) as response:
                    if "saved=1" in response.geturl():
                        self.acknowledged.append(note)
                        self.times.append(time.perf_counter() - started)
            except (OSError, urllib.error.HTTPError, AttributeError):
                self.failures += 1  # the killed worker's requests, or a page that did not come


def _signed_in(base: str, cookie: str, page: str) -> None:
    """The cookie opens `page` (wrk counts a detour to the sign-in page as a success)."""
    browser = urllib.request.build_opener()
    browser.addheaders = [("Cookie", f"session={cookie}")]
    landed = browser.open(f"{base}{page}", timeout=10).geturl()
    if not landed.endswith(page):
        raise RuntimeError(f"a signed-in cookie was sent to {landed} instead of {page}")


def kill_one_worker(master: subprocess.Popen) -> int:
    found = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=True)
    workers = found.stdout.split()
    victim = int(workers[0])
    os.kill(victim, signal.SIGKILL)
    return victim


def run(database_url: str, seconds: int) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET})
    with time_machine.travel(TODAY, tick=True):
        enrolments = populate(app)
    patients, coordinator = sign_in_everyone(app)
    app.extensions["db_engine"].dispose()
    work = Path(tempfile.mkdtemp(prefix="forlop-scale-"))
    script = work / "timelines.lua"
    script.write_text("local cookies = {" + ",".join(f'"{c}"' for c in patients) + "}\nlocal n = 0\n"
                      "request = function()\n  n = n + 1\n  return wrk.format('GET', '/my-timeline', "
                      "{['Cookie'] = 'session=' .. cookies[(n % #cookies) + 1]})\nend\n")
    started: list[subprocess.Popen] = []
    try:
        with redis_server() as redis_url, _gunicorn(
                {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET, "RATELIMIT_STORAGE_URI": redis_url},
                workers=WORKERS, started=started) as base:
            _signed_in(base, patients[0], "/my-timeline")
            _signed_in(base, coordinator, "/staff/")
            stop = threading.Event()
            writers = [Writer(base, coordinator, enrolments, 1 + 1_000_000 * n, stop) for n in range(WRITERS)]
            for writer in writers:
                writer.start()
            killer = threading.Timer(seconds / 2, lambda: print(f"  killed worker {kill_one_worker(started[0])} "
                                                               f"with SIGKILL after {seconds / 2:.0f} s"))
            killer.start()
            reads = _wrk(f"{base}/my-timeline", seconds, None, connections=CONNECTIONS, script=script)
            stop.set()
            for writer in writers:
                writer.join(timeout=60)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    acknowledged = [note for writer in writers for note in writer.acknowledged]
    times = [t for writer in writers for t in writer.times]
    with app.app_context():
        stored = set(database.session().scalars(select(Change.after).where(Change.subject == "delay_note")))
    kept = sum(any(f'"{note}"' in (after or "") for after in stored) for note in acknowledged)
    print(f"  reads:  {reads['rate']:,.0f} req/s, p50 {reads['p50']:.1f} ms, p99 {reads['p99']:.1f} ms, "
          f"non-2xx {reads['non_2xx']}, socket errors {reads['socket_errors']}")
    print(f"  writes: {len(acknowledged) / seconds:,.1f}/s, p50 {percentile(times, 0.5) * 1000:.0f} ms, "
          f"p99 {percentile(times, 0.99) * 1000:.0f} ms; {len(acknowledged)} acknowledged, "
          f"{sum(w.failures for w in writers)} failed; acknowledged and in the history afterwards: "
          f"{kept} of {len(acknowledged)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    for needed in ("wrk", "redis-server"):
        if shutil.which(needed) is None:
            raise SystemExit(f"{needed} is not installed: run `make bench`, which installs it")
    print(f"gunicorn with {WORKERS} workers on PostgreSQL, rate limits in Redis; {PATIENTS:,} patients signed in; "
          f"wrk -c{CONNECTIONS} reading their timelines in turn and {WRITERS} coordinators' browsers writing, "
          f"{args.seconds} s; {os.cpu_count()} CPUs")
    with throwaway_postgres() as server_url, fresh_schema(server_url) as url:
        run(url, args.seconds)


if __name__ == "__main__":
    main()
