"""What is stored now, read in an app context of its own: the rows come back detached, with
what was loaded while the context was open."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal import database
from portal.models import Account, Enrolment, Patient, Share


def rows(app, query) -> list:
    with app.app_context():
        return list(database.session().scalars(query))


def count(app, model) -> int:
    with app.app_context():
        return database.session().scalar(select(func.count()).select_from(model))


def patient_id(app, name: str) -> int:
    with app.app_context():
        return database.session().scalar(select(Patient.id).where(Patient.display_name == name))


def account_named(app, name: str) -> Account | None:
    with app.app_context():
        return database.session().scalar(select(Account).where(Account.display_name == name))


def share_named(app, relative_name: str) -> Share | None:
    with app.app_context():
        return database.session().scalar(select(Share).where(Share.relative_name == relative_name))


def enrolment_of(app, name: str) -> Enrolment:
    """The patient's newest enrolment, with its events, appointments, results and contacts."""
    with app.app_context():
        return database.session().scalar(
            select(Enrolment).join(Patient).where(Patient.display_name == name).order_by(Enrolment.id.desc())
            .options(selectinload(Enrolment.events), selectinload(Enrolment.appointments),
                     selectinload(Enrolment.expected_results), selectinload(Enrolment.contacts)).limit(1))


def update_patient(app, name: str, **values) -> None:
    with app.app_context():
        db = database.session()
        patient = db.scalar(select(Patient).where(Patient.display_name == name))
        for key, value in values.items():
            setattr(patient, key, value)
        db.commit()
