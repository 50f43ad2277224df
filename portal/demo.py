"""Synthetic demo patients in varied states of each pathway shape. No real person's data."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, select

from . import database, links
from .audit import now, record
from .models import Contact, Enrolment, Patient, PersonalLink, RecordedEvent
from .timeline import Event, Options, compute_timeline

RECORDED_BY = "demo data"

# (name, language, pathway, summary, options, events as (milestone, days before today, extra fields))
DEMO_PATIENTS = [
    ("Kari Demo", "nb", "cancer-breast", "waiting for the clinical decision", {},
     [("referral_received", 5, {}), ("first_attendance", 2, {})]),
    ("Ola Demo", "nb", "cancer-breast", "surgery decided, treatment next", {},
     [("referral_received", 30, {}), ("first_attendance", 24, {}),
      ("clinical_decision", 10, {"outcome": "cancer_confirmed", "treatment": "surgery"})]),
    ("Liv Demo", "nn", "cancer-breast", "decision later than expected", {},
     [("referral_received", 21, {}), ("first_attendance", 16, {})]),
    ("Anne Demo", "nb", "cancer-breast", "no cancer found: pathway ended", {},
     [("referral_received", 25, {}), ("first_attendance", 20, {}),
      ("clinical_decision", 8, {"outcome": "no_disease"})]),
    ("Siri Demo", "en", "cancer-breast", "postponed at her own wish", {},
     [("referral_received", 12, {}), ("first_attendance", 8, {}),
      ("patient_postponed", 6, {"until": -8})]),
    ("Per Demo", "nb", "phr-adults", "referral being assessed", {},
     [("referral_received", 6, {})]),
    ("Mona Demo", "nb", "phr-adults", "in treatment, evaluations repeat", {},
     [("referral_received", 120, {}), ("referral_assessed", 112, {}), ("first_attendance", 90, {}),
      ("clinical_decision", 60, {"outcome": "treatment_here", "setting": "outpatient"}),
      ("evaluation", 20, {})]),
    ("Jonas Demo", "nn", "phr-adults", "extended assessment", {"setting": "outpatient"},
     [("referral_received", 70, {}), ("referral_assessed", 62, {}), ("first_attendance", 50, {}),
      ("clinical_decision", 12, {"outcome": "extended_assessment"})]),
    ("Astrid Demo", "nb", "hph", "in hospital again", {},
     [("first_home_visit", 200, {}), ("follow_up", 186, {}), ("reassessment", 20, {}),
      ("admission", 3, {})]),
    ("Harald Demo", "nn", "hph", "home again, follow-up next", {},
     [("admission", 9, {}), ("discharge", 4, {}), ("first_home_visit", 3, {})]),
]

DEMO_CONTACTS = {
    "cancer": [
        ("coordinator", "Forløpskoordinator (demo)", "+47 00 00 00 01", "08–15.30"),
        ("contact_nurse", "Kontaktsykepleier (demo)", "+47 00 00 00 02", "08–15"),
        ("gp", "Fastlegekontoret (demo)", "+47 00 00 00 03", "08–16"),
    ],
    "mental_health": [
        ("coordinator", "Forløpskoordinator (demo)", "+47 00 00 00 11", "08–15.30"),
        ("gp", "Fastlegekontoret (demo)", "+47 00 00 00 13", "08–16"),
    ],
    "home": [
        ("home_care", "Hjemmetjenesten (demo)", "+47 00 00 00 21", "hele døgnet"),
        ("gp", "Fastlegekontoret (demo)", "+47 00 00 00 23", "08–16"),
    ],
}


def _events(today: date, rows) -> list[Event]:
    events = []
    for milestone, days_ago, extra in rows:
        fields = dict(extra)
        if "until" in fields:
            fields["until"] = today - timedelta(days=fields["until"])
        events.append(Event(milestone, today - timedelta(days=days_ago), **fields))
    return events


def create_demo_patients(today: date) -> list[tuple[str, str, str, str]]:
    """Replace earlier demo patients; return (name, pathway, summary, link path) for each."""
    db = database.session()
    library = current_app.extensions["library"]
    _remove_demo_patients(db)
    created_at = now()
    result = []
    for name, language, pathway_id, summary, options, rows in DEMO_PATIENTS:
        definition = library.get(pathway_id).definition
        events = _events(today, rows)
        compute_timeline(definition, events, today, Options(**options))  # demo data must be valid
        patient = Patient(display_name=name, preferred_language=language, is_demo=True, created_at=created_at)
        enrolment = Enrolment(patient=patient, pathway_id=pathway_id, created_at=created_at, **options)
        for event in events:
            enrolment.events.append(RecordedEvent(
                milestone=event.milestone, date=event.date, outcome=event.outcome, treatment=event.treatment,
                setting=event.setting, reason=event.reason, until=event.until,
                recorded_by=RECORDED_BY, recorded_at=created_at))
        for role, contact_name, phone, hours in DEMO_CONTACTS[definition.category]:
            enrolment.contacts.append(Contact(role=role, name=contact_name, phone=phone, hours=hours))
        db.add(patient)
        token = links.issue(db, patient, current_app.config["PERSONAL_LINK_DAYS"])
        db.flush()
        record(db, "cli:demo", "create", patient.id, f"demo patient in {pathway_id}")
        result.append((name, pathway_id, summary, f"/t/{token}"))
    db.commit()
    return result


def _remove_demo_patients(db) -> None:
    ids = list(db.scalars(select(Patient.id).where(Patient.is_demo)))
    if not ids:
        return
    enrolments = select(Enrolment.id).where(Enrolment.patient_id.in_(ids))
    db.execute(delete(RecordedEvent).where(RecordedEvent.enrolment_id.in_(enrolments)))
    db.execute(delete(Contact).where(Contact.enrolment_id.in_(enrolments)))
    db.execute(delete(Enrolment).where(Enrolment.patient_id.in_(ids)))
    db.execute(delete(PersonalLink).where(PersonalLink.patient_id.in_(ids)))
    db.execute(delete(Patient).where(Patient.id.in_(ids)))
