"""FHIR R4 for a unit's systems: the capability statement, a transaction Bundle in, and the unit's
patients' records out. A patient of another unit is not found, as if it did not exist; every read
of a patient is in the audit log under the client's name. The resources are made and read in
portal.fhir."""
from __future__ import annotations

from flask import abort, current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import clock, database
from ..addresses import whole_number
from ..audit import record
from ..auth.access import system
from ..fhir.capability import capability_statement
from ..fhir.elements import as_response
from ..fhir.export import KINDS, Reading, resources_of, searchset
from ..fhir.reading import Unreadable, read_transaction
from ..fhir.systems import NATIONAL_ID_SYSTEMS
from ..fhir.transaction import run_transaction
from ..identity import NationalIdError, normalise
from ..imports import Refusal
from ..models import Enrolment, Patient
from ..timeline import Problem
from ..unit_scope import in_unit
from . import Refused, body, bp, save


@bp.get("/fhir/metadata")
@system
def metadata():
    return as_response(capability_statement(_base(), clock.today()))


@bp.post("/fhir")
@system
def transaction():
    try:
        bundle = read_transaction(body("Bundle"), request.mimetype)
    except Unreadable as error:
        raise Refused(error.refusals, 400) from None
    result = run_transaction(database.session(), g.client, bundle, clock.today())
    save(result.refusals, 422)
    return as_response(result.response())


@bp.get("/fhir/Patient/<int:patient_id>/$everything")
@system
def everything(patient_id: int):
    return _read([_unit_patient(patient_id)], KINDS, "$everything")


@bp.get("/fhir/Patient")
@system
def search_patients():
    asked = request.args.get("identifier", "")
    system_name, _, value = asked.rpartition("|")
    if not value:
        raise Refused([Refusal("identifier", Problem("", "missing"))], 400)
    if system_name and system_name not in NATIONAL_ID_SYSTEMS:
        return _read([], ("Patient",), "Patient search")  # no patient has an identifier of another system
    try:
        number = normalise(value, current_app.config["SYNTHETIC_NATIONAL_IDS"])
    except NationalIdError as error:
        raise Refused([Refusal("identifier", Problem("", f"national_id_{error.code}"))], 400) from None
    found = database.session().scalars(select(Patient).where(Patient.national_id == number,
                                                             in_unit(g.client.unit_id)))
    return _read(list(found), ("Patient",), "Patient search")


@bp.get("/fhir/EpisodeOfCare")
@system
def search_episodes():
    return _read([_patient_asked()], ("EpisodeOfCare",), "EpisodeOfCare search")


@bp.get("/fhir/CarePlan")
@system
def search_care_plans():
    return _read([_patient_asked()], ("CarePlan",), "CarePlan search")


@bp.get("/fhir/Goal")
@system
def search_goals():
    return _read([_patient_asked()], ("Goal",), "Goal search")


@bp.get("/fhir/Appointment")
@system
def search_appointments():
    return _read([_patient_asked()], ("Appointment",), "Appointment search")


def _patient_asked() -> Patient:
    """The unit's patient the `patient` parameter names (`<id>` or `Patient/<id>`)."""
    asked = request.args.get("patient")
    patient_id = whole_number((asked or "").removeprefix("Patient/"))
    if patient_id is None:
        raise Refused([Refusal("patient", Problem("", "missing" if not asked else "invalid_value"))], 400)
    return _unit_patient(patient_id)


def _unit_patient(patient_id: int) -> Patient:
    """The unit's patient with this id, with what is read of them loaded at once; else 404."""
    patient = database.session().scalar(
        select(Patient).where(Patient.id == patient_id, in_unit(g.client.unit_id))
        .options(selectinload(Patient.enrolments).options(selectinload(Enrolment.events),
                                                          selectinload(Enrolment.appointments))))
    if patient is None:
        abort(404)
    return patient


def _read(patients: list[Patient], kinds: tuple[str, ...], what: str):
    db = database.session()
    reading = Reading(current_app.extensions["library"], clock.today(), kinds)
    resources = []
    for patient in patients:
        resources += resources_of(db, patient, reading)
        record(db, g.client, "fhir-read", patient.id, f"FHIR {what}")
    db.commit()
    return as_response(searchset(resources, _base()))


def _base() -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/fhir"
