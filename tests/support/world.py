"""The standard cast most tests use: three units, their staff, ten patients in varied states of
each pathway shape, with contacts, an appointment, an expected result, a delay note and goals,
on the day the tests run (TODAY). Every account is activated, with PASSWORD.

Every patient has a synthetic national id, and one event from the hospital's system waits for a
person nobody has registered.

The cast is the test suite's own (built with the factories); it started as a copy of the demo
data in portal/demo.py, whose names it keeps, but the demo data is free to change. Test
assertions rely on what is here: change a fact and the tests that read it change with it."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from portal.identity import synthetic
from portal.timeline import Event

from . import factories

TODAY = date(2026, 3, 10)
PASSWORD = "en lang setning som passord"

BREAST_UNIT, DPS_UNIT, HOME_UNIT = "Brystdiagnostisk senter (demo)", "DPS voksne (demo)", "Hjemmetjenesten (demo)"
UNITS = {"cancer": (BREAST_UNIT, "hospital"), "mental_health": (DPS_UNIT, "hospital"),
         "home": (HOME_UNIT, "municipality")}

COORDINATOR = "Kari Koordinator (demo)"  # breast cancer: Kari, Ola, Liv, Anne and Siri
NURSE = "Sindre Sykepleier (demo)"
DPS_COORDINATOR = "Dina DPS-koordinator (demo)"  # mental health: Per, Mona and Jonas
HOME_COORDINATOR = "Hanne Hjemmetjeneste (demo)"  # home: Astrid and Harald
ADMINISTRATOR = "Ada Administrator (demo)"
# (display name, username, role, unit category or None)
STAFF = [
    (COORDINATOR, "demo.koordinator", "coordinator", "cancer"),
    (NURSE, "demo.sykepleier", "nurse", "cancer"),
    (DPS_COORDINATOR, "demo.dps", "coordinator", "mental_health"),
    (HOME_COORDINATOR, "demo.hjemme", "coordinator", "home"),
    (ADMINISTRATOR, "demo.admin", "admin", None),
]
# Where each one's activation codes go.
WORK_EMAILS = {name: f"{username}@sykehuset.example" for name, username, _, _ in STAFF}

# (name, language, pathway, plan, events as (milestone, days before TODAY, extra fields))
PATIENTS = [
    ("Kari Demo", "nb", "cancer-breast", {},  # waiting for the clinical decision
     [("referral_received", 5, {}), ("first_attendance", 2, {})]),
    ("Ola Demo", "nb", "cancer-breast", {},  # surgery decided, treatment next
     [("referral_received", 30, {}), ("first_attendance", 24, {}),
      ("clinical_decision", 10, {"outcome": "cancer_confirmed", "treatment": "surgery"})]),
    ("Liv Demo", "nn", "cancer-breast", {},  # the decision is later than normal
     [("referral_received", 21, {}), ("first_attendance", 16, {})]),
    ("Anne Demo", "nb", "cancer-breast", {},  # no cancer found: the pathway has ended
     [("referral_received", 25, {}), ("first_attendance", 20, {}),
      ("clinical_decision", 8, {"outcome": "no_disease"})]),
    ("Siri Demo", "en", "cancer-breast", {},  # postponed at her own wish, until 8 days from now
     [("referral_received", 12, {}), ("first_attendance", 8, {}),
      ("patient_postponed", 6, {"until": TODAY + timedelta(days=8)})]),
    ("Per Demo", "nb", "phr-adults", {},  # the referral is being assessed
     [("referral_received", 6, {})]),
    ("Mona Demo", "nb", "phr-adults", {},  # in treatment, evaluations repeat
     [("referral_received", 120, {}), ("referral_assessed", 112, {}), ("first_attendance", 90, {}),
      ("clinical_decision", 60, {"outcome": "treatment_here", "setting": "outpatient"}),
      ("evaluation", 20, {})]),
    ("Jonas Demo", "nn", "phr-adults", {"setting": "outpatient"},  # extended assessment
     [("referral_received", 70, {}), ("referral_assessed", 62, {}), ("first_attendance", 50, {}),
      ("clinical_decision", 12, {"outcome": "extended_assessment"})]),
    ("Astrid Demo", "nb", "hph", {},  # in hospital again
     [("first_home_visit", 200, {}), ("follow_up", 186, {}), ("reassessment", 20, {}),
      ("admission", 3, {})]),
    ("Harald Demo", "nn", "hph", {},  # home again, follow-up next
     [("admission", 9, {}), ("discharge", 4, {}), ("first_home_visit", 3, {})]),
]
# Made-up dates of birth, and synthetic national ids that carry them (portal.identity).
BIRTH_DATES = {name: date(1948 + 5 * index, 1 + index, 10 + index) for index, (name, *_) in enumerate(PATIENTS)}
NATIONAL_IDS = {name: synthetic(day.day, day.month, day.year, 100 + index)
                for index, (name, day) in enumerate(BIRTH_DATES.items())}

# An event the hospital's system sent to the breast unit for someone nobody there has registered:
# (national id, pathway code, days before TODAY, the system's name).
HELD_PERSON = synthetic(3, 9, 1971, 222)
HELD_EVENT = (HELD_PERSON, "A22A", 2, "DIPS Brystsenteret (demo) (system)")

# A patient logs in with the username they chose when they activated their account.
USERNAMES = {name: username for name, username, _, _ in STAFF} | {
    name: name.split()[0].lower() + ".test" for name, *_ in PATIENTS}

CONTACTS = {
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

# Kari's plans: an MRI in two days and the biopsy's answer in six.
KARIS_APPOINTMENT = "MR av brystene"
KARIS_RESULT = "Svar på vevsprøven"
LIVS_DELAY_NOTE = "Vi venter på ledig time til MR. Ny dato kjem truleg neste veke."

# What matters to some patients, in their own language (Harald's daughter said his, in nynorsk).
# Days are relative to TODAY (negative: in the past).
# (patient, goal fields, actions as (what, who, by when, done on), reviews as (on, outcome, obstacles))
KARIS_GOAL = "Holde tale i bryllupet til sønnen min i juni."  # shared with the care team
KARIS_DRAFT = "Begynne å svømme igjen før sommeren."  # a draft: only she sees it
GOALS = [
    ("Kari Demo", {"text": KARIS_GOAL, "said_by": "patient", "said_on": -2,
                   "state": "current", "aim": "improve", "phase": "assessment", "review_by": 14,
                   "care_wishes": "Helst timer tidlig på dagen, så jeg rekker jobben etterpå.",
                   "help": "partly", "help_note": "Vi legger planen for behandlingen med juni i tankene."},
     [("Snakke med legen om når behandlingen kan begynne", "Kontaktsykepleier", 5, None)], []),
    ("Kari Demo", {"text": KARIS_DRAFT, "said_by": "patient", "said_on": 0,
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


def build_cast(db, library) -> None:
    """Add the cast to an empty, migrated database (in an app context), and commit."""
    units = {category: factories.unit(db, name, kind) for category, (name, kind) in UNITS.items()}
    for display_name, username, role, category in STAFF:
        factories.account(db, role, display_name, username, PASSWORD, unit=units.get(category),
                          work_email=WORK_EMAILS[display_name])
    for name, language, pathway_id, plan, rows in PATIENTS:
        category = library.get(pathway_id).definition.category
        patient = factories.patient(db, name, units[category], language, date_of_birth=BIRTH_DATES[name],
                                    national_id=NATIONAL_IDS[name])
        events = [Event(milestone, TODAY - timedelta(days=days_ago), **extra) for milestone, days_ago, extra in rows]
        enrolment = factories.enrolment(db, patient, pathway_id, events, on=TODAY, **plan)
        for role, contact_name, phone, hours in CONTACTS[category]:
            factories.contact(enrolment, role, contact_name, phone, hours)
        _plans(name, enrolment)
        _goals(db, name, patient, enrolment)
        factories.account(db, "patient", name, USERNAMES[name], PASSWORD, patient=patient)
    number, code, days_ago, system = HELD_EVENT
    factories.held_event(db, units["cancer"], number, code, TODAY - timedelta(days=days_ago), system)
    db.commit()


def _plans(name: str, enrolment) -> None:
    if name == "Kari Demo":
        factories.appointment(enrolment, datetime.combine(TODAY + timedelta(days=2), time(9, 30)), KARIS_APPOINTMENT,
                              "Radiologisk avdeling, 2. etasje", with_whom="radiograf",
                              preparation="Ta med en liste over medisinene dine.")
        factories.expected_result(enrolment, KARIS_RESULT, TODAY + timedelta(days=6), "Du blir ringt opp.")
    if name == "Liv Demo":
        factories.delay_note(enrolment, LIVS_DELAY_NOTE)


def _goals(db, name: str, patient, enrolment) -> None:
    def day(offset):
        return None if offset is None else TODAY + timedelta(days=offset)

    for owner, fields, actions, reviews in GOALS:
        if owner == name:
            values = {**fields, "said_on": day(fields["said_on"]), "review_by": day(fields.get("review_by"))}
            factories.goal(db, patient, enrolment=enrolment if "phase" in fields else None, **values,
                           actions=[(what, who, day(by), day(done)) for what, who, by, done in actions],
                           reviews=[(day(on), outcome, obstacles) for on, outcome, obstacles in reviews])
