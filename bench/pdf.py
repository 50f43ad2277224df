"""How fast printouts are made, and how much memory a clinic day's batch takes.

    make bench          (or: .venv/bin/python bench/pdf.py)

1. One "My timeline" PDF (a demo patient with an appointment and an expected result), made
   --runs times after one warm-up: median and max wall-clock time, and the median CPU time.
2. A clinic day: --patients synthetic patients with an appointment that day, in the three
   languages and both print sizes, merged into one PDF as the clinic-day page does it. Each size
   runs in a fresh process: its time, the growth of the process's peak memory (ru_maxrss) over a
   warmed-up baseline, and the peak of Python's own allocations (tracemalloc, a second run).
   Flat memory: the 50-patient figures should be close to the 10-patient ones.
Aims: one PDF at most 0.5 s median; 50 patients at most 15 s. CPU times are printed too: on a
busy machine the wall-clock times include waiting for a core.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import time_machine  # noqa: E402
from sqlalchemy import select  # noqa: E402

from portal import create_app, database  # noqa: E402
from portal.clock import NORWAY  # noqa: E402
from portal.demo import create_demo_patients  # noqa: E402
from portal.enrolment_timeline import latest_enrolment, refresh_summary  # noqa: E402
from portal.models import Appointment, Contact, Enrolment, Patient, RecordedEvent, Unit  # noqa: E402
from portal.pdf.batch import print_patients  # noqa: E402
from portal.pdf.documents import PrintOptions, timeline_pdf  # noqa: E402

TODAY = date(2026, 3, 10)
CLINIC_DAY = TODAY + timedelta(days=2)
CONFIG = {"TESTING": True, "PASSWORD_HASH_CHEAP": True, "RATELIMIT_ENABLED": False}


def make_app(folder: Path, patients: int):
    app = create_app({**CONFIG, "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite'}"})
    database.migrate(app)
    with app.app_context():
        create_demo_patients(TODAY)
        _add_clinic_patients(app, patients)
    return app


def _add_clinic_patients(app, count: int) -> None:
    """Patients of the breast diagnostic unit, each with an appointment on CLINIC_DAY."""
    db = database.session()
    unit = db.scalar(select(Unit).where(Unit.name == "Brystdiagnostisk senter (demo)"))
    library = app.extensions["library"]
    for index in range(count):
        patient = Patient(display_name=f"Benk Pasient {index:03d}", preferred_language=("nb", "nn", "en")[index % 3],
                          large_print=index % 5 == 0, unit=unit, created_at=datetime(2026, 3, 1, tzinfo=UTC),
                          date_of_birth=date(1950 + index % 40, 1 + index % 12, 1 + index % 28))
        enrolment = Enrolment(patient=patient, pathway_id="cancer-breast", unit=unit,
                              created_at=datetime(2026, 3, 1, tzinfo=UTC))
        for milestone, days_ago in (("referral_received", 6 + index % 5), ("first_attendance", 2)):
            enrolment.events.append(RecordedEvent(milestone=milestone, date=TODAY - timedelta(days=days_ago),
                                                  recorded_by="bench", recorded_at=datetime(2026, 3, 1, tzinfo=UTC)))
        enrolment.appointments.append(Appointment(
            starts_at=datetime.combine(CLINIC_DAY, datetime.min.time()) + timedelta(hours=8, minutes=15 * index),
            what="Samtale med lege", place="Poliklinikken, 1. etasje"))
        for role, name, phone in (("coordinator", "Forløpskoordinator", "+47 00 00 00 01"),
                                  ("contact_nurse", "Kontaktsykepleier", "+47 00 00 00 02")):
            enrolment.contacts.append(Contact(role=role, name=name, phone=phone, hours="08–15"))
        refresh_summary(enrolment, library, TODAY)
        db.add(patient)
    db.commit()


def single_pdfs(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), 0)
        with app.test_request_context():
            db = database.session()
            kari = db.scalar(select(Patient.id).where(Patient.display_name == "Kari Demo"))
            enrolment = latest_enrolment(db, kari)
            options = PrintOptions("nb", False)
            timeline_pdf(enrolment, options, TODAY)  # warm-up: fonts, stylesheet, templates
            walls, cpus = [], []
            for _ in range(runs):
                wall, cpu = time.perf_counter(), time.process_time()
                pdf = timeline_pdf(enrolment, options, TODAY)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
        app.extensions["db_engine"].dispose()
    print(f'One "My timeline" PDF ({len(pdf) // 1024} KiB), {runs} runs: median {statistics.median(walls):.3f} s, '
          f"max {max(walls):.3f} s (CPU median {statistics.median(cpus):.3f} s)")


def batch_in_this_process(count: int) -> dict:
    """Run in a child: the batch timed, then again under tracemalloc. Prints JSON."""
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder), count)
        with app.test_request_context():
            db = database.session()
            ids = list(db.scalars(select(Patient.id).where(Patient.display_name.like("Benk Pasient %"))
                                  .order_by(Patient.id)))
            timeline_pdf(latest_enrolment(db, ids[0]), PrintOptions("nb", True), TODAY)  # warm-up
            baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            with tempfile.TemporaryFile() as out:
                started, cpu = time.perf_counter(), time.process_time()
                print_patients(db, ids, TODAY, "bench", out)
                seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
                size = out.tell()
            peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            db.rollback()
            tracemalloc.start()
            with tempfile.TemporaryFile() as out:
                print_patients(db, ids, TODAY, "bench", out)
            traced_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            db.rollback()
        app.extensions["db_engine"].dispose()
    return {"patients": count, "seconds": seconds, "cpu_seconds": cpu_seconds, "bytes": size,
            "rss_growth_kib": peak_rss - baseline, "peak_rss_kib": peak_rss, "traced_peak_bytes": traced_peak}


def clinic_day(count: int) -> dict:
    result = subprocess.run([sys.executable, __file__, "--batch-child", str(count)],
                            check=True, capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--patients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--batch-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_child:
        print(json.dumps(batch_in_this_process(args.batch_child)))
        return
    single_pdfs(args.runs)
    for count in args.patients:
        r = clinic_day(count)
        print(f"Clinic day, {r['patients']} patients: {r['seconds']:.1f} s ({r['seconds'] / r['patients']:.3f} s each; "
              f"CPU {r['cpu_seconds']:.1f} s), "
              f"{r['bytes'] // 1024} KiB PDF; peak memory {r['peak_rss_kib'] // 1024} MiB "
              f"(+{r['rss_growth_kib'] // 1024} MiB over the warmed-up process), "
              f"Python allocations peak {r['traced_peak_bytes'] / 2**20:.1f} MiB")


if __name__ == "__main__":
    # The portal's today.
    with time_machine.travel(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=NORWAY), tick=True):
        main()
