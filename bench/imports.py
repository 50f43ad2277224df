"""How fast pathway events from a hospital's own systems reach the timelines, and how fast a
system reads a patient's pathway back.

    make bench                                   (runs this after the other benches)
    .venv/bin/python bench/imports.py            SQLite, then PostgreSQL
    .venv/bin/python bench/imports.py --only sqlite

For each database (a new SQLite file; a schema of its own on a throwaway PostgreSQL server, as
bench/worklist.py makes them), one hospital unit gets 5,000 registered patients with synthetic
national ids and an API client. Then:

1. CSV: one file of 10,000 coded events for 2,500 of the patients (4 each: referral, first
   attendance, decision, start of treatment, in six cancer packages), applied as
   `flask --app portal import codes FILE` applies it: read, checked, recorded with history and
   audit rows, committed in one transaction. Timed in this process, from reading to commit.
2. FHIR: the same kind of events for the other 2,500 patients, as 100 transaction Bundles of 100
   events (25 patients, each a Patient and a CarePlan with 4 completed activities), posted one
   after the other to gunicorn (2 workers) on loopback with the client's token, as one
   integration engine sends them. Events per second over the whole run, and the p50/p99 of one
   Bundle's round trip.
3. FHIR read: wrk with 16 connections for 20 s reads `Patient/<id>/$everything` of 1,000
   different patients in turn (each read audited): requests per second, p50 and p99.

Aims (issue 12): >= 2,000 events/s; p99 of a read < 50 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

import time_machine
from patients import TODAY
from timeline import _gunicorn, _wrk
from worklist import fresh_schema, percentile, throwaway_postgres

from portal import create_app, database
from portal.auth.clients import create_client
from portal.clock import now
from portal.identity import FNR_SYSTEM, NationalIdError, normalise, synthetic
from portal.imports import apply, read_csv
from portal.models import Account, Patient, Unit

UNIT = "Kreftpoliklinikken Benk"
PACKAGES = ("A12", "A16", "A22", "A36", "A37", "A40")
STEPS = (("A", 0), ("S", 6), ("CK", 12), ("FK", 11))
PATIENTS, PER_BUNDLE, READERS = 2_500, 25, 1_000


def national_ids(count: int) -> list[str]:
    """`count` different synthetic fødselsnumre (valid ones: a serial moved on to find check digits
    can leave the range of the birth year's century)."""
    found: dict[str, None] = {}
    serial = 0
    while len(found) < count:
        serial += 1
        number = synthetic(1 + serial % 28, 1 + serial % 12, 1930 + serial % 70, serial % 500)
        try:
            found.setdefault(normalise(number, synthetic_allowed=True))
        except NationalIdError:
            continue
    return list(found)


def populate(app, ids: list[str]) -> tuple[str, list[int]]:
    """The unit, its patients and an API client; returns the client's token and the patients' ids."""
    with app.app_context():
        database.migrate(app)
        db = database.session()
        unit = Unit(name=UNIT, kind="hospital", created_at=now())
        admin = Account(role="admin", display_name="Benk Admin", created_at=now())
        db.add_all([unit, admin])
        patients = [Patient(display_name=f"Pasient {n}", national_id=number, unit=unit, created_at=now())
                    for n, number in enumerate(ids)]
        db.add_all(patients)
        db.flush()
        _, token = create_client(db, "DIPS Benk", unit, admin)
        db.commit()
        return token, [p.id for p in patients]


def coded_events(ids: list[str], seed: int) -> list[tuple[str, str, str]]:
    """(national id, code, date): four steps of one cancer package per person."""
    rng = random.Random(seed)
    events = []
    for number in ids:
        package = rng.choice(PACKAGES)
        day = TODAY - timedelta(days=rng.randint(40, 300))
        for suffix, gap in STEPS:
            day += timedelta(days=gap + rng.randint(0, 3))
            events.append((number, package + suffix, day.isoformat()))
    return events


def bench_csv(app, events: list[tuple[str, str, str]]) -> float:
    text = "person_id,code,date,unit\n" + "".join(f"{n},{c},{d},{UNIT}\n" for n, c, d in events)
    with app.app_context():
        db = database.session()
        started = time.perf_counter()
        outcome = apply(db, "bench:codes.csv", None, read_csv(app.extensions["library"], text), TODAY)
        if outcome.refusals:
            raise RuntimeError(f"the file was refused: {outcome.refusals[:3]}")
        db.commit()
        elapsed = time.perf_counter() - started
    if outcome.added != len(events):
        raise RuntimeError(f"only {outcome.added} of {len(events)} events were added")
    return len(events) / elapsed


def bundles(events: list[tuple[str, str, str]]) -> list[bytes]:
    """Transaction Bundles of PER_BUNDLE patients: each a Patient and a CarePlan of its coded steps."""
    by_person: dict[str, list[tuple[str, str]]] = {}
    for number, code, day in events:
        by_person.setdefault(number, []).append((code, day))
    people = list(by_person.items())
    made = []
    for start in range(0, len(people), PER_BUNDLE):
        entries = []
        for number, steps in people[start:start + PER_BUNDLE]:
            patient_url = f"urn:uuid:{number}-patient"
            entries.append({"fullUrl": patient_url, "resource": {
                "resourceType": "Patient", "identifier": [{"system": FNR_SYSTEM, "value": number}]},
                "request": {"method": "PUT", "url": f"Patient?identifier={FNR_SYSTEM}|{number}"}})
            entries.append({"fullUrl": f"urn:uuid:{number}-careplan", "resource": {
                "resourceType": "CarePlan", "status": "active", "intent": "plan",
                "subject": {"reference": patient_url},
                "activity": [{"detail": {
                    "code": {"coding": [{"system": "urn:forlop:npr-pathway-code", "code": code}]},
                    "status": "completed", "scheduledPeriod": {"start": day, "end": day}}} for code, day in steps]},
                "request": {"method": "POST", "url": "CarePlan"}})
        made.append(json.dumps({"resourceType": "Bundle", "type": "transaction", "entry": entries}).encode())
    return made


def post(base: str, token: str, body: bytes) -> float:
    request = urllib.request.Request(f"{base}/fhir", data=body, method="POST", headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/fhir+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise RuntimeError(f"a Bundle was refused ({error.code}): {error.read().decode()[:2000]}") from None
    return time.perf_counter() - started


def bench_server(database_url: str, token: str, bodies: list[bytes], readers: list[int], seconds: int) -> dict:
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-only-key", "SYSTEM_RATE_LIMIT": "1000000 per minute"}
    work = Path(tempfile.mkdtemp(prefix="forlop-bench-"))
    script = work / "everything.lua"
    script.write_text(
        "local ids = {" + ",".join(str(i) for i in readers) + "}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n"
        "  return wrk.format('GET', '/fhir/Patient/' .. ids[(n % #ids) + 1] .. '/$everything')\nend\n")
    try:
        with _gunicorn({**os.environ, **env}) as base:
            post(base, token, bodies[0])  # warm up both the worker and the import path
            started = time.perf_counter()
            times = [post(base, token, body) for body in bodies[1:]]
            elapsed = time.perf_counter() - started
            events = (len(bodies) - 1) * PER_BUNDLE * len(STEPS)
            reads = _wrk(f"{base}/fhir/metadata", seconds, None, connections=16, script=script,
                         headers=(f"Authorization: Bearer {token}",))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"events_per_s": events / elapsed, "bundle_p50": percentile(times, 0.5) * 1000,
            "bundle_p99": percentile(times, 0.99) * 1000, "reads": reads}


def run(name: str, database_url: str, seconds: int) -> None:
    ids = national_ids(2 * PATIENTS)
    with time_machine.travel(TODAY, tick=True):
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench-only-key"})
        token, patient_ids = populate(app, ids)
        rate = bench_csv(app, coded_events(ids[:PATIENTS], seed=1))
        app.extensions["db_engine"].dispose()
    print(f"{name}: CSV    {rate:>8,.0f} events/s  "
          f"(10,000 events for {PATIENTS:,} patients, one file, one transaction)")
    bodies = bundles(coded_events(ids[PATIENTS:], seed=2))
    server = bench_server(database_url, token, bodies, patient_ids[:READERS], seconds)
    reads = server["reads"]
    print(f"{name}: FHIR   {server['events_per_s']:>8,.0f} events/s  ({len(bodies) - 1} Bundles of "
          f"{PER_BUNDLE * len(STEPS)} events, one after the other; a Bundle p50 {server['bundle_p50']:.0f} ms, "
          f"p99 {server['bundle_p99']:.0f} ms)")
    print(f"{name}: read   {reads['rate']:>8,.0f} req/s     (Patient/$everything of {READERS:,} patients in turn, "
          f"wrk -c16 {seconds} s: p50 {reads['p50']:.1f} ms, p99 {reads['p99']:.1f} ms, non-2xx {reads['non_2xx']})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--seconds", type=int, default=20, help="length of the wrk run of reads")
    parser.add_argument("--database-url", help="a PostgreSQL server to use instead of a throwaway one")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench`, which installs it")
    print(f"aims: >= 2,000 events/s; p99 of a read < 50 ms. The machine: {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.only != "postgresql":
        work = Path(tempfile.mkdtemp(prefix="forlop-bench-"))
        try:
            run("SQLite", f"sqlite:///{work / 'bench.sqlite'}", args.seconds)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if args.only != "sqlite":
        server = nullcontext(args.database_url) if args.database_url else throwaway_postgres()
        with server as server_url, fresh_schema(server_url) as url:
            run("PostgreSQL", url, args.seconds)


if __name__ == "__main__":
    sys.exit(main())
