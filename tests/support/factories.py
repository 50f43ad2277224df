"""Rows made directly through the models, the way the portal stores them: units, staff, patients
with an enrolment and its events, appointments, expected results, contacts, goals, relatives with
their shares, activation codes, a hospital's systems (API clients) and the events they sent
that wait for their person. Each takes the session of the current app context (it reads
the library and the config from the app) and flushes, so the new row has its id; the caller
commits. Moments are now() (the test's clock); days are given by the caller."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from portal.auth.clients import create_client
from portal.auth.secrets import digest, hash_password, new_code, new_token
from portal.clock import now, today
from portal.enrolment_timeline import refresh_summary
from portal.models import (
    Account,
    Activation,
    ApiClient,
    Appointment,
    Contact,
    Enrolment,
    ExpectedResult,
    Goal,
    GoalAction,
    GoalReview,
    HeldEvent,
    Patient,
    RecordedEvent,
    Share,
    Unit,
)
from portal.timeline import Event, Options, compute_timeline

BY = "test"  # who recorded what a factory makes, where the portal keeps a name


def unit(db, name: str, kind: str = "hospital") -> Unit:
    made = Unit(name=name, kind=kind, created_at=now())
    db.add(made)
    db.flush()
    return made


def account(db, role: str, display_name: str, username: str | None = None, password: str | None = None,
            unit: Unit | None = None, patient: Patient | None = None, work_email: str | None = None) -> Account:
    """An account; with a username and a password it is activated (its owner can log in), without
    them it waits for its owner to activate it with a code."""
    made = Account(role=role, display_name=display_name, username=username, unit=unit, patient=patient,
                   work_email=work_email,
                   password_hash=hash_password(password) if password else None, is_active=True,
                   failed_logins=0, created_at=now())
    db.add(made)
    db.flush()
    return made


def patient(db, display_name: str, unit: Unit | None, language: str = "nb", date_of_birth: date | None = None,
            **details) -> Patient:
    """A patient of `unit` (no account: see `account`); `details` are other Patient columns."""
    made = Patient(display_name=display_name, preferred_language=language, date_of_birth=date_of_birth, unit=unit,
                   created_at=now(), **details)
    db.add(made)
    db.flush()
    return made


def enrolment(db, patient: Patient, pathway_id: str, events: list[Event] = (), on: date | None = None,
              unit: Unit | None = None, **plan) -> Enrolment:
    """`patient` in a pathway, with `events` recorded (the engine must accept them, as the staff
    pages would) and the worklist's copy of the timeline as of the day `on` (default: today).
    `plan`: treatment, setting or severity chosen before an event records it."""
    library = current_app.extensions["library"]
    on = on or today()
    compute_timeline(library.get(pathway_id).definition, list(events), on, Options(**plan))
    made = Enrolment(patient=patient, pathway_id=pathway_id, unit=unit or patient.unit, created_at=now(), **plan)
    for event in events:
        made.events.append(RecordedEvent(
            milestone=event.milestone, date=event.date, outcome=event.outcome, treatment=event.treatment,
            setting=event.setting, severity=event.severity, reason=event.reason, until=event.until,
            recorded_by=BY, recorded_at=now()))
    refresh_summary(made, library, on)
    db.add(made)
    db.flush()
    return made


def appointment(enrolment: Enrolment, starts_at: datetime, what: str, place: str, **details) -> Appointment:
    """`starts_at` is the wall time on the letter (no time zone)."""
    made = Appointment(starts_at=starts_at, what=what, place=place, **details)
    enrolment.appointments.append(made)
    return made


def expected_result(enrolment: Enrolment, what: str, expected_by: date, how_you_hear: str | None = None
                    ) -> ExpectedResult:
    made = ExpectedResult(what=what, expected_by=expected_by, how_you_hear=how_you_hear)
    enrolment.expected_results.append(made)
    return made


def contact(enrolment: Enrolment, role: str, name: str, phone: str, hours: str | None = None) -> Contact:
    made = Contact(role=role, name=name, phone=phone, hours=hours)
    enrolment.contacts.append(made)
    return made


def delay_note(enrolment: Enrolment, note: str) -> None:
    enrolment.delay_note = note
    enrolment.delay_note_at = now()


def goal(db, patient: Patient, text: str, said_on: date, state: str = "current", aim: str = "improve",
         said_by: str = "patient", enrolment: Enrolment | None = None, phase: str | None = None,
         actions: list[tuple[str, str, date, date | None]] = (),
         reviews: list[tuple[date, str, str | None]] = (), **details) -> Goal:
    """What matters to `patient`, linked to a phase of `enrolment` if given. `actions`: (what,
    who, by when, done on); `reviews`: (on, outcome, obstacles). `details`: care_wishes, help,
    help_note, review_by."""
    made = Goal(patient=patient, enrolment=enrolment, phase=phase, text=text, said_by=said_by, said_on=said_on,
                state=state, aim=aim, recorded_by=BY, created_at=now(), updated_at=now(), **details)
    made.actions = [GoalAction(what=what, who=who, by_when=by_when, done_on=done_on, created_at=now(),
                               created_by=BY) for what, who, by_when, done_on in actions]
    made.reviews = [GoalReview(reviewed_on=on, outcome=outcome, obstacles=obstacles, reviewed_by=BY,
                               recorded_at=now()) for on, outcome, obstacles in reviews]
    db.add(made)
    db.flush()
    return made


def share(db, patient: Patient, relative_name: str, relation: str | None = None,
          relative: Account | None = None, **scopes: bool) -> tuple[Share, str]:
    """What `patient` shares with a relative (see_appointments, see_goals, see_notes: off unless
    given), and the invitation token. With `relative` (an account) it is already accepted."""
    token = new_token()
    made = Share(patient=patient, relative_name=relative_name, relation=relation, invite_hash=digest(token),
                 invite_expires_at=now() + timedelta(days=current_app.config["INVITATION_DAYS"]),
                 account=relative, accepted_at=now() if relative else None, created_at=now(), created_by=BY,
                 see_appointments=scopes.pop("see_appointments", False), see_goals=scopes.pop("see_goals", False),
                 see_notes=scopes.pop("see_notes", False), **scopes)
    db.add(made)
    db.flush()
    return made, token


def activation_code(db, account: Account, first_time: bool = False) -> str:
    """A new one-time code for `account`, as a coordinator or an admin would give one: earlier
    unused codes stop working. `first_time`: the account is as its owner has never activated it
    (no username, no password), so the code leads to choosing both."""
    if first_time:
        account.username = account.password_hash = None
    for earlier in db.scalars(select(Activation).where(Activation.account_id == account.id,
                                                       Activation.used_at.is_(None), Activation.revoked_at.is_(None))):
        earlier.revoked_at = now()
    code = new_code()
    db.add(Activation(account=account, code_hash=digest(code), created_at=now(), created_by=BY,
                      expires_at=now() + timedelta(days=current_app.config["ACTIVATION_DAYS"])))
    db.flush()
    return code


def held_event(db, unit: Unit, national_id: str, code: str, day: date, received_from: str = "DIPS (system)"
               ) -> HeldEvent:
    """An event a unit's system sent for a national id no patient of the unit has (portal.imports)."""
    made = HeldEvent(unit=unit, national_id=national_id, code=code, date=day, received_at=now(),
                     received_from=received_from)
    db.add(made)
    db.flush()
    return made


def api_client(db, name: str, unit: Unit) -> tuple[ApiClient, str]:
    """A system of `unit` that sends pathway events, as an admin makes one, and its token."""
    return create_client(db, name, unit, BY)
