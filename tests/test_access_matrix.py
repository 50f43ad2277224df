"""Who gets what, for every route: each rule in `app.url_map` is tried by every kind of person,
against patient A's records, and must answer as the table below says. A new route fails this test
until it is added to the table, so none can slip through unreviewed.

The people: no one signed in, patient A (Kari Demo) and patient B (Ola Demo, same unit), a relative
of each, a nurse and a coordinator of A's unit, a nurse of another unit, and an admin.

Outcomes: "ok" (answered: any status but 401, 403, 404, 5xx, and no detour to the login page),
"login" (sent to sign in; a POST gets 401), "forbidden" (403) and "missing" (404: staff of another
unit, and patients or relatives reaching for someone else's share, are told nothing exists).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal import create_app, database
from portal.auth.accounts import issue_activation
from portal.demo import create_demo_patients
from portal.models import Account, Appointment, Contact, Enrolment, ExpectedResult, Goal, Patient, Unit
from portal.sharing import invite

from .conftest import PASSWORD, TEST_CONFIG, TODAY, activate, fresh_database

PEOPLE = ("anonymous", "patient_a", "patient_b", "relative_a", "relative_b",
          "nurse", "coordinator", "nurse_elsewhere", "admin")
PATIENT_A = "Kari Demo"


def _everyone(outcome: str, **exceptions: str) -> dict[str, str]:
    return {person: exceptions.get(person, outcome) for person in PEOPLE}


PUBLIC = _everyone("ok")
SIGNED_IN = _everyone("ok", anonymous="login")
# Pages about "my own" data: each patient or relative gets their own, never someone else's.
OWN_PATIENT_PAGE = _everyone("forbidden", anonymous="login", patient_a="ok", patient_b="ok")
OWN_SHARES = _everyone("forbidden", anonymous="login", relative_a="ok", relative_b="ok")
PATIENT_A_SHARE = _everyone("forbidden", anonymous="login", patient_a="ok", patient_b="missing")
PATIENT_A_GOAL = PATIENT_A_SHARE
RELATIVE_A_SHARE = _everyone("forbidden", anonymous="login", relative_a="ok", relative_b="missing")
STAFF_ANY = _everyone("forbidden", anonymous="login", nurse="ok", coordinator="ok", nurse_elsewhere="ok")
STAFF_OF_A = _everyone("forbidden", anonymous="login", nurse="ok", coordinator="ok", nurse_elsewhere="missing")
COORDINATOR_OF_A = _everyone("forbidden", anonymous="login", coordinator="ok")
ADMIN = _everyone("forbidden", anonymous="login", admin="ok")

EXPECTED = {
    "static": PUBLIC,
    "switch_language": PUBLIC,
    "public.index": PUBLIC,
    "public.pathway": PUBLIC,
    "public.dates": PUBLIC,
    "public.glossary": PUBLIC,
    "api.pathways": PUBLIC,
    "api.pathway": PUBLIC,
    "api.timeline": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.activation_link": PUBLIC,
    "auth.enter_code": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.account_home": SIGNED_IN,
    "relative.invitation": PUBLIC,
    "patient.my_timeline": OWN_PATIENT_PAGE,
    "patient.access_log": OWN_PATIENT_PAGE,
    "patient.relatives": OWN_PATIENT_PAGE,
    "patient.change_scopes": PATIENT_A_SHARE,
    "patient.withdraw": PATIENT_A_SHARE,
    "patient.goals": OWN_PATIENT_PAGE,
    "patient.new_goal": OWN_PATIENT_PAGE,
    "patient.before_we_meet": OWN_PATIENT_PAGE,
    "patient.edit_goal": PATIENT_A_GOAL,
    "relative.index": OWN_SHARES,
    "relative.view": RELATIVE_A_SHARE,
    "staff.worklist": STAFF_ANY,
    "staff.new_patient": STAFF_ANY,
    "staff.patient": STAFF_OF_A,
    "staff.edit_patient": STAFF_OF_A,
    "staff.history": STAFF_OF_A,
    "staff.enrol": STAFF_OF_A,
    "staff.plan": STAFF_OF_A,
    "staff.new_event": STAFF_OF_A,
    "staff.correct_event": STAFF_OF_A,
    "staff.withdraw_event": STAFF_OF_A,
    "staff.new_appointment": STAFF_OF_A,
    "staff.edit_appointment": STAFF_OF_A,
    "staff.cancel_appointment": STAFF_OF_A,
    "staff.new_result": STAFF_OF_A,
    "staff.edit_result": STAFF_OF_A,
    "staff.result_received": STAFF_OF_A,
    "staff.withdraw_result": STAFF_OF_A,
    "staff.delay_note": STAFF_OF_A,
    "staff.new_contact": STAFF_OF_A,
    "staff.edit_contact": STAFF_OF_A,
    "staff.remove_contact": STAFF_OF_A,
    "staff.activation": COORDINATOR_OF_A,
    "staff.new_share": COORDINATOR_OF_A,
    "staff.withdraw_share": COORDINATOR_OF_A,
    "staff.goals": STAFF_ANY,
    "staff.new_goal": STAFF_OF_A,
    "staff.goal": STAFF_OF_A,
    "staff.edit_goal": STAFF_OF_A,
    "staff.goal_help": STAFF_OF_A,
    "staff.new_goal_action": STAFF_OF_A,
    "staff.goal_action": STAFF_OF_A,
    "staff.withdraw_goal_action": STAFF_OF_A,
    "staff.new_goal_review": STAFF_OF_A,
    "admin.index": ADMIN,
    "admin.new_unit": ADMIN,
    "admin.new_account": ADMIN,
    "admin.new_activation": ADMIN,
    "admin.deactivate": ADMIN,
    "admin.reactivate": ADMIN,
    "pdf.my_timeline": OWN_PATIENT_PAGE,
    "pdf.shared": RELATIVE_A_SHARE,
    "pdf.pathway": PUBLIC,
    "pdf.before_we_meet": PUBLIC,
    "pdf.patient_timeline": STAFF_OF_A,
    "pdf.clinic_day": STAFF_ANY,
    "pdf.chosen_patients": STAFF_OF_A,
}

# Which contact, appointment or result an `item_id` means, by endpoint.
ITEM_OF = {"appointment": Appointment, "result": ExpectedResult, "contact": Contact}
# Query values a route needs beyond its path: the patients chosen for a printout.
QUERY_OF = {"pdf.chosen_patients": ("patient", "patient_id")}
# Routes that withdraw or change a share each get a share of A's of their own, so that relative
# A's share stays as it is for the other routes.
OWN_SHARE_ROUTES = ("patient.change_scopes", "patient.withdraw", "staff.withdraw_share")


# The routes, read from an app that is never served.
ROUTES_APP = create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://"})


@dataclass
class World:
    """A portal with the demo data, everyone signed up, and the ids that fill the routes."""

    app: object
    usernames: dict[str, str]
    values: dict[str, object]
    items: dict[str, int]
    own_shares: dict[str, int]

    def client_for(self, person: str):
        client = self.app.test_client()
        if person != "anonymous":
            response = client.post("/login", data={"username": self.usernames[person], "password": PASSWORD})
            assert response.status_code == 302, person
        return client

    def url_for(self, rule) -> str:
        values = dict(self.values)
        noun = next((noun for noun in ITEM_OF if noun in rule.endpoint), None)
        if noun:
            values["item_id"] = self.items[noun]
        if rule.endpoint in self.own_shares:
            values["share_id"] = self.own_shares[rule.endpoint]
        if rule.endpoint == "switch_language":
            values["code"] = "nn"
        if rule.endpoint == "relative.invitation":
            # A signed-in relative who sends the form accepts the invitation: one each.
            values["token"] = self.new_invitation()
        arguments = {name: values[name] for name in rule.arguments}
        if rule.endpoint in QUERY_OF:
            name, value = QUERY_OF[rule.endpoint]
            arguments[name] = values[value]
        with self.app.test_request_context():
            return self.app.url_for(rule.endpoint, **arguments)

    def new_invitation(self) -> str:
        """An invitation from a third patient: relatives who accept it stay out of A's and B's affairs."""
        with self.app.app_context():
            db = database.session()
            patient = db.scalar(select(Patient).where(Patient.display_name == "Liv Demo"))
            _, token = invite(db, patient, patient_account(db, patient), "Ikke svart ennå", None, {})
            db.commit()
            return token


def patient_account(db, patient: Patient) -> Account:
    return db.scalar(select(Account).where(Account.patient_id == patient.id))


def _build_world(app) -> World:
    demo_people = {"patient_a": PATIENT_A, "patient_b": "Ola Demo", "nurse": "Sindre Sykepleier (demo)",
                   "coordinator": "Kari Koordinator (demo)", "admin": "Ada Administrator (demo)"}
    with app.app_context():
        links = {name: link for name, _, _, link in create_demo_patients(date.fromisoformat(TODAY))}
        db = database.session()
        patient_a = db.scalar(select(Patient).where(Patient.display_name == PATIENT_A))
        patient_b = db.scalar(select(Patient).where(Patient.display_name == "Ola Demo"))
        elsewhere = db.scalar(select(Unit).where(Unit.name == "DPS voksne (demo)"))
        # One account for the admin routes to act on, another whose code /t/<code> is given.
        spare, newcomer = (Account(role="nurse", display_name=name, unit=elsewhere, created_at=patient_a.created_at,
                                   is_active=True, failed_logins=0, session_epoch=0) for name in ("Reserve", "Ny"))
        nurse_elsewhere = Account(role="nurse", display_name="Nils Annenstad", username="nurse.elsewhere", unit=elsewhere,
                                  created_at=patient_a.created_at, is_active=True, failed_logins=0, session_epoch=0)
        db.add_all([spare, newcomer, nurse_elsewhere])
        db.flush()
        links["nurse_elsewhere"] = f"/t/{issue_activation(db, nurse_elsewhere, 'test')}"
        newcomer_code = issue_activation(db, newcomer, "test")
        by = patient_account(db, patient_a)
        shares = {"relative_a": invite(db, patient_a, by, "Pårørende A", None, {}),
                  "relative_b": invite(db, patient_b, patient_account(db, patient_b), "Pårørende B", None, {})}
        own_shares = {endpoint: invite(db, patient_a, by, "Pårørende", None, {})[0].id
                      for endpoint in OWN_SHARE_ROUTES}
        enrolment = db.scalar(select(Enrolment).where(Enrolment.patient_id == patient_a.id))
        items = {noun: db.scalar(select(model.id).where(model.enrolment_id == enrolment.id))
                 for noun, model in ITEM_OF.items()}
        # A's shared goal (her draft is hers alone) and its open action.
        goal = db.scalar(select(Goal).where(Goal.patient_id == patient_a.id, Goal.state == "current"))
        values = {"patient_id": patient_a.id, "enrolment_id": enrolment.id,
                  "goal_id": goal.id, "action_id": goal.open_actions[0].id,
                  "event_id": enrolment.current_events[0].id, "share_id": shares["relative_a"][0].id,
                  "account_id": spare.id, "code": newcomer_code,
                  "pathway_id": enrolment.pathway_id, "filename": "style.css"}
        db.commit()
    # Patients choose a username when they activate; staff have theirs from the admin.
    usernames = {"patient_a": "patient.a", "patient_b": "patient.b", "nurse": "demo.sykepleier",
                 "coordinator": "demo.koordinator", "admin": "demo.admin", "nurse_elsewhere": "nurse.elsewhere"}
    for person, name in demo_people.items():
        activate(app.test_client(), links[name], usernames[person])
    activate(app.test_client(), links["nurse_elsewhere"])
    for person, (_, token) in shares.items():
        usernames[person] = person.replace("_", ".")
        response = app.test_client().post(f"/invitation/{token}", data={
            "username": usernames[person], "password": PASSWORD, "confirm": PASSWORD})
        assert response.status_code == 302
    return World(app, usernames, values, items, own_shares)


def _outcome(response) -> str:
    if response.status_code == 302 and response.location.startswith("/login"):
        return "login"
    return {401: "login", 403: "forbidden", 404: "missing"}.get(response.status_code, "ok")


def _text_of(response) -> str:
    """What a person can read in the answer: the page, or the text of a PDF."""
    if response.mimetype == "application/pdf":
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


def _cases():
    for rule in sorted(ROUTES_APP.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(rule.endpoint, rule.rule, method, id=f"{method} {rule.rule}")


def test_every_route_is_in_the_table():
    assert {rule.endpoint for rule in ROUTES_APP.url_map.iter_rules()} == set(EXPECTED)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("matrix")) as url:
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        database.migrate(app)
        yield _build_world(app)
        app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("endpoint, path, method", list(_cases()))
def test_each_person_gets_the_expected_answer(world, endpoint, path, method):
    rule = next(rule for rule in world.app.url_map.iter_rules(endpoint) if rule.rule == path)
    expected = EXPECTED[endpoint]
    # Those the route lets in go last: what they do (an empty form, a withdrawal) must not change
    # what the others are answered.
    for person in sorted(PEOPLE, key=lambda person: expected[person] == "ok"):
        response = world.client_for(person).open(world.url_for(rule), method=method, data={})
        assert response.status_code < 500, (person, response.status_code)
        assert _outcome(response) == expected[person], (person, response.status_code)
        if person not in ("patient_a", "relative_a", "nurse", "coordinator"):
            assert PATIENT_A not in _text_of(response), person
