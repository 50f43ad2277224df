"""Which patients a member of staff may see: those registered by their unit or enrolled in a
pathway their unit runs. Anyone else's record answers 404, as if it did not exist."""
from __future__ import annotations

from flask import abort, g
from sqlalchemy import exists, or_, select

from .models import Enrolment, Patient


def in_unit(unit_id: int):
    """A condition on Patient: the patient belongs to this unit's care."""
    return or_(Patient.unit_id == unit_id,
               exists().where(Enrolment.patient_id == Patient.id, Enrolment.unit_id == unit_id))


def patient_or_404(db, patient_id: int) -> Patient:
    patient = db.scalar(select(Patient).where(Patient.id == patient_id, in_unit(g.account.unit_id)))
    if patient is None:
        abort(404)
    return patient


def enrolment_or_404(db, enrolment_id: int) -> Enrolment:
    enrolment = db.get(Enrolment, enrolment_id)
    if enrolment is None:
        abort(404)
    patient_or_404(db, enrolment.patient_id)
    return enrolment
