"""Synthetic demo data: units, staff and patients in varied states of each pathway shape, with
activation codes to sign in as any of them, a system of the cancer unit that sends pathway events
(an API client) and one of its events waiting for a person nobody has registered. No real
person's data: the national ids are synthetic test numbers."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from . import database
from .audit import record
from .auth.accounts import issue_activation
from .auth.clients import create_client
from .clock import now
from .demo_history import MAKERS, finished_pathways
from .enrolment_timeline import refresh_summary
from .figures.store import refresh as refresh_figures
from .identity import synthetic
from .models import (
    Account,
    ApiClient,
    Appointment,
    Contact,
    Enrolment,
    ExpectedResult,
    Goal,
    GoalAction,
    GoalReview,
    HeldEvent,
    NotificationChoice,
    Patient,
    RecordedEvent,
    Unit,
)
from .notifications import TOPICS
from .timeline import Event, Options, compute_timeline
from .timeline.model import EVENT_FIELDS

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


DEMO_UNITS = {
    "cancer": ("Brystdiagnostisk senter (demo)", "hospital"),
    "mental_health": ("DPS voksne (demo)", "hospital"),
    "home": ("Hjemmetjenesten (demo)", "municipality"),
}

# (display name, username, role, unit category or None)
DEMO_STAFF = [
    ("Kari Koordinator (demo)", "demo.koordinator", "coordinator", "cancer"),
    ("Sindre Sykepleier (demo)", "demo.sykepleier", "nurse", "cancer"),
    ("Dina DPS-koordinator (demo)", "demo.dps", "coordinator", "mental_health"),
    ("Hanne Hjemmetjeneste (demo)", "demo.hjemme", "coordinator", "home"),
    ("Ada Administrator (demo)", "demo.admin", "admin", None),
]

# What matters to some demo patients, in their own language (Harald's daughter said his, in nynorsk).
# Days are relative to today (negative: in the past).
# (patient, goal fields, actions as (what, who, by when, done on), reviews as (on, outcome, obstacles))
DEMO_GOALS = [
    ("Kari Demo", {"text": "Holde tale i bryllupet til sønnen min i juni.", "said_by": "patient", "said_on": -2,
                   "state": "current", "aim": "improve", "phase": "assessment", "review_by": 14,
                   "care_wishes": "Helst timer tidlig på dagen, så jeg rekker jobben etterpå.",
                   "help": "partly", "help_note": "Vi legger planen for behandlingen med juni i tankene."},
     [("Snakke med legen om når behandlingen kan begynne", "Kontaktsykepleier", 5, None)], []),
    ("Kari Demo", {"text": "Begynne å svømme igjen før sommeren.", "said_by": "patient", "said_on": 0,
                   "state": "draft", "aim": "improve"}, [], []),
    ("Astrid Demo", {"text": "Komme meg ut i hagen og stelle rosene mine.", "said_by": "patient", "said_on": -200,
                     "state": "current", "aim": "keep", "phase": "at_home", "review_by": -5,
                     "care_wishes": "Besøk før klokka ti, så har jeg formiddagen i hagen.", "help": "can_help"},
     [("Sette opp gelender ved trappen ned til hagen", "Ergoterapeut", -30, -25),
      ("Gå trappen sammen hver uke", "Fysioterapeut", 7, None)],
     [(-20, "partly", "Trappen var for bratt før gelenderet kom på plass.")]),
    ("Harald Demo", {"text": "Ete søndagsmiddag med familien, slik han alltid har gjort.", "said_by": "relative",
                     "said_on": -3, "state": "current", "aim": "keep", "phase": "home_again", "review_by": 30,
                     "help": "others_can_help", "help_note": "Dottera hentar han. Vi gjer han klar før ho kjem."},
     [], []),
]


# The cancer unit's system, and what it sent for someone nobody has registered yet:
# (national id, pathway code, days before today).
DEMO_CLIENT = "DIPS Brystdiagnostisk senter (demo)"
DEMO_HELD_EVENT = (synthetic(3, 9, 1971, 222), "A22A", 2)


def _events(today: date, rows) -> list[Event]:
    events = []
    for milestone, days_ago, extra in rows:
        fields = dict(extra)
        if "until" in fields:
            fields["until"] = today - timedelta(days=fields["until"])
        events.append(Event(milestone, today - timedelta(days=days_ago), **fields))
    return events


def create_demo_patients(today: date) -> list[tuple[str, str, str, str]]:
    """Create the demo units, staff and patients the first time; afterwards only issue new
    activation codes for them. Returns (name, pathway or role, summary, activation link path)."""
    db = database.session()
    if db.scalar(select(Unit).where(Unit.name == DEMO_UNITS["cancer"][0])) is None:
        _create(db, today)
    result = []
    for account in db.scalars(select(Account).where(Account.role != "relative").order_by(Account.id)):
        if account.patient_id is not None and not account.patient.is_demo:
            continue
        if account.patient is None and not account.display_name.endswith("(demo)"):
            continue
        code = issue_activation(db, account, "cli:demo")
        if account.patient is not None:
            summary = next(row[3] for row in DEMO_PATIENTS if row[0] == account.display_name)
            what = account.patient.enrolments[-1].pathway_id
        else:
            what, summary = account.role, account.unit.name if account.unit else "all units"
        result.append((account.display_name, what, summary, f"/t/{code}"))
    db.commit()
    return result


def _create(db, today: date) -> None:
    library = current_app.extensions["library"]
    created_at = now()
    units = {category: Unit(name=name, kind=kind, created_at=created_at)
             for category, (name, kind) in DEMO_UNITS.items()}
    db.add_all(units.values())
    for index, (display_name, username, role, category) in enumerate(DEMO_STAFF):
        # Synthetic numbers (made-up birthdays in 1980), for signing in with HelseID's stand-in.
        db.add(Account(role=role, display_name=display_name, username=username, unit=units.get(category),
                       national_id=synthetic(1 + index, 1 + index % 12, 1980, 300 + index),
                       work_email=f"{username}@demo.forlop.example",
                       created_at=created_at, is_active=True, failed_logins=0))
    for index, (name, language, pathway_id, _summary, options, rows) in enumerate(DEMO_PATIENTS):
        definition = library.get(pathway_id).definition
        events = _events(today, rows)
        compute_timeline(definition, events, today, Options(**options))  # demo data must be valid
        unit = units[definition.category]
        born = date(1948 + 5 * index, 1 + index, 10 + index)  # made up
        patient = Patient(display_name=name, preferred_language=language, is_demo=True, created_at=created_at,
                          date_of_birth=born, national_id=synthetic(born.day, born.month, born.year, 100 + index),
                          unit=unit)
        enrolment = Enrolment(patient=patient, pathway_id=pathway_id, unit=unit, created_at=created_at, **options)
        for event in events:
            enrolment.events.append(RecordedEvent(
                milestone=event.milestone, date=event.date, outcome=event.outcome, treatment=event.treatment,
                setting=event.setting, severity=event.severity, reason=event.reason, until=event.until,
                recorded_by=RECORDED_BY, recorded_at=created_at))
        for role, contact_name, phone, hours in DEMO_CONTACTS[definition.category]:
            enrolment.contacts.append(Contact(role=role, name=contact_name, phone=phone, hours=hours))
        _plans(name, enrolment, today)
        _goals(db, name, patient, enrolment, today, created_at)
        refresh_summary(enrolment, library, today)
        db.add(patient)
        account = Account(role="patient", display_name=name, patient=patient, created_at=created_at,
                          is_active=True, failed_logins=0)
        # Every demo patient asked for e-mail: make run's mail sink prints what they would get.
        db.add_all([account, NotificationChoice(
            account=account, channel="email", email=f"{name.split()[0].lower()}@demo.forlop.example",
            topics=",".join(topic for topic in TOPICS if topic != "monthly"), language=language,
            updated_at=created_at)])
        db.flush()
        record(db, "cli:demo", "create", patient.id, f"demo patient in {pathway_id}")
    number, code, days_ago = DEMO_HELD_EVENT
    db.add(HeldEvent(unit=units["cancer"], national_id=number, code=code, date=today - timedelta(days=days_ago),
                     received_at=created_at, received_from=f"{DEMO_CLIENT} (system)"))
    _history(db, library, units, today, created_at)
    refresh_figures(db, library, today)


# Made-up people whose pathway at the unit is over: enough for the units' figures to show.
HISTORY_PER_UNIT = 40


def _history(db, library, units: dict, today: date, created_at: datetime) -> None:
    for pathway_id in MAKERS:
        definition = library.get(pathway_id).definition
        unit = units[definition.category]
        for number, (events, options) in enumerate(finished_pathways(pathway_id, HISTORY_PER_UNIT, today), start=1):
            compute_timeline(definition, events, today, options)  # demo data must be valid
            patient = Patient(display_name=f"Tidligere pasient {number:02d} ({unit.name})", preferred_language="nb",
                              is_demo=True, created_at=created_at, unit=unit)
            enrolment = Enrolment(patient=patient, pathway_id=pathway_id, unit=unit, created_at=created_at)
            enrolment.events = [RecordedEvent(**{spec.name: getattr(event, spec.name) for spec in EVENT_FIELDS},
                                              recorded_by=RECORDED_BY, recorded_at=created_at) for event in events]
            refresh_summary(enrolment, library, today)
            db.add(patient)
    record(db, "cli:demo", "create", None, f"{HISTORY_PER_UNIT} finished demo pathways per unit, for its figures")


def create_demo_client() -> tuple[str, str, str] | None:
    """The cancer unit's system, the first time the demo runs for it: (name, unit, token). Its
    token exists only now (only its hash is kept), so later runs return None."""
    db = database.session()
    unit = db.scalar(select(Unit).where(Unit.name == DEMO_UNITS["cancer"][0]))
    if db.scalar(select(ApiClient.id).where(ApiClient.unit_id == unit.id).limit(1)) is not None:
        return None
    client, token = create_client(db, DEMO_CLIENT, unit, "cli:demo")
    db.commit()
    return client.name, unit.name, token


def _plans(name: str, enrolment: Enrolment, today: date) -> None:
    """Appointments, an expected result and a delay note, so every part of the page has an example."""
    if name == "Kari Demo":
        enrolment.appointments.append(Appointment(
            starts_at=datetime.combine(today + timedelta(days=2), time(9, 30)), what="MR av brystene",
            place="Radiologisk avdeling, 2. etasje", with_whom="radiograf",
            preparation="Ta med en liste over medisinene dine."))
        enrolment.expected_results.append(ExpectedResult(
            what="Svar på vevsprøven", expected_by=today + timedelta(days=6), how_you_hear="Du blir ringt opp."))
    if name == "Liv Demo":
        enrolment.delay_note = "Vi venter på ledig time til MR. Ny dato kjem truleg neste veke."
        enrolment.delay_note_at = now()


def _goals(db, name: str, patient: Patient, enrolment: Enrolment, today: date, created_at: datetime) -> None:
    def day(offset):
        return None if offset is None else today + timedelta(days=offset)

    for owner, fields, actions, reviews in DEMO_GOALS:
        if owner != name:
            continue
        values = {**fields, "said_on": day(fields["said_on"]), "review_by": day(fields.get("review_by"))}
        goal = Goal(patient=patient, enrolment=enrolment if "phase" in fields else None, recorded_by=RECORDED_BY,
                    created_at=created_at, updated_at=created_at, **values)
        goal.actions = [GoalAction(what=what, who=who, by_when=day(by_when), done_on=day(done_on),
                                   created_at=created_at, created_by=RECORDED_BY)
                        for what, who, by_when, done_on in actions]
        goal.reviews = [GoalReview(reviewed_on=day(on), outcome=outcome, obstacles=obstacles,
                                   reviewed_by=RECORDED_BY, recorded_at=created_at)
                        for on, outcome, obstacles in reviews]
        db.add(goal)
