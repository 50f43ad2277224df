"""An Appointment from a hospital's system as an appointment on the patient's newest enrolment at the
unit, as the letter says it: the Norwegian wall time, what, where (a Location's name, else the
unit's), with whom. Sent again, it changes nothing; with status cancelled, it cancels the
appointment at that time for that. Each change is in the patient's history as done by the system."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fhirclient.models.appointment import Appointment as AppointmentResource
from sqlalchemy import select

from ..clock import now
from ..history import Edit, record_change
from ..imports import Refusal
from ..models import ApiClient, Appointment, Patient
from ..timeline import Problem
from .elements import wall_time_of
from .people import People

CANCELLED = ("cancelled", "entered-in-error")
_LONGEST = 300  # the stored columns' length


@dataclass(frozen=True)
class AppointmentRequest:
    national_id: str
    starts_at: datetime
    what: str
    place: str | None
    with_whom: str | None
    preparation: str | None
    cancelled: bool
    patient_where: str  # the participant naming the patient, for refusals about who it is


def read_appointment(resource: AppointmentResource, where: str, people: People) -> AppointmentRequest | None:
    """What the resource asks for, or None with the reasons in `people.refusals`."""
    participants = resource.participant or []
    patients = [(k, p.actor) for k, p in enumerate(participants) if p.actor and people.names_patient(p.actor)]
    if not patients:
        people.refusals.append(Refusal(f"{where}.participant", Problem("", "missing")))
        return None
    patient_where = f"{where}.participant[{patients[0][0]}].actor"
    number = people.of(patients[0][1], patient_where)
    starts_at = wall_time_of(resource.start)
    kind = resource.appointmentType
    what = resource.description or (kind and (kind.text or next(
        (c.display for c in kind.coding or [] if c.display), None)))
    place = _display(participants, ("Location",))
    with_whom = _display(participants, ("Practitioner", "PractitionerRole"))
    problems = [(f"{where}.start", "missing", starts_at is None), (f"{where}.description", "missing", not what)]
    problems += [(f"{where}.{name}", "too_long", len(value or "") > _LONGEST)
                 for name, value in (("description", what), ("participant", place), ("participant", with_whom))]
    refusals = [Refusal(at, Problem("", code)) for at, code, wrong in problems if wrong]
    people.refusals += refusals
    if number is None or refusals:
        return None
    return AppointmentRequest(number, starts_at, what, place, with_whom, resource.patientInstruction,
                              resource.status in CANCELLED, patient_where)


def _display(participants: list, kinds: tuple[str, ...]) -> str | None:
    """The name of the first participant of these kinds (a Location, a Practitioner)."""
    return next((p.actor.display for p in participants if p.actor and p.actor.display and (
        p.actor.type in kinds or (p.actor.reference or "").split("/")[0] in kinds)), None)


def apply_appointment(db, client: ApiClient, asked: AppointmentRequest) -> tuple[str, Appointment | None] | Refusal:
    """("added" | "cancelled" | "unchanged", the appointment), or why it cannot be applied."""
    unit = client.unit
    patient = db.scalar(select(Patient).where(Patient.national_id == asked.national_id))
    if patient is None:
        return Refusal(asked.patient_where, Problem("", "unknown_person"))
    enrolments = [e for e in patient.enrolments if e.unit_id == unit.id]
    if not enrolments:
        code = "no_enrolment_here" if patient.unit_id == unit.id else "other_unit_patient"
        return Refusal(asked.patient_where, Problem("", code))
    enrolment = enrolments[-1]
    same = next((a for a in enrolment.appointments if a.cancelled_at is None and a.starts_at == asked.starts_at
                 and a.what == asked.what), None)
    if asked.cancelled:
        if same is None:
            return "unchanged", None

        def cancel() -> Edit:
            same.cancelled_at = now()
            return Edit("appointment", "cancelled", same)

        record_change(db, client, enrolment, cancel)
        return "cancelled", same
    if same is not None:
        return "unchanged", same
    made = Appointment(starts_at=asked.starts_at, what=asked.what, place=asked.place or unit.name,
                       with_whom=asked.with_whom, preparation=asked.preparation)

    def add() -> Edit:
        enrolment.appointments.append(made)
        return Edit("appointment", "added", made)

    record_change(db, client, enrolment, add)
    return "added", made
