"""A patient's own timeline: activating the account, who can see the timeline and what it shows."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal import database
from portal.audit import record
from portal.history import history_of
from portal.models import Activation, AuditEntry, Patient, RecordedEvent

from .support.pages import parse, text_of
from .support.people import activate, login
from .support.stored import patient_id
from .support.world import KARIS_APPOINTMENT


def open_timeline(sign_in, name, language="en"):
    """The patient signs in and opens their timeline."""
    return sign_in(name).get(f"/my-timeline?lang={language}")


def test_timeline_sends_you_to_log_in_first(client):
    response = client.get("/my-timeline?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/my-timeline")


def test_unknown_activation_link_does_not_open_anything(client):
    assert client.get("/t/not-a-real-code").status_code == 404
    assert client.get("/my-timeline").status_code == 302


def test_patient_sees_phase_next_step_and_its_normal_date(sign_in):
    # Kari: referral 5 March, first attendance 8 March; decision normally within 12 days.
    page = text_of(open_timeline(sign_in, "Kari Demo"))
    assert "Where you are now" in page
    assert "Next step" in page
    assert "Friday 20 March 2026" in page
    assert "Sunday 8 March 2026" in page  # what has happened, with dates


def test_patient_sees_later_steps_with_a_date_per_treatment(sign_in):
    page = text_of(open_timeline(sign_in, "Kari Demo"))
    assert "Later steps" in page
    assert "Thursday 2 April 2026" in page  # surgery: 13 days after the decision
    assert "Monday 30 March 2026" in page  # drug treatment: 10 days


def test_a_date_that_has_passed_is_explained_calmly(sign_in):
    page = text_of(open_timeline(sign_in, "Liv Demo"))
    assert "Later than normal" in page
    assert "The normal date has passed" in page


def test_after_a_late_step_the_later_dates_are_counted_from_today_and_say_so(sign_in):
    # Liv: first attendance 22 February; the decision was normally due by 6 March. Today is
    # 10 March, so the treatment counts from today: surgery 13 days, drug 10 days.
    page = text_of(open_timeline(sign_in, "Liv Demo"))
    later = page[page.index("Later steps"):]
    assert later.startswith("Later steps The dates below are counted from today, because “")
    assert "Monday 23 March 2026" in later and "Friday 20 March 2026" in later
    assert "Thursday 19 March 2026" not in later  # 6 March + 13: what it said before
    assert "Counted from today." in later
    nynorsk = text_of(sign_in("Liv Demo").get("/my-timeline?lang=nn"))
    assert "Datoane under er rekna frå i dag, fordi «" in nynorsk


def test_ended_pathway_explains_what_happens_now(app, sign_in):
    page = text_of(open_timeline(sign_in, "Anne Demo"))
    ending = app.extensions["library"].get("cancer-breast").texts["en"].labels["endings"]["no_disease"]["title"]
    assert ending in page
    assert "Next step" not in page


def test_postponement_is_shown_as_the_patients_choice(sign_in):
    page = text_of(open_timeline(sign_in, "Siri Demo"))
    assert "This date has moved because you asked for more time." in page


def test_contact_card_lists_who_to_call(sign_in):
    page = text_of(open_timeline(sign_in, "Ola Demo"))
    assert "Who to contact" in page
    assert "Pathway coordinator" in page
    assert "+47 00 00 00 01" in page


def test_home_pathway_in_hospital_waits_for_discharge_without_a_date(app, sign_in):
    page = text_of(open_timeline(sign_in, "Astrid Demo"))
    labels = app.extensions["library"].get("hph").texts["en"].labels
    assert labels["milestones"]["discharge"]["name"] in page
    assert labels["phases"]["in_hospital"]["name"] in page


def test_timeline_opens_in_the_patients_preferred_language(client, activation_link):
    activate(client, activation_link("Liv Demo"), "liv.test")  # Liv prefers nynorsk
    assert parse(client.get("/my-timeline")).get("lang") == "nn"


def test_results_and_appointments_follow_where_you_are_now(sign_in):
    page = text_of(open_timeline(sign_in, "Kari Demo"))
    order = [page.index(heading) for heading in (
        "Next step", "Where you are now", "Results you are waiting for", "Your appointments", "Later steps")]
    assert order == sorted(order)
    assert "Svar på vevsprøven : expected by Monday 16 March 2026. Du blir ringt opp." in page
    assert f"Thursday 12 March 2026 at 09:30 : {KARIS_APPOINTMENT}" in page


def test_a_language_the_patient_chooses_is_kept_for_the_next_visit(app, sign_in):
    client = sign_in("Kari Demo")  # Kari prefers bokmål
    client.post("/language/en?next=/my-timeline")
    client.post("/logout")
    assert login(client, "kari.test").status_code == 302
    assert parse(client.get("/my-timeline")).get("lang") == "en"
    with app.app_context():
        kari = database.session().scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
        assert kari.preferred_language == "en"
        newest = next(iter(history_of(database.session(), kari.id)))
        assert newest.after == '{"preferred_language": "en"}'


def test_the_access_log_shows_norwegian_time(app, sign_in):
    client = sign_in("Kari Demo")
    with app.app_context():
        db = database.session()
        for entry in db.scalars(select(AuditEntry)):
            entry.at = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # half past midnight in Oslo, in winter
        db.commit()
    page = text_of(client.get("/my/access-log"))
    assert "10. mars 2026 kl. 00:30" in page and "kl. 23:30" not in page


def test_expired_activation_code_is_refused(client, app, activation_link):
    link = activation_link("Kari Demo")
    with app.app_context():
        db = database.session()
        for activation in db.scalars(select(Activation)):
            activation.expires_at = datetime(2000, 1, 1, tzinfo=UTC)
        db.commit()
    assert client.get(link).status_code == 404


def test_an_activation_code_works_once(client, app, activation_link):
    link = activation_link("Kari Demo")
    activate(client, link, "kari.test")
    assert app.test_client().get(link).status_code == 404


def test_signing_out_closes_the_timeline(sign_in):
    client = sign_in("Kari Demo")
    assert client.get("/my-timeline").status_code == 200
    client.post("/logout")
    assert client.get("/my-timeline").status_code == 302


def test_every_read_of_a_timeline_is_logged(app, sign_in):
    client = sign_in("Kari Demo")
    client.get("/my-timeline")
    client.get("/my-timeline")
    with app.app_context():
        db = database.session()
        reads = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "read"))
    assert reads == 2


def test_a_patient_only_ever_sees_their_own_timeline(sign_in):
    kari = text_of(open_timeline(sign_in, "Kari Demo"))
    ola = text_of(open_timeline(sign_in, "Ola Demo"))
    assert "For Kari Demo" in kari and "Ola Demo" not in kari
    assert "For Ola Demo" in ola and "Kari Demo" not in ola


def test_a_new_event_shows_on_the_next_view(app, sign_in):
    client = sign_in("Kari Demo")
    before = text_of(client.get("/my-timeline?lang=en"))
    assert "Later steps" in before
    with app.app_context():
        db = database.session()
        kari = db.scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
        enrolment = kari.enrolments[0]
        enrolment.events.append(RecordedEvent(
            milestone="clinical_decision", date=date(2026, 3, 9), outcome="no_disease",
            recorded_by="test", recorded_at=datetime(2026, 3, 9, 12, tzinfo=UTC)))
        enrolment.touch()
        db.commit()
    after = text_of(client.get("/my-timeline?lang=en"))
    assert "Monday 9 March 2026" in after
    assert "Next step" not in after


def test_who_has_looked_names_the_portals_own_commands_in_words(app, sign_in):
    with app.app_context():
        db = database.session()
        record(db, "cli:demo", "create", patient_id(app, "Kari Demo"), "demo patient")
        db.commit()
    log = sign_in("Kari Demo").get("/my/access-log?lang=nb")
    assert "Forløp selv, ved oppsettet" in log.get_data(as_text=True)
    assert "cli:" not in log.get_data(as_text=True)
