"""A transaction Bundle applied for one API client: Patient entries name the people, each CarePlan's
completed activities go through portal.imports (checked and applied like any other delivery of
events), then each Appointment is applied. All of it, or nothing: with any refusal the caller
rolls back, and the refusals name their elements."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fhirclient.models.appointment import Appointment
from fhirclient.models.bundle import Bundle, BundleEntry, BundleEntryResponse
from fhirclient.models.careplan import CarePlan
from fhirclient.models.episodeofcare import EpisodeOfCare
from fhirclient.models.patient import Patient
from flask import current_app

from ..imports import ACTIONS, Refusal, apply
from ..models import ApiClient
from ..timeline import Problem
from .appointments import apply_appointment, read_appointment
from .care_plans import incoming_of, located
from .elements import make
from .outcome import information
from .people import People

READ = (Patient, EpisodeOfCare, CarePlan, Appointment)  # an EpisodeOfCare is read, not stored
METHODS = ("POST", "PUT")


@dataclass
class EntryResult:
    status: str = "200 OK"
    location: str | None = None
    said: str | None = None  # what was done, for the entry's OperationOutcome


@dataclass
class TransactionResult:
    entries: list[EntryResult]
    refusals: list[Refusal] = field(default_factory=list)

    def response(self) -> Bundle:
        return make(Bundle, type="transaction-response", entry=[
            make(BundleEntry, response=make(BundleEntryResponse, status=e.status, location=e.location,
                                            outcome=information(e.said) if e.said else None))
            for e in self.entries])


def run_transaction(db, client: ApiClient, bundle: Bundle, today: date) -> TransactionResult:
    entries = bundle.entry or []
    result = TransactionResult([EntryResult() for _ in entries])
    people = People(db, client.unit, entries, current_app.config["SYNTHETIC_NATIONAL_IDS"])
    plans, appointments = [], []
    for n, entry in enumerate(entries):
        where = f"Bundle.entry[{n}]"
        if not isinstance(entry.resource, READ):
            result.refusals.append(Refusal(f"{where}.resource", Problem(
                "", "unsupported_resource", {"value": getattr(entry.resource, "resource_type", "")})))
        elif entry.request.method not in METHODS:
            result.refusals.append(Refusal(f"{where}.request.method", Problem("", "invalid_value")))
        elif isinstance(entry.resource, Patient):
            patient_id = people.patient_id(people.of_entry[n])
            result.entries[n].location = f"Patient/{patient_id}" if patient_id else None
        elif isinstance(entry.resource, CarePlan):
            subject = f"{where}.resource.subject"
            person = people.of(entry.resource.subject, subject)
            if person is not None:
                items = incoming_of(current_app.extensions["library"], entry.resource, f"{where}.resource", person)
                plans.append((n, subject, items))
        elif isinstance(entry.resource, Appointment):
            asked = read_appointment(entry.resource, f"{where}.resource", people)
            if asked is not None:
                appointments.append((n, asked))
    result.refusals += people.refusals
    # One delivery for every CarePlan: checked together, recorded with one flush.
    subjects = {item.where: subject for _, subject, items in plans for item in items}
    outcome = apply(db, client, client.unit, [item for _, _, items in plans for item in items], today)
    result.refusals += [located(refusal, subjects.get(refusal.where, "")) for refusal in outcome.refusals]
    for n, _, items in plans:
        done = [outcome.actions.get(item.where) for item in items]
        result.entries[n] = EntryResult("201 Created" if "added" in done else "200 OK", said=_counts(done))
    for n, asked in appointments:
        done = apply_appointment(db, client, asked)
        if isinstance(done, Refusal):
            result.refusals.append(done)
            continue
        action, appointment = done
        result.entries[n] = EntryResult("201 Created" if action == "added" else "200 OK",
                                        f"Appointment/{appointment.id}" if appointment else None,
                                        f"appointment {action}")
    return result


def _counts(done: list[str | None]) -> str:
    return ", ".join(f"{action} {done.count(action)}" for action in ACTIONS)
