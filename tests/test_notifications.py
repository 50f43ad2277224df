"""Being told there is news: the choice on the patient's and the relative's page, messages queued by
saves and by the daily job, quiet hours and one a day, sending over a real SMTP server and SMS
gateway on loopback, retries while the gateway is down, the admin's dead-letter list, and the real
job worker."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock_time

import pytest
from sqlalchemy import select

from portal import database
from portal.clock import NORWAY
from portal.models import Enrolment, Notification, NotificationChoice, Patient, Share
from portal.notifications.sending import CLAIM_TIMEOUT, MAX_ATTEMPTS, due

from .support import factories
from .support.messages import SmsGateway
from .support.pages import error_on, submit, texts
from .support.people import accept, invite, login
from .support.stored import patient_id
from .support.world import ADMINISTRATOR, COORDINATOR, TODAY, USERNAMES

KARI_MAIL = "kari@example.no"
APPOINTMENT = {"day": (TODAY + timedelta(days=6)).isoformat(), "time": "10:15", "what": "Ultralyd av brystet",
               "place": "Poliklinikken, 1. etasje"}


@pytest.fixture
def gateway():
    sms = SmsGateway().start()
    yield sms
    sms.stop()


@pytest.fixture
def app(make_app, mailbox, gateway):
    return make_app(SMTP_PORT=mailbox.port, SMS_GATEWAY_URL=gateway.url)


def choose(client, path="/my/notifications", **fields):
    defaults = {"channel": "email", "email": KARI_MAIL}
    return submit(client, path, **{**defaults, **fields})


def enrolment_id(app, name: str) -> int:
    with app.app_context():
        return database.session().scalar(select(Enrolment.id).join(Patient).where(Patient.display_name == name))


def add_appointment(coordinator, enrolment: int, **fields):
    response = submit(coordinator, f"/staff/enrolments/{enrolment}/appointments/new", **{**APPOINTMENT, **fields})
    assert response.status_code == 302, response.status_code
    return response


def outbox(app) -> list[Notification]:
    with app.app_context():
        return list(database.session().scalars(select(Notification).order_by(Notification.id)))


def test_a_new_appointment_is_an_email_that_says_only_that_there_is_news(app, sign_in, mailbox):
    kari = sign_in("Kari Demo")
    assert choose(kari).status_code == 302
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    [message] = mailbox.to(KARI_MAIL)
    assert message["Subject"] == "Nytt fra Forløp"
    body = message.get_content()
    assert "En dato i oversikten din er ny eller endret." in body
    assert "http://127.0.0.1:5000/my-timeline" in body
    # Nothing of what the news is: no pathway, no diagnosis, not the appointment, not her name.
    for detail in ("bryst", "kreft", "Ultralyd", "Poliklinikken", "Kari", "16."):
        assert detail.lower() not in body.lower()
    assert [n.status for n in outbox(app)] == ["sent"]


def test_at_most_one_message_a_day_unless_a_date_moved(app, sign_in, mailbox):
    kari = sign_in("Kari Demo")
    choose(kari)
    coordinator = sign_in(COORDINATOR)
    enrolment = enrolment_id(app, "Kari Demo")
    add_appointment(coordinator, enrolment)
    add_appointment(coordinator, enrolment, what="Blodprøve")  # a second piece of news the same day
    assert len(mailbox.to(KARI_MAIL)) == 1
    with app.app_context():
        appointment = database.session().get(Enrolment, enrolment).appointments[0].id
    moved = submit(coordinator, f"/staff/enrolments/{enrolment}/appointments/{appointment}",
                   day=(TODAY + timedelta(days=9)).isoformat())
    assert moved.status_code == 302
    assert len(mailbox.to(KARI_MAIL)) == 2  # the date moved: she hears of it the same day


def test_nothing_is_sent_in_the_quiet_hours_and_it_goes_at_eight(app, sign_in, mailbox, clock):
    kari = sign_in("Kari Demo")
    choose(kari)
    coordinator = sign_in(COORDINATOR)
    evening = datetime.combine(TODAY, clock_time(22, 30), NORWAY)
    clock(seconds=(evening - datetime.now(NORWAY)).total_seconds())
    add_appointment(coordinator, enrolment_id(app, "Kari Demo"))
    [waiting] = outbox(app)
    assert waiting.status == "waiting"
    assert waiting.send_after == datetime.combine(TODAY + timedelta(days=1), clock_time(8), NORWAY)
    app.extensions["jobs"].send_due.call_local()
    assert mailbox.messages == []
    clock(hours=9, minutes=31)  # 08:01 the next morning
    app.extensions["jobs"].send_due.call_local()
    assert len(mailbox.to(KARI_MAIL)) == 1


def test_sms_goes_to_the_number_in_international_form(app, sign_in, gateway):
    kari = sign_in("Kari Demo")
    assert choose(kari, channel="sms", email="", phone="912 34 567").status_code == 302
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    [sms] = gateway.sent
    assert sms["to"] == "+4791234567"
    assert "En dato i oversikten din er ny eller endret." in sms["text"]


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"channel": "sms", "phone": "123"}, "phone", "ikke et helt mobilnummer"),
    ({"channel": "sms", "phone": "22 12 34 56"}, "phone", "fasttelefon"),
    ({"channel": "sms", "phone": "ring meg"}, "phone", "Skriv et mobilnummer"),
    ({"channel": "sms", "phone": ""}, "phone", "Skriv mobilnummeret"),
    ({"channel": "email", "email": "kari@"}, "email", "riktig form"),
    ({"channel": "email", "email": ""}, "email", "Skriv e-postadressen"),
    ({"channel": "pigeon"}, "channel", "Velg hvordan"),
])
def test_a_bad_number_or_address_is_named_and_the_entry_kept(app, sign_in, fields, field, message):
    kari = sign_in("Kari Demo")
    page = choose(kari, **{"email": "", **fields})
    assert page.status_code == 200
    assert message.lower() in error_on(page, field).lower()
    assert f'href="#field-{field}"' in page.text  # the error summary links to the field
    if field != "channel" and fields.get(field):
        assert fields[field] in page.text
    with app.app_context():
        assert database.session().scalars(select(NotificationChoice)).all() == []


def test_a_gateway_that_is_down_is_retried_then_shown_to_the_admin_and_sent_again(app, sign_in, gateway, clock):
    kari = sign_in("Kari Demo")
    choose(kari, channel="sms", email="", phone="91234567")
    gateway.down = True
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    [notification] = outbox(app)
    assert (notification.status, notification.attempts) == ("waiting", 1)
    assert "503" in notification.last_error
    for _ in range(MAX_ATTEMPTS):
        clock(minutes=40)
        app.extensions["jobs"].send_due.call_local()
    [notification] = outbox(app)
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert gateway.sent == []
    admin = sign_in(ADMINISTRATOR)
    page = admin.get("/admin/notifications?lang=nb")
    assert "Ikke sendt etter 5 forsøk." in " ".join(texts(page, f"#notification-{notification.id}"))
    assert "Kari" not in page.text and "91234567" not in page.text  # the admin reads no patient data
    gateway.down = False
    again = submit(admin, "/admin/notifications", f"/admin/notifications/{notification.id}", decision="again")
    assert again.status_code == 302
    assert [sms["to"] for sms in gateway.sent] == ["+4791234567"]
    assert [n.status for n in outbox(app)] == ["sent"]


def test_a_message_a_dead_worker_was_sending_is_never_sent_again_but_shown(app, sign_in, mailbox, clock):
    choose(sign_in("Kari Demo"))
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    with app.app_context():
        db = database.session()
        notification = db.scalars(select(Notification)).one()
        # As a worker that claimed it and was killed before it could say whether it went.
        notification.status, notification.claimed_at = "sending", notification.created_at
        db.commit()
    clock(seconds=CLAIM_TIMEOUT.total_seconds() + 60)
    with app.app_context():
        assert due(database.session()) == []
    assert [n.status for n in outbox(app)] == ["unsure"]
    assert len(mailbox.messages) == 1  # the one the "dead" worker sent; nothing more
    page = sign_in(ADMINISTRATOR).get("/admin/notifications?lang=nb")
    assert "Den kan ha kommet fram, eller ikke." in page.text


def test_a_relative_hears_only_when_the_patient_allows_it(app, sign_in, mailbox):
    kari = sign_in("Kari Demo")
    choose(kari, channel="none")
    link = invite(kari, see_appointments=True, tell_news=True)
    nora = accept(app, link)
    page = nora.get("/shared/notifications")
    assert "Kari Demo" in " ".join(texts(page, "main"))
    choose(nora, "/shared/notifications?lang=nb", email="nora@example.no")
    coordinator = sign_in(COORDINATOR)
    add_appointment(coordinator, enrolment_id(app, "Kari Demo"))
    [message] = mailbox.to("nora@example.no")
    assert "Det er nytt hos den som deler forløpet sitt med deg." in message.get_content()
    assert "/shared" in message.get_content()
    assert mailbox.to(KARI_MAIL) == []  # Kari chose not to be told
    with app.app_context():
        db = database.session()
        db.scalars(select(Share)).one().tell_news = False
        db.commit()
    add_appointment(coordinator, enrolment_id(app, "Kari Demo"), day=(TODAY + timedelta(days=20)).isoformat())
    assert len(mailbox.to("nora@example.no")) == 1


def test_the_daily_job_tells_of_a_passed_date_once_and_puts_the_pathway_first(app, sign_in, mailbox, clock):
    liv = sign_in("Liv Demo")  # her decision is later than normal
    choose(liv, email="liv@example.no")
    coordinator = sign_in(COORDINATOR)
    app.extensions["jobs"].daily.call_local()
    [message] = mailbox.to("liv@example.no")
    assert "har gått" in message.get_content() and "ring kontakten din" in message.get_content().lower()
    first_row = texts(coordinator.get("/staff/?lang=nb"), "table tbody tr")[0]
    assert "Liv Demo" in first_row and "Ikke noe nytt siden den normale datoen" in first_row
    app.extensions["jobs"].daily.call_local()
    clock(days=1)
    app.extensions["jobs"].daily.call_local()
    assert len(mailbox.to("liv@example.no")) == 1  # the same passed date: told once
    assert [n.reason.split(":")[0] for n in outbox(app)] == ["passed"]


def test_the_daily_job_tells_of_a_result_expected_soon_and_the_monthly_reminder(app, sign_in, mailbox):
    kari = sign_in("Kari Demo")
    choose(kari, about_monthly="y")
    with app.app_context():
        db = database.session()
        enrolment = db.get(Enrolment, enrolment_id(app, "Kari Demo"))
        db.add(factories.expected_result(enrolment, "Svar på vevsprøven", TODAY + timedelta(days=1)))
        db.commit()
    app.extensions["jobs"].daily.call_local()
    with app.app_context():
        topics = database.session().scalars(select(Notification.topic)).all()
    # One a day: the result comes first; the monthly reminder waits for a day with no other message.
    assert topics == ["result_soon"]
    assert "Du kan snart vente et svar." in mailbox.to(KARI_MAIL)[0].get_content()


def test_the_choice_is_kept_and_shown_again_in_the_language_it_was_made(app, sign_in):
    kari = sign_in("Kari Demo")
    kari.post("/language/en?next=/my/notifications")
    saved = choose(kari, about_step="", about_monthly="y")
    page = kari.get(saved.headers["Location"])
    assert "Saved." in page.text
    with app.app_context():
        choice = database.session().scalars(select(NotificationChoice)).one()
    assert (choice.channel, choice.email, choice.language) == ("email", KARI_MAIL, "en")
    assert "step" not in choice.topic_list and "monthly" in choice.topic_list


def test_the_real_worker_sends_what_a_save_queued(make_app, mailbox, tmp_path):
    """The job worker as make run starts it: huey_consumer with its queue in a SQLite file."""
    queue = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    app = make_app(SMTP_PORT=mailbox.port, JOB_QUEUE_URL=queue)
    environment = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"], "JOB_QUEUE_URL": queue,
                   "SMTP_PORT": str(mailbox.port), "SECRET_KEY": "test", "CONTENT_DIR": app.config["CONTENT_DIR"]}
    worker = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "huey_consumer"),
                               "portal.worker.queue", "-w", "2", "-q"], env=environment)
    try:
        client = app.test_client()
        login(client, USERNAMES["Kari Demo"])
        choose(client)
        coordinator = app.test_client()
        login(coordinator, USERNAMES[COORDINATOR])
        add_appointment(coordinator, enrolment_id(app, "Kari Demo"))
        # The worker marks a message sent just after the mail server took it: wait for both.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
                mailbox.to(KARI_MAIL) and [n.status for n in outbox(app)] == ["sent"]):
            time.sleep(0.1)
        assert len(mailbox.to(KARI_MAIL)) == 1
        assert [n.status for n in outbox(app)] == ["sent"]
    finally:
        worker.kill()
        worker.wait()


def test_a_fault_in_making_the_message_is_failed_at_once_not_left_sending(app, sign_in, mailbox, monkeypatch):
    def broken(_notification, _code=None):
        raise KeyError("no such text")

    monkeypatch.setattr("portal.notifications.sending.compose", broken)
    choose(sign_in("Kari Demo"))
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    [notification] = outbox(app)
    assert (notification.status, notification.attempts) == ("failed", 1)
    assert notification.last_error.startswith("KeyError")
    assert mailbox.messages == []


# --- activation codes through the outbox (portal.notifications.account_messages) --------------------------

def send_kari_a_code(app, sign_in):
    return sign_in(COORDINATOR).post(f"/staff/patients/{patient_id(app, 'Kari Demo')}/activation?lang=en")


def test_a_patient_who_chose_sms_gets_her_code_by_sms_and_it_works(app, sign_in, gateway):
    choose(sign_in("Kari Demo"), channel="sms", phone="912 34 567", email="")
    page = send_kari_a_code(app, sign_in)
    assert "on its way to the patient's own mobile phone as a text message" in " ".join(texts(page, "main"))
    [sms] = gateway.sent
    assert sms["to"] == "+4791234567"
    assert f"{COORDINATOR} laget en ny aktiveringskode" in sms["text"]
    (code,) = re.findall(r"/t/([0-9A-Z-]+)", sms["text"])
    assert app.test_client().get(f"/t/{code}").status_code == 302


def test_a_code_is_not_the_days_news(app, sign_in, mailbox):
    choose(sign_in("Kari Demo"))
    send_kari_a_code(app, sign_in)
    add_appointment(sign_in(COORDINATOR), enrolment_id(app, "Kari Demo"))
    assert [m["Subject"] for m in mailbox.to(KARI_MAIL)] == ["Aktiveringskoden din for Forløp", "Nytt fra Forløp"]


def test_a_code_message_that_waited_while_a_newer_code_was_made_is_not_sent(app, sign_in, gateway, clock):
    choose(sign_in("Kari Demo"), channel="sms", phone="912 34 567", email="")
    gateway.down = True
    send_kari_a_code(app, sign_in)  # not sent: it waits for a retry
    gateway.down = False
    send_kari_a_code(app, sign_in)  # the newer code goes at once
    clock(minutes=5)
    app.extensions["jobs"].send_due.call_local()
    assert len(gateway.sent) == 1
    assert [(n.topic, n.status) for n in outbox(app)] == [("activation", "dropped"), ("activation", "sent")]
