"""A coordinator's new activation code for a patient (issue 17): a new account's code is shown to
hand over in person; a code for an account in use goes to the patient's own address and is never
shown. The patient is told who made it and when, and when it set a new password, in their own
language; both are in their access log. With no address, the coordinator is told what can be done."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import database
from portal.models import Activation, NotificationChoice

from .support.pages import find, links, text_of, texts
from .support.people import activate, code_sent_to_patient, english, login
from .support.stored import account_named, count, patient_id, update_patient
from .support.world import COORDINATOR, PASSWORD, USERNAMES

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
NEW_PASSWORD = "a new sentence that is long enough"


@pytest.fixture
def app(mailing_app):
    return mailing_app


def signed_in(app, name: str, language: str = "en"):
    client = app.test_client()
    client.post(f"/language/{language}")
    assert login(client, USERNAMES[name]).status_code == 302
    return client


def test_a_coordinator_never_sees_a_code_for_an_account_in_use_and_the_patient_receives_it(app, mailbox):
    update_patient(app, "Kari Demo", email="kari@example.no")
    kari = signed_in(app, "Kari Demo")
    coordinator = signed_in(app, COORDINATOR)
    record = coordinator.get(f"/staff/patients/{patient_id(app, 'Kari Demo')}")
    assert "Send a new activation code (forgotten password)" in text_of(record)
    assert "It is not shown to you." in text_of(record)

    page = coordinator.post(f"/staff/patients/{patient_id(app, 'Kari Demo')}/activation")
    assert page.status_code == 200
    assert texts(page, "h1") == ["Activation code sent to Kari Demo"]
    assert "on its way to the patient's own e-mail address" in text_of(page)
    assert not find(page, ".code-display") and not CODE.search(page.text) and "/t/" not in page.text

    [message] = mailbox.to("kari@example.no")
    assert message["Subject"] == "Aktiveringskoden din for Forløp"  # her language: bokmål
    body = message.get_content()
    assert f"{COORDINATOR} laget en ny aktiveringskode for kontoen din i Forløp" in body
    assert "Hvis du ikke har bedt om en kode, ikke bruk den." in body
    for health in ("bryst", "kreft", "Brystdiagnostisk"):
        assert health.lower() not in body.lower()  # nothing about her health, not even the unit

    # She uses it: a new password, every other sign-in ended, and she is told.
    link = mailbox.activation_link("kari@example.no")
    person = english(app)
    activate(person, link, password=NEW_PASSWORD)
    assert kari.get("/my-timeline").status_code == 302  # her earlier sign-in has ended
    assert login(english(app), USERNAMES["Kari Demo"], NEW_PASSWORD).status_code == 302
    told = mailbox.to("kari@example.no")[-1]
    assert told["Subject"] == "Passordet ditt i Forløp er endret"
    assert "/t/" not in told.get_content() and not CODE.search(told.get_content())

    log = text_of(person.get("/my/access-log?lang=en"))
    assert f"{COORDINATOR} (coordinator" in log and "made an activation code" in log
    assert "chose a password" in log


def test_the_address_she_chose_for_messages_comes_first_and_her_language_is_used(app, mailbox):
    update_patient(app, "Liv Demo", email="liv.record@example.no")  # Liv reads nynorsk
    with app.app_context():
        db = database.session()
        account = account_named(app, "Liv Demo")
        db.add(NotificationChoice(account_id=account.id, channel="email", email="liv@example.no", topics="",
                                  language="nn", updated_at=account.created_at))
        db.commit()
    coordinator = signed_in(app, COORDINATOR)
    coordinator.post(f"/staff/patients/{patient_id(app, 'Liv Demo')}/activation")
    assert mailbox.to("liv.record@example.no") == []
    [message] = mailbox.to("liv@example.no")
    assert message["Subject"] == "Aktiveringskoden din for Forløp"
    assert "laga ein ny aktiveringskode" in message.get_content()


def test_with_no_address_the_coordinator_gets_a_clear_page_and_no_code_is_made(app, mailbox):
    coordinator = signed_in(app, COORDINATOR)
    before = count(app, Activation)
    page = coordinator.post(f"/staff/patients/{patient_id(app, 'Kari Demo')}/activation")
    assert page.status_code == 200
    assert texts(page, "h1") == ["No activation code was sent"]
    words = text_of(page)
    assert "Kari Demo has no e-mail address or mobile number in Forløp" in words
    assert "Come in person with identification" in words
    assert f"/staff/patients/{patient_id(app, 'Kari Demo')}/edit" in links(page, "main a")
    assert not find(page, ".code-display") and not CODE.search(page.text)
    assert count(app, Activation) == before and mailbox.messages == []
    # Her current password still works: nothing was revoked.
    assert login(english(app), USERNAMES["Kari Demo"], PASSWORD).status_code == 302


def test_with_id_porten_the_page_says_she_can_log_in_with_it(make_app, mailbox):
    app = make_app(SMTP_PORT=mailbox.port, IDPORTEN_ISSUER="https://idporten.example",
                   IDPORTEN_CLIENT_ID="forlop", IDPORTEN_CLIENT_SECRET="secret")
    page = signed_in(app, COORDINATOR).post(f"/staff/patients/{patient_id(app, 'Kari Demo')}/activation")
    assert "Log in with ID-porten" in text_of(page)


def test_a_new_account_still_gets_its_code_on_the_handover_page(app, mailbox, activation_link):
    activation_link("Ola Demo")  # as if Ola had never activated his account
    page = signed_in(app, COORDINATOR).post(f"/staff/patients/{patient_id(app, 'Ola Demo')}/activation")
    assert texts(page, "h1") == ["Activation code for Ola Demo"]
    assert CODE.fullmatch(texts(page, ".code-display")[0])
    assert page.headers["Cache-Control"] == "no-store"
    assert mailbox.messages == []


def test_a_sent_code_works_and_is_kept_with_who_made_it(app, mailbox):
    link = code_sent_to_patient(app, signed_in(app, COORDINATOR), mailbox, "Anne Demo")
    activate(english(app), link, password=NEW_PASSWORD)
    assert login(english(app), USERNAMES["Anne Demo"], NEW_PASSWORD).status_code == 302
    with app.app_context():
        used = database.session().scalar(select(Activation).where(Activation.used_at.is_not(None)))
        assert used.created_by == COORDINATOR
