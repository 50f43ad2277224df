"""What people do through the pages, as they would: activate an account with a code, log in,
invite a relative and accept an invitation, write a note about a delay."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from portal import database
from portal.models import Enrolment

from .pages import find
from .stored import patient_id, share_named, update_patient
from .world import PASSWORD


def english(app):
    """A new browser that has chosen English: the assertions that use it read the English texts,
    whatever the catalogs say in bokmål (the default)."""
    client = app.test_client()
    client.post("/language/en")
    return client


def activate(client, link: str, username: str | None = None, password: str = PASSWORD):
    """Follow an activation link and choose a password (and a username, the first time)."""
    assert client.get(link).status_code == 302
    data = {"password": password, "confirm": password}
    if username:
        data["username"] = username
    response = client.post("/activate/password", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def login(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password})


def shown_link(page) -> str:
    """The path of the link a page shows once to pass on (an invitation), in its read-only field."""
    (field,) = find(page, "input#link-to-pass-on[readonly]")
    return urlsplit(field.get("value")).path


def invite(patient, relative_name="Nora Relative", relation="daughter", **scopes) -> str:
    """The patient makes an invitation sharing `scopes` (see_appointments, see_goals, see_notes);
    returns the path of the link they are given."""
    page = patient.post("/my/relatives?lang=en", data={
        "relative_name": relative_name, "relation": relation, **{k: "y" for k, on in scopes.items() if on}})
    assert page.status_code == 200, page.text
    return shown_link(page)


def accept(app, link: str, username="nora.relative"):
    """A relative opens the link in their own browser and makes an account; that browser."""
    relative = english(app)
    assert relative.get(link).status_code == 200
    done = relative.post(link, data={"username": username, "password": PASSWORD, "confirm": PASSWORD})
    assert done.status_code == 302 and "/shared/" in done.headers["Location"], done.text
    return relative


def shared_path(app, relative_name="Nora Relative") -> str:
    return f"/shared/{share_named(app, relative_name).id}"


def choose_scopes(patient, share_id: int, **scopes):
    """The patient ticks what one relative sees (the boxes not named are unticked) and saves. A
    browser always sends the form's token, even with every box unticked (an empty form would be
    read as no form sent, and its defaults kept)."""
    return patient.post(f"/my/relatives/{share_id}/scopes",
                        data={"csrf_token": "", **{k: "y" for k, on in scopes.items() if on}})


def write_delay_note(app, coordinator, patient_name: str, note: str):
    """The coordinator writes a note about a delay on the patient's current enrolment."""
    with app.app_context():
        enrolment = database.session().scalar(
            select(Enrolment).where(Enrolment.patient_id == patient_id(app, patient_name)))
    saved = coordinator.post(f"/staff/enrolments/{enrolment.id}/delay-note",
                             data={"version": enrolment.version, "note": note})
    assert saved.status_code == 302, saved.text


def shown_code(page) -> str:
    """A code a page shows once, as it is written: a new patient account's activation code on the
    coordinator's handover page, or a system's token on the admin's."""
    (code,) = find(page, ".code-display")
    return code.text_content().strip()


def code_sent_to_patient(app, coordinator, mailbox, patient_name: str, email: str = "pasient@example.no") -> str:
    """A coordinator sends a patient whose account is in use a new activation code: it goes to the
    e-mail address on the patient's record (given here), never to the coordinator's screen. The
    path of the link the patient receives."""
    update_patient(app, patient_name, email=email)
    page = coordinator.post(f"/staff/patients/{patient_id(app, patient_name)}/activation")
    assert page.status_code == 200 and not find(page, ".code-display")
    return mailbox.activation_link(email)
