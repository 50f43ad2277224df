"""A patient's own timeline, after activating their account: who can see it and what it shows."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from portal import database
from portal.history import history_of
from portal.models import Activation, AuditEntry, Patient, RecordedEvent

from .conftest import PASSWORD, activate
from .test_pages import text_of


def open_timeline(client, link, language="en"):
    activate(client, link, "patient.test")
    return client.get(f"/my-timeline?lang={language}")


def test_timeline_sends_you_to_log_in_first(client, demo_links):
    response = client.get("/my-timeline?lang=en")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/my-timeline")


def test_unknown_activation_link_does_not_open_anything(client, demo_links):
    assert client.get("/t/not-a-real-code").status_code == 404
    assert client.get("/my-timeline").status_code == 302


def test_patient_sees_phase_next_step_and_its_normal_date(client, demo_links):
    # Kari: referral 5 March, first attendance 8 March; decision normally within 12 days.
    page = text_of(open_timeline(client, demo_links["Kari Demo"]))
    assert "Where you are now" in page
    assert "Next step" in page
    assert "Friday 20 March 2026" in page
    assert "Sunday 8 March 2026" in page  # what has happened, with dates


def test_patient_sees_later_steps_with_a_date_per_treatment(client, demo_links):
    page = text_of(open_timeline(client, demo_links["Kari Demo"]))
    assert "Later steps" in page
    assert "Thursday 2 April 2026" in page  # surgery: 13 days after the decision
    assert "Monday 30 March 2026" in page  # drug treatment: 10 days


def test_a_date_that_has_passed_is_explained_calmly(client, demo_links):
    page = text_of(open_timeline(client, demo_links["Liv Demo"]))
    assert "Later than normal" in page
    assert "The normal date has passed" in page


def test_ended_pathway_explains_what_happens_now(client, app, demo_links):
    page = text_of(open_timeline(client, demo_links["Anne Demo"]))
    ending = app.extensions["library"].get("cancer-breast").texts["en"].labels["endings"]["no_disease"]["title"]
    assert ending in page
    assert "Next step" not in page


def test_postponement_is_shown_as_the_patients_choice(client, demo_links):
    page = text_of(open_timeline(client, demo_links["Siri Demo"]))
    assert "This date has moved because you asked for more time." in page


def test_contact_card_lists_who_to_call(client, demo_links):
    page = text_of(open_timeline(client, demo_links["Ola Demo"]))
    assert "Who to contact" in page
    assert "Pathway coordinator" in page
    assert "+47 00 00 00 01" in page


def test_home_pathway_in_hospital_waits_for_discharge_without_a_date(client, app, demo_links):
    page = text_of(open_timeline(client, demo_links["Astrid Demo"]))
    labels = app.extensions["library"].get("hph").texts["en"].labels
    assert labels["milestones"]["discharge"]["name"] in page
    assert labels["phases"]["in_hospital"]["name"] in page


def test_timeline_opens_in_the_patients_preferred_language(client, demo_links):
    activate(client, demo_links["Liv Demo"], "liv.test")  # Liv prefers nynorsk
    assert '<html lang="nn">' in client.get("/my-timeline").get_data(as_text=True)


def test_results_and_appointments_follow_where_you_are_now(client, demo_links):
    page = text_of(open_timeline(client, demo_links["Kari Demo"]))
    order = [page.index(heading) for heading in (
        "Next step", "Where you are now", "Results you are waiting for", "Your appointments", "Later steps")]
    assert order == sorted(order)
    assert "Svar på vevsprøven : expected by Monday 16 March 2026. Du blir ringt opp." in page
    assert "Thursday 12 March 2026 at 09:30 : MR av brystene" in page


def test_a_language_the_patient_chooses_is_kept_for_the_next_visit(app, client, demo_links):
    activate(client, demo_links["Kari Demo"], "kari.test")  # Kari prefers bokmål
    client.get("/language/en?next=/my-timeline")
    client.post("/logout")
    assert client.post("/login", data={"username": "kari.test", "password": PASSWORD}).status_code == 302
    assert '<html lang="en">' in client.get("/my-timeline").get_data(as_text=True)
    with app.app_context():
        kari = database.session().scalar(select(Patient).where(Patient.display_name == "Kari Demo"))
        assert kari.preferred_language == "en"
        assert [change.after for change in history_of(database.session(), kari.id)][0] == '{"preferred_language": "en"}'


def test_the_access_log_shows_norwegian_time(app, client, demo_links):
    activate(client, demo_links["Kari Demo"], "kari.test")
    with app.app_context():
        db = database.session()
        for entry in db.scalars(select(AuditEntry)):
            entry.at = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # half past midnight in Oslo, in winter
        db.commit()
    page = text_of(client.get("/my/access-log"))
    assert "2026-03-10 00:30" in page and "2026-03-09 23:30" not in page


def test_expired_activation_code_is_refused(client, app, demo_links):
    with app.app_context():
        db = database.session()
        for activation in db.scalars(select(Activation)):
            activation.expires_at = datetime(2000, 1, 1, tzinfo=UTC)
        db.commit()
    assert client.get(demo_links["Kari Demo"]).status_code == 404


def test_an_activation_code_works_once(client, app, demo_links):
    activate(client, demo_links["Kari Demo"], "kari.test")
    assert app.test_client().get(demo_links["Kari Demo"]).status_code == 404


def test_signing_out_closes_the_timeline(client, demo_links):
    open_timeline(client, demo_links["Kari Demo"])
    client.post("/logout")
    assert client.get("/my-timeline").status_code == 302


def test_every_read_of_a_timeline_is_logged(client, app, demo_links):
    open_timeline(client, demo_links["Kari Demo"])
    client.get("/my-timeline")
    with app.app_context():
        db = database.session()
        reads = db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "read"))
    assert reads == 2


def test_a_patient_only_ever_sees_their_own_timeline(app, demo_links):
    kari = text_of(open_timeline(app.test_client(), demo_links["Kari Demo"]))
    ola_client = app.test_client()
    activate(ola_client, demo_links["Ola Demo"], "ola.test")
    ola = text_of(ola_client.get("/my-timeline?lang=en"))
    assert "For Kari Demo" in kari and "Ola Demo" not in kari
    assert "For Ola Demo" in ola and "Kari Demo" not in ola


def test_a_new_event_shows_on_the_next_view(client, app, demo_links):
    before = text_of(open_timeline(client, demo_links["Kari Demo"]))
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
