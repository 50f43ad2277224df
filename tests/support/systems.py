"""A hospital whose system uses the portal's API with its own token: one unit with a registered
patient, another unit with a patient and a system of its own, and the admin who made them."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from portal import database
from portal.auth.clients import create_client
from portal.identity import synthetic
from portal.models import Appointment, Change, HeldEvent, Patient, RecordedEvent

from . import factories

UNIT = "Urologisk poliklinikk Testby"
OTHER_UNIT = "Et annet sykehus"
PERSON = synthetic(12, 5, 1958, 123)  # a patient of UNIT
ELSEWHERE = synthetic(3, 9, 1971, 222)  # a patient of OTHER_UNIT
STRANGER = synthetic(24, 12, 1965, 77)  # registered nowhere
MISTYPED = PERSON[:-1] + str((int(PERSON[-1]) + 1) % 10)  # the last check digit is wrong


@dataclass
class Hospital:
    app: Flask
    token: str  # UNIT's system
    other_token: str  # OTHER_UNIT's system
    patient_id: int
    other_patient_id: int

    def call(self, method: str, path: str, token: str | None = None, headers: dict | None = None, **kwargs):
        """A request as the unit's system makes it (with another token, or None for none at all)."""
        token = self.token if token is None else token
        sent = {"Authorization": f"Bearer {token}"} if token else {}
        return self.app.test_client().open(path, method=method, headers={**sent, **(headers or {})}, **kwargs)

    def written(self) -> tuple[int, ...]:
        """How many events, held events, appointments and history entries are stored."""
        with self.app.app_context():
            db = database.session()
            return tuple(len(db.scalars(select(model.id)).all())
                         for model in (RecordedEvent, HeldEvent, Appointment, Change))


def build_hospital(app: Flask) -> Hospital:
    with app.app_context():
        db = database.session()
        unit, other = factories.unit(db, UNIT), factories.unit(db, OTHER_UNIT)
        admin = factories.account(db, "admin", "Ada Admin")
        patient = factories.patient(db, "Per Prostata", unit, national_id=PERSON)
        elsewhere = factories.patient(db, "Eva Annensted", other, national_id=ELSEWHERE)
        _, token = create_client(db, "DIPS Testby", unit, admin)
        _, other_token = create_client(db, "DIPS Annensted", other, admin)
        db.commit()
        return Hospital(app, token, other_token, patient.id, elsewhere.id)


def patient_of(app: Flask, national_id: str) -> Patient:
    with app.app_context():
        return database.session().scalar(select(Patient).where(Patient.national_id == national_id))
