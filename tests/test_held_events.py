"""Events from the hospital's own systems that wait for a person nobody at the unit has registered:
the worklist says how many, the unit's staff see them in words, apply one once the person is
registered (the step then names the system it came from) or dismiss it. An event is never put on
the timeline of a patient with another number, nor shown to another unit.

Read in English (the assertions name the English texts); the cast's breast unit has one waiting
event, for HELD_PERSON (tests/support/world.py)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from portal import database
from portal.identity import spaced, synthetic
from portal.models import AuditEntry, Change, HeldEvent, Patient, RecordedEvent, Unit
from portal.timeline import Event

from .support import factories
from .support.pages import find, links, submit, text_of, texts
from .support.world import (
    BREAST_UNIT,
    COORDINATOR,
    DPS_COORDINATOR,
    HELD_EVENT,
    HELD_PERSON,
    NATIONAL_IDS,
    NURSE,
    TODAY,
)

SYSTEM = HELD_EVENT[3]
LIST = "/staff/held-events"


@pytest.fixture
def staff(sign_in):
    """staff(name) -> that member of the cast, signed in, reading English."""
    def signed_in(name: str):
        client = sign_in(name)
        client.post("/language/en")
        return client

    return signed_in


def held(app, national_id: str = HELD_PERSON) -> HeldEvent:
    with app.app_context():
        return database.session().scalar(select(HeldEvent).where(HeldEvent.national_id == national_id))


def hold(app, national_id: str, code: str, day: date, unit_name: str = BREAST_UNIT) -> int:
    """Another event waiting at the unit, as the import would hold it."""
    with app.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == unit_name))
        made = factories.held_event(db, unit, national_id, code, day, SYSTEM)
        db.commit()
        return made.id


def register(client, name: str, national_id: str):
    """Register a patient of the signed-in person's unit through the form, with the number (which
    gives the date of birth)."""
    done = submit(client, "/staff/patients/new", display_name=name, national_id=national_id, pathway="cancer-breast")
    assert done.status_code == 302, text_of(done)
    return done.headers["Location"].split("?")[0]


# --- seeing what waits ----------------------------------------------------------------------------

def test_the_worklist_says_how_many_events_wait_and_links_to_them(app, staff):
    nurse = staff(NURSE)
    (notice,) = texts(nurse.get("/staff/"), ".notice")
    assert notice == "1 event from the hospital's systems is waiting for a patient"
    assert LIST in links(nurse.get("/staff/"), ".notice a")
    hold(app, synthetic(1, 2, 1980, 300), "A16A", TODAY - timedelta(days=1))
    assert "2 events from the hospital's systems are waiting" in text_of(nurse.get("/staff/"))
    # Another unit has none waiting: its worklist says nothing about them.
    assert not find(staff(DPS_COORDINATOR).get("/staff/"), ".notice")


def test_the_list_names_the_person_the_step_and_where_it_came_from(staff):
    page = staff(COORDINATOR).get(LIST)
    assert page.status_code == 200
    (event,) = find(page, "section.held-event")
    assert texts(event, "h2") == ["Cervical cancer pathway: Referral received"]
    details = dict(zip(texts(event, "dt"), texts(event, "dd"), strict=True))
    assert details["Fødselsnummer or D-nummer"] == spaced(HELD_PERSON)
    assert details["Date it happened"] == format_date(TODAY - timedelta(days=2), "d MMMM y", locale="en")
    assert details["Pathway code"] == "A22A"
    assert details["Received from"] == SYSTEM
    assert details["Received"].startswith(format_date(TODAY, "d MMMM y", locale="en"))
    assert details["Patient"] == "No patient of the unit has this number yet. Register the patient"
    assert "/staff/patients/new" in links(event)
    assert not find(event, "form[action$='/apply']")  # nobody to apply it to yet


def test_another_units_staff_neither_see_nor_touch_the_event(app, staff):
    other = staff(DPS_COORDINATOR)
    assert "No events are waiting." in text_of(other.get(LIST))
    assert HELD_PERSON not in other.get(LIST).text and spaced(HELD_PERSON) not in other.get(LIST).text
    event_id = held(app).id
    assert other.post(f"{LIST}/{event_id}/apply").status_code == 404
    assert other.post(f"{LIST}/{event_id}/dismiss").status_code == 404
    assert held(app).resolution is None


# --- applying ---------------------------------------------------------------------------------------

def test_applying_before_the_person_is_registered_says_what_to_do(app, staff):
    coordinator = staff(COORDINATOR)
    page = coordinator.post(f"{LIST}/{held(app).id}/apply")
    assert page.status_code == 200
    (summary,) = texts(page, ".error-summary")
    assert "The event was not applied" in summary
    assert "Register the patient with the number first, then apply the event." in summary
    assert held(app).resolution is None
    with app.app_context():
        assert database.session().scalar(select(RecordedEvent).where(RecordedEvent.source == SYSTEM)) is None


def test_once_the_person_is_registered_the_event_is_applied_and_names_its_system(app, staff):
    coordinator = staff(COORDINATOR)
    record = register(coordinator, "Hilde Holdt", HELD_PERSON)
    (button,) = texts(coordinator.get(LIST), "section.held-event button.button:not(.button-secondary)")
    assert button == "Apply to the timeline of Hilde Holdt"

    done = coordinator.post(f"{LIST}/{held(app).id}/apply")
    assert done.status_code == 302
    after = coordinator.get(done.headers["Location"])
    assert texts(after, ".notice") == ["The event is now on the patient's timeline."]
    assert not find(after, "section.held-event")
    assert not find(coordinator.get("/staff/"), ".notice")  # nothing waits any more

    page = coordinator.get(record)
    (name_line,) = texts(page, ".national-id")
    assert name_line == f"Fødselsnummer {spaced(HELD_PERSON)}"
    assert "Cervical cancer pathway" in texts(page, "section.enrolment h2")
    happened = format_date(TODAY - timedelta(days=2), "d MMMM y", locale="en")
    assert (f"{happened} Referral received From the hospital's system: {SYSTEM}. "
            f"Applied by {COORDINATOR}.") in text_of(page)

    resolved = held(app)
    assert (resolved.resolution, resolved.resolved_by) == ("applied", COORDINATOR)
    with app.app_context():
        db = database.session()
        step = db.scalar(select(RecordedEvent).where(RecordedEvent.source == SYSTEM))
        assert (step.milestone, step.recorded_by) == ("referral_received", COORDINATOR)
        assert db.scalar(select(Change.by).where(Change.subject == "event", Change.action == "imported")) == COORDINATOR
        assert db.scalar(select(AuditEntry.actor).where(AuditEntry.action == "event-imported")) == COORDINATOR


def test_a_step_that_contradicts_the_record_is_refused_in_the_engines_words(app, staff):
    number = synthetic(14, 2, 1955, 310)
    with app.app_context():
        db = database.session()
        unit = db.scalar(select(Unit).where(Unit.name == BREAST_UNIT))
        patient = factories.patient(db, "Per Prostata", unit, national_id=number)
        factories.enrolment(db, patient, "cancer-prostate", [Event("referral_received", TODAY - timedelta(days=5))])
        db.commit()
    event_id = hold(app, number, "A16CK", TODAY - timedelta(days=9))  # a decision before the referral

    page = staff(NURSE).post(f"{LIST}/{event_id}/apply")
    assert page.status_code == 200
    referral = format_date(TODAY - timedelta(days=5), "d MMMM y", locale="en")
    assert f"The date is before the referral was received ({referral})." in texts(page, ".error-summary")[0]
    (event,) = find(page, f"section#held-{event_id}")
    assert f"The date is before the referral was received ({referral})." in text_of(event)
    assert held(app, number).resolution is None
    with app.app_context():
        assert database.session().scalar(select(RecordedEvent).where(RecordedEvent.milestone == "clinical_decision",
                                                                     RecordedEvent.source == SYSTEM)) is None


def test_an_event_is_never_put_on_the_timeline_of_someone_elses_number(app, staff):
    """Per Demo, with this number, is a patient of the mental health unit: the breast unit is told
    neither his name nor anything about him, and nothing is recorded."""
    number = NATIONAL_IDS["Per Demo"]
    event_id = hold(app, number, "A16A", TODAY - timedelta(days=1))
    coordinator = staff(COORDINATOR)
    register(coordinator, "Noen Annen", synthetic(2, 2, 1962, 120))  # someone else of the unit
    listed = find(coordinator.get(LIST), f"section#held-{event_id}")[0]
    assert "No patient of the unit has this number yet." in text_of(listed)
    page = coordinator.post(f"{LIST}/{event_id}/apply")
    assert "This person is a patient of another unit." in texts(page, ".error-summary")[0]
    assert "Per Demo" not in page.text
    assert held(app, number).resolution is None
    with app.app_context():
        patient = database.session().scalar(select(Patient).where(Patient.national_id == number))
        assert [e.pathway_id for e in patient.enrolments] == ["phr-adults"]


# --- dismissing -------------------------------------------------------------------------------------

def test_a_dismissed_event_leaves_the_list_and_the_audit_log_says_who(app, staff):
    coordinator = staff(COORDINATOR)
    event_id = held(app).id
    done = coordinator.post(f"{LIST}/{event_id}/dismiss")
    assert done.status_code == 302
    after = coordinator.get(done.headers["Location"])
    assert texts(after, ".notice") == ["The event is dismissed. It is no longer on the list."]
    assert "No events are waiting." in text_of(after)
    resolved = held(app)
    assert (resolved.resolution, resolved.resolved_by) == ("dismissed", COORDINATOR)
    assert resolved.resolved_at is not None
    with app.app_context():
        entry = database.session().scalar(select(AuditEntry).where(AuditEntry.action == "held-event-dismissed"))
        assert (entry.actor, entry.detail) == (COORDINATOR, f"held event {event_id} (A22A)")

    again = coordinator.post(f"{LIST}/{event_id}/apply")  # an old page, sent after all
    assert texts(coordinator.get(again.headers["Location"]), ".notice") == [
        "Someone has already applied or dismissed this event."]
    assert held(app).resolution == "dismissed"


def test_dismissing_needs_the_forms_token(app, staff):
    coordinator = staff(COORDINATOR)
    app.config["WTF_CSRF_ENABLED"] = True
    event_id = held(app).id
    assert coordinator.post(f"{LIST}/{event_id}/dismiss").status_code == 400
    assert held(app).resolution is None
    (token, *_) = [field.value for field in find(coordinator.get(LIST), "input[name=csrf_token]")]
    assert coordinator.post(f"{LIST}/{event_id}/dismiss", data={"csrf_token": token}).status_code == 302
    assert held(app).resolution == "dismissed"


# --- where a step came from, elsewhere --------------------------------------------------------------

def test_a_typed_step_names_who_typed_it_and_patients_do_not_see_sources(app, staff, sign_in):
    coordinator = staff(COORDINATOR)
    with app.app_context():
        kari = database.session().scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
    page = coordinator.get(f"/staff/patients/{kari.id}")
    assert texts(page, ".national-id") == [f"Fødselsnummer {spaced(NATIONAL_IDS['Kari Demo'])}"]
    assert "Typed in by test" in text_of(page)  # the factories record as "test"
    own_page = text_of(sign_in("Kari Demo").get("/my-timeline"))
    assert "Skrevet inn av" not in own_page and NATIONAL_IDS["Kari Demo"] not in own_page
