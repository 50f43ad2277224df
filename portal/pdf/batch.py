"""Printing for a clinic day: many patients' timelines in one PDF, each in that patient's own
language and print size. One patient is loaded, rendered and merged at a time, so memory stays
flat however many are printed; each printout is in the audit log."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from sqlalchemy import select

from ..audit import record
from ..enrolment_timeline import latest_enrolment
from ..models import Account, Appointment, Enrolment, Patient
from .documents import PrintOptions, timeline_pdf
from .render import merge_pdfs

# More than a clinic has in a day; a request for more is refused rather than left running.
MAX_PATIENTS = 200


@dataclass
class ClinicPatient:
    id: int
    name: str
    date_of_birth: date | None
    options: PrintOptions
    appointments: list[tuple[datetime, str]] = field(default_factory=list)


def clinic_day(db, unit_id: int, day: date) -> list[ClinicPatient]:
    """The patients with an appointment in this unit on `day`, by their first appointment."""
    start = datetime.combine(day, time.min)
    rows = db.execute(
        select(Appointment.starts_at, Appointment.what, Patient)
        .join(Enrolment, Appointment.enrolment_id == Enrolment.id)
        .join(Patient, Enrolment.patient_id == Patient.id)
        .where(Enrolment.unit_id == unit_id, Appointment.cancelled_at.is_(None),
               Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1))
        .order_by(Appointment.starts_at, Appointment.id))
    patients: dict[int, ClinicPatient] = {}
    for starts_at, what, patient in rows:
        entry = patients.setdefault(patient.id, ClinicPatient(
            patient.id, patient.display_name, patient.date_of_birth, PrintOptions.for_patient(patient)))
        entry.appointments.append((starts_at, what))
    return list(patients.values())


def print_patients(db, patient_ids: Iterable[int], day: date, actor: Account | str, out: BinaryIO) -> int:
    """Each patient's timeline, merged into `out` in the order given. Returns how many."""
    return merge_pdfs(_timelines(db, patient_ids, day, actor), out)


def _timelines(db, patient_ids: Iterable[int], day: date, actor: Account | str) -> Iterator[tuple[str, bytes]]:
    for patient_id in patient_ids:
        enrolment = latest_enrolment(db, patient_id)
        if enrolment is None:
            continue
        options = PrintOptions.for_patient(enrolment.patient)
        pdf = timeline_pdf(enrolment, options, day)
        record(db, actor, "print", patient_id, f"timeline PDF ({options.describe()}), several patients")
        yield enrolment.patient.display_name, pdf
