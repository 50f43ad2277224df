"""A world in which every route of the portal can be opened by every kind of person: the standard
cast, a relative for each of two patients (A: Kari Demo, B: Ola Demo), a nurse of another unit,
and the ids that fill each route's address with something of patient A's. The access matrix
(tests/test_access_matrix.py) and the read audit (tests/test_read_audit.py) walk the routes in it."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from portal import database
from portal.clock import now
from portal.models import Appointment, Contact, Enrolment, ExpectedResult, Goal, HeldEvent, Notification, Patient, Unit

from . import factories
from .people import login
from .world import ADMINISTRATOR, COORDINATOR, DPS_UNIT, NURSE, PASSWORD, USERNAMES

PATIENT_A = "Kari Demo"

# Which contact, appointment or result an `item_id` means, by endpoint.
ITEM_OF = {"appointment": Appointment, "result": ExpectedResult, "contact": Contact}
# Query values a route needs beyond its path: the patients chosen for a printout.
QUERY_OF = {"pdf.chosen_patients": ("patient", "patient_id"),
            **{f"integration.search_{kind}": ("patient", "patient_id")
               for kind in ("episodes", "care_plans", "goals", "appointments")}}
# Routes that withdraw or change a share each get a share of A's of their own, so that relative
# A's share stays as it is for the other routes.
OWN_SHARE_ROUTES = ("patient.change_scopes", "patient.withdraw", "staff.withdraw_share")


@dataclass
class World:
    """A portal with the standard cast, everyone signed up, and the ids that fill the routes."""

    app: object
    usernames: dict[str, str]
    values: dict[str, object]
    items: dict[str, int]
    own_shares: dict[str, int]
    sessions: dict[str, str] = field(default_factory=dict)

    def client_for(self, person: str):
        """A browser of its own for `person`, signed in: each logs in once, and later browsers
        carry that session's cookie (what a route does in one browser stays in that browser)."""
        client = self.app.test_client()
        if person == "anonymous":
            return client
        if person not in self.sessions:
            assert login(client, self.usernames[person]).status_code == 302, person
            self.sessions[person] = client.get_cookie("session").value
        else:
            client.set_cookie("session", self.sessions[person])
        return client

    def forget_if_signed_out(self, person: str, client) -> None:
        """A route that signed the person out (or in again) ended that sign-in on the server, for
        every copy of its cookie: the next browser signs in afresh."""
        cookie = client.get_cookie("session")
        if person in self.sessions and (cookie is None or cookie.value != self.sessions[person]):
            del self.sessions[person]

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
            _, token = factories.share(db, patient, "Ikke svart ennå")
            db.commit()
            return token


def build_world(app) -> World:
    with app.app_context():
        db = database.session()
        patient_a = db.scalar(select(Patient).where(Patient.display_name == PATIENT_A))
        patient_b = db.scalar(select(Patient).where(Patient.display_name == "Ola Demo"))
        elsewhere = db.scalar(select(Unit).where(Unit.name == DPS_UNIT))
        # One account for the admin routes to act on, another whose code /t/<code> is given.
        spare, newcomer = (factories.account(db, "nurse", name, unit=elsewhere) for name in ("Reserve", "Ny"))
        factories.account(db, "nurse", "Nils Annenstad", "nurse.elsewhere", PASSWORD, unit=elsewhere)
        newcomer_code = factories.activation_code(db, newcomer)
        relatives = {person: factories.account(db, "relative", f"Pårørende {person[-1].upper()}",
                                               person.replace("_", "."), PASSWORD)
                     for person in ("relative_a", "relative_b")}
        # Each relative sees the timeline (and so its printout) of the patient who shares with them.
        shares = {person: factories.share(db, patient, f"Pårørende {person[-1].upper()}", relative=relatives[person],
                                          see_appointments=True)[0]
                  for person, patient in (("relative_a", patient_a), ("relative_b", patient_b))}
        own_shares = {endpoint: factories.share(db, patient_a, "Pårørende")[0].id for endpoint in OWN_SHARE_ROUTES}
        enrolment = db.scalar(select(Enrolment).where(Enrolment.patient_id == patient_a.id))
        # The cast's event waiting at A's unit (applying it waits for the person; dismissing it
        # leaves the next person a page saying it is done), and a system of A's unit to revoke.
        held = db.scalar(select(HeldEvent).where(HeldEvent.unit_id == patient_a.unit_id))
        api_client, _token = factories.api_client(db, "DIPS", patient_a.unit)
        # A message the admin decides about (the form sent empty decides nothing: 400).
        failed = Notification(account_id=relatives["relative_a"].id, topic="step", channel="email",
                              address="a@example.no", language="nb", created_at=now(), send_after=now(),
                              status="failed", attempts=5)
        db.add(failed)
        db.flush()
        items = {noun: db.scalar(select(model.id).where(model.enrolment_id == enrolment.id))
                 for noun, model in ITEM_OF.items()}
        # A's shared goal and its open action, and her draft (hers alone).
        goal = db.scalar(select(Goal).where(Goal.patient_id == patient_a.id, Goal.state == "current"))
        draft = db.scalar(select(Goal).where(Goal.patient_id == patient_a.id, Goal.state == "draft"))
        values = {"patient_id": patient_a.id, "enrolment_id": enrolment.id,
                  "goal_id": goal.id, "draft_id": draft.id, "action_id": goal.open_actions[0].id,
                  "event_id": enrolment.current_events[0].id, "share_id": shares["relative_a"].id,
                  "account_id": spare.id, "code": newcomer_code, "held_id": held.id, "client_id": api_client.id,
                  "notification_id": failed.id,
                  "pathway_id": enrolment.pathway_id, "filename": "style.css", "slug": "id-porten"}
        db.commit()
    usernames = {"patient_a": USERNAMES[PATIENT_A], "patient_b": USERNAMES["Ola Demo"], "nurse": USERNAMES[NURSE],
                 "coordinator": USERNAMES[COORDINATOR], "admin": USERNAMES[ADMINISTRATOR],
                 "nurse_elsewhere": "nurse.elsewhere", "relative_a": "relative.a", "relative_b": "relative.b"}
    return World(app, usernames, values, items, own_shares)
