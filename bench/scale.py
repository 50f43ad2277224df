"""The portal as a region runs it: several app processes and a job worker on one PostgreSQL, rate
limits and the job queue in a shared Redis, under reads by many patients and writes by the care
team, with an app worker and the job worker killed on the way.

    .venv/bin/python bench/scale.py                  (a throwaway PostgreSQL and Redis on loopback)
    .venv/bin/python bench/scale.py --seconds 20     a shorter run

A fresh schema gets one unit, its coordinator and 1,000 patients with timelines (bench/timeline.py's
generator), each with an account that asked for e-mail about new dates and steps, at an address of
its own. Every patient is signed in as the server signs people in: a sign-in row and the session
cookie that names it. Then gunicorn with 4 worker processes serves, and the job worker
(huey_consumer, 4 threads, its queue in the same Redis) sends e-mail to an SMTP sink in this process,
which takes each message and answers 0.25 s later, as a mail relay might:
- reads: wrk with 32 connections requests 1,000 different patients' timeline pages in turn;
- writes: 4 threads, each a browser of the coordinator (the form page for its version and CSRF
  token, then the post), write a numbered note about a delay on a random patient's pathway. Each
  note queues a message to the patient ("new_date"); a person gets at most one a day, so only a
  patient's first note sends one;
- halfway, one app worker is killed with SIGKILL (gunicorn starts a new one);
- from two thirds of the run on, at the first moment a message is mid-send (the sink has it and has
  not answered), the job worker is killed with SIGKILL and a new one started, as a supervisor would.
After the writes the bench waits, up to 90 s (the sweep runs each minute), until no message is
waiting and due.
Printed: reads per second with p50/p99 and errors (non-2xx, and sockets the killed worker dropped);
writes per second with p50/p99, how many were acknowledged (redirected as saved), and whether every
acknowledged note is in the history afterwards (nothing committed is lost). The outbox: messages
queued, sent, left claimed by the killed job worker (the sweep marks them "unsure" after 10 minutes
for the admin to decide; they are never sent again by themselves), unsure, failed, waiting; the
messages the sink received; and two checks. Nothing sent twice: no address received more messages
than it has messages sent or claimed, and every message marked sent arrived. Nothing committed
lost: every patient with a note saved has a message, and every message is sent or claimed (listed).
Aims (issue 13): no 5xx; p99 < 100 ms; nothing lost, nothing sent twice.
"""
from __future__ import annotations

import argparse
import asyncio
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
from collections import Counter
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from aiosmtpd.controller import Controller
from patients import BIN, ROOT, populate, reading_in_turn, sign_in_everyone
from sqlalchemy import func, or_, select
from timeline import _free_port, _gunicorn, _signed_in, _wrk
from worklist import CSRF_TOKEN, fresh_schema, percentile, throwaway_postgres

from portal import create_app, database
from portal.clock import now
from portal.models import Account, Change, Notification

PATIENTS, WORKERS, CONNECTIONS, WRITERS, JOB_THREADS = 1_000, 4, 32, 4, 4
SECRET = "bench-only-key"
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
# Enough for the sweep, which runs each minute, to hand over what the killed job worker dropped.
SETTLE_SECONDS = 90
RELAY_SECONDS = 0.25


@contextmanager
def redis_server():
    """A Redis on loopback; its address without a database number."""
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
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class Sink:
    """The SMTP server's handler: how many messages each address received."""

    def __init__(self):
        self.received: Counter[str] = Counter()
        self.answering = 0  # messages taken and not yet answered: their senders are mid-send

    async def handle_DATA(self, server, session, envelope) -> str:
        # Counted once the data is in: from here on the message has gone, whatever happens to the sender.
        self.received.update(envelope.rcpt_tos)
        # A mail relay takes a moment to answer; an instant one would leave a kill almost no send to catch.
        self.answering += 1
        try:
            await asyncio.sleep(RELAY_SECONDS)
        finally:
            self.answering -= 1
        return "250 OK"


@contextmanager
def smtp_sink():
    """A real SMTP server on loopback (aiosmtpd, in a thread of this process): the sink and its port."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


class JobWorker:
    """The job worker as a region runs it: huey's consumer with threads, one process. Its output
    goes to `log`."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [str(BIN / "huey_consumer"), "portal.worker.queue", "-w", str(JOB_THREADS), "-k", "thread"],
                env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)

    def kill(self) -> int:
        """SIGKILL: the process and all its threads end at once, whatever they were sending."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        return self.process.pid

    def stop(self) -> None:
        # SIGINT is huey's graceful stop: running tasks finish.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextmanager
def job_worker(env: dict, log: Path):
    """A job worker, started by the caller when it likes, and stopped on the way out."""
    worker = JobWorker(env, log)
    try:
        yield worker
    finally:
        if worker.process is not None:
            worker.stop()


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


def kill_one_worker(master: subprocess.Popen) -> int:
    found = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True, check=True)
    workers = found.stdout.split()
    victim = int(workers[0])
    os.kill(victim, signal.SIGKILL)
    return victim


def wait_for_outbox(app, killed_at: datetime | None) -> float | None:
    """Wait until no message is waiting and due, and the live job worker is sending none; the
    seconds it took, or None if it did not settle in SETTLE_SECONDS."""
    started = time.monotonic()
    busy = (Notification.status == "waiting") & (Notification.send_after <= func.now())
    if killed_at is not None:  # claims from before the kill are the dead worker's: they stay as they are
        busy = or_(busy, (Notification.status == "sending") & (Notification.claimed_at > killed_at))
    with app.app_context():
        db = database.session()
        while time.monotonic() - started < SETTLE_SECONDS:
            left = db.scalar(select(func.count()).select_from(Notification).where(busy))
            db.rollback()  # end the transaction: the next look sees the worker's commits
            if not left:
                return time.monotonic() - started
            time.sleep(1)
    return None


def report_outbox(app, sink: Sink, killed_at: datetime | None, settled: float | None) -> None:
    """The outbox against what the sink received: the figures and the two checks."""
    with app.app_context():
        db = database.session()
        rows = db.execute(select(Notification.id, Notification.address, Notification.status,
                                 Notification.claimed_at, Account.patient_id)
                          .join(Account, Account.id == Notification.account_id).order_by(Notification.id)).all()
        written = set(db.scalars(select(Change.patient_id).where(Change.subject == "delay_note")))
    statuses = Counter(row.status for row in rows)
    left = [row for row in rows if row.status == "sending" and killed_at and row.claimed_at <= killed_at]
    others = [row for row in rows if row.status not in ("sent", "unsure") and row not in left]
    sent_to = Counter(row.address for row in rows if row.status == "sent")
    # A claimed message may have gone before its worker died: at most once, never twice.
    could_go_to = sent_to + Counter(row.address for row in rows if row.status in ("sending", "unsure"))
    twice = sorted(address for address, count in sink.received.items() if count > could_go_to[address])
    missing = sorted(address for address, count in sent_to.items() if sink.received[address] < count)
    told = Counter(row.patient_id for row in rows)
    untold = written - set(told)
    arrived = [row.id for row in left + [r for r in rows if r.status == "unsure"]
               if sink.received[row.address] > sent_to[row.address]]
    print(f"  outbox: {len(rows)} messages queued for {len(written)} patients with notes saved "
          f"({sum(n > 1 for n in told.values())} patients with more than one); {statuses['sent']} sent, "
          f"{len(left)} left claimed by the killed job worker, {statuses['unsure']} unsure, "
          f"{statuses['failed']} failed, {statuses['waiting']} waiting; the sink received "
          f"{sum(sink.received.values())}; "
          + (f"settled {settled:.0f} s after the writes" if settled is not None
             else f"not settled {SETTLE_SECONDS} s after the writes"))
    if left or statuses["unsure"]:
        print(f"    claimed by the killed worker (for the admin as unsure after 10 minutes; never resent): "
              f"ids {', '.join(str(row.id) for row in left) or '-'}; unsure: "
              f"{', '.join(str(row.id) for row in rows if row.status == 'unsure') or '-'}; "
              f"of these, arrived at the sink before the kill: {', '.join(map(str, arrived)) or 'none'}")
    print(f"  nothing sent twice: {'yes' if not twice and not missing else 'NO'} (addresses that received more "
          f"than they were sent or claimed: {len(twice)}{_listed(twice)}; messages marked sent that did not "
          f"arrive: {len(missing)}{_listed(missing)})")
    print(f"  nothing committed lost: {'yes' if not others and not untold else 'NO'} (messages neither sent nor "
          f"claimed: {len(others)}{_listed(f'{row.id} {row.status}' for row in others)}; patients with a note "
          f"saved and no message: {len(untold)})")


def _listed(items) -> str:
    """The first ten, after a colon; nothing when there are none."""
    items = list(items)
    return ": " + ", ".join(items[:10]) if items else ""


def run(database_url: str, seconds: int) -> None:
    # This process only fills the database: no job of its own to queue.
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": SECRET, "JOB_QUEUE_URL": "memory://"})
    enrolments = populate(app, PATIENTS)
    patients, coordinator = sign_in_everyone(app)
    app.extensions["db_engine"].dispose()
    work = Path(tempfile.mkdtemp(prefix="forlop-scale-"))
    script = work / "timelines.lua"
    script.write_text(reading_in_turn(patients, "/my-timeline"))
    started: list[subprocess.Popen] = []
    killed_at: list[datetime] = []
    timers: list[threading.Timer] = []
    stop = threading.Event()
    try:
        with redis_server() as redis, smtp_sink() as (sink, smtp_port):
            # Quiet hours "0-0": no hour is quiet, so every message is due at once, whenever the bench runs.
            env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
                   "RATELIMIT_STORAGE_URI": f"{redis}/0", "JOB_QUEUE_URL": f"{redis}/1", "QUIET_HOURS": "0-0",
                   "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port)}
            with job_worker(env, work / "job-worker.log") as jobs:
                with _gunicorn(env, workers=WORKERS, started=started) as base:
                    _signed_in(base, patients[0], "/my-timeline")
                    _signed_in(base, coordinator, "/staff/")
                    # Only now: its start-up would compete with gunicorn's for the cores. Messages
                    # queued before it is up wait in Redis.
                    jobs.start()
                    writers = [Writer(base, coordinator, enrolments, 1 + 1_000_000 * n, stop) for n in range(WRITERS)]
                    for writer in writers:
                        writer.start()

                    def kill_app_worker() -> None:
                        print(f"  killed worker {kill_one_worker(started[0])} with SIGKILL after {seconds / 2:.0f} s")

                    def restart_job_worker() -> None:
                        # The hardest moment: a message sent and not yet acknowledged. Messages flow only
                        # once the worker is up, which takes a while on a busy machine, so wait for one.
                        while not sink.answering and not stop.is_set():
                            time.sleep(0.005)
                        mid_send = sink.answering
                        victim = jobs.kill()
                        # Taken once it is dead: every claim it made is older, every claim of the new one newer.
                        killed_at.append(now())
                        jobs.start()
                        print(f"  killed the job worker {victim} with SIGKILL after {time.monotonic() - began:.0f} s, "
                              f"{mid_send} message(s) mid-send ({sum(sink.received.values())} received by then); "
                              f"started a new one")

                    timers += [threading.Timer(seconds / 2, kill_app_worker),
                               threading.Timer(seconds * 2 / 3, restart_job_worker)]
                    began = time.monotonic()
                    for timer in timers:
                        timer.daemon = True  # an error in the run must not leave the process waiting on them
                        timer.start()
                    reads = _wrk(f"{base}/my-timeline", seconds, None, connections=CONNECTIONS, script=script)
                    stop.set()
                    for writer in writers:
                        writer.join(timeout=60)
                    for timer in timers:
                        timer.join()
                settled = wait_for_outbox(app, killed_at[0] if killed_at else None)
            job_errors = job_log_errors(work / "job-worker.log")
    finally:
        stop.set()
        for timer in timers:
            timer.cancel()
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
    report_outbox(app, sink, killed_at[0] if killed_at else None, settled)
    print(f"  job worker log: {job_errors}")


def job_log_errors(log: Path) -> str:
    """The job worker's errors, counted from its log (which is removed with the work folder)."""
    text = log.read_text(errors="replace") if log.exists() else ""
    errors = [line for line in text.splitlines() if "] ERROR:" in line or line.startswith("Traceback")]
    return f"{len(errors)} errors" + (": " + " | ".join(errors[:3]) if errors else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    for needed in ("wrk", "redis-server"):
        if shutil.which(needed) is None:
            raise SystemExit(f"{needed} is not installed: run `make bench`, which installs it")
    print(f"gunicorn with {WORKERS} workers on PostgreSQL, rate limits and the job queue in Redis, a job worker "
          f"with {JOB_THREADS} threads sending e-mail to an SMTP sink; {PATIENTS:,} patients signed in; "
          f"wrk -c{CONNECTIONS} reading their timelines in turn and {WRITERS} coordinators' browsers writing, "
          f"{args.seconds} s; {os.cpu_count()} CPUs")
    with throwaway_postgres() as server_url, fresh_schema(server_url) as url:
        run(url, args.seconds)


if __name__ == "__main__":
    main()
