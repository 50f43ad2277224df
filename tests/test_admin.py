"""The admin's pages and `flask --app portal create-admin`: units, staff accounts, activation codes
(sent to the person's work e-mail, never shown to the admin), work e-mails, deactivation. Tested as
an admin (and others) would notice it: through the pages, the mail that arrives and the CLI."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import database
from portal.auth.clients import client_from_request
from portal.clock import now
from portal.i18n import local_time
from portal.models import Account, Activation, ApiClient, AuditEntry, Patient, Unit

from .support import factories
from .support.pages import error_links, field_value, find, links, text_of, texts
from .support.people import english, login, shown_code

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")  # as printed, in plain text
ADMIN_PASSWORD = "an admin's long password"
NEW_PASSWORD = "a sentence that is long enough"


@pytest.fixture
def app(make_app, mailbox):
    # An empty portal: the admin sets it up. Links sent to people start with the public address.
    return make_app(cast=False, PUBLIC_BASE_URL="https://forlop.example.no", SMTP_PORT=mailbox.port)


@pytest.fixture
def client(app):
    """The admin's browser, in English: the assertions below read the English texts."""
    return english(app)


def work_address(username: str) -> str:
    return f"{username}@sykehuset.example"


def add_account(app, username, role="admin", password=ADMIN_PASSWORD, name=None, unit_id=None,
                patient_id=None, work_email: str | None = "") -> int:
    """An account; a member of staff's work e-mail is work_address(username) unless given."""
    if work_email == "":
        work_email = work_address(username) if role in ("admin", "coordinator", "nurse") else None
    with app.app_context():
        db = database.session()
        account = factories.account(db, role, name or username.title(), username, password,
                                    unit=db.get(Unit, unit_id) if unit_id else None,
                                    patient=db.get(Patient, patient_id) if patient_id else None,
                                    work_email=work_email)
        db.commit()
        return account.id


def add_unit(app, name="Breast Diagnostic Centre", kind="hospital") -> int:
    with app.app_context():
        db = database.session()
        unit = factories.unit(db, name, kind)
        db.commit()
        return unit.id


def signed_in_as_admin(app, client) -> int:
    admin_id = add_account(app, "admin", name="Ada Admin")
    assert login(client, "admin", ADMIN_PASSWORD).status_code == 302
    return admin_id


def account(app, account_id) -> Account:
    with app.app_context():
        return database.session().get(Account, account_id)


def account_by_username(app, username) -> Account | None:
    with app.app_context():
        return database.session().scalar(select(Account).where(Account.username == username))


def audit_actions(app) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [(e.action, e.detail) for e in database.session().scalars(select(AuditEntry).order_by(AuditEntry.id))]


def activate_with(app, link, password=NEW_PASSWORD):
    """Follow the activation link (as mailed) in a fresh browser and choose a password; the response."""
    person = english(app)
    opened = person.get(link)
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/activate/password")
    return person.post("/activate/password", data={"password": password, "confirm": password})


# --- the whole way: unit, nurse, code, activation, sign-in ----------------------------------------

def test_admin_creates_a_unit_and_a_nurse_who_activates_and_signs_in(app, client, mailbox):
    signed_in_as_admin(app, client)

    created = client.post("/admin/units/new", data={"name": "Breast Diagnostic Centre", "kind": "hospital"})
    assert created.status_code == 302
    overview = client.get(created.headers["Location"])
    assert "Breast Diagnostic Centre" in overview.text
    assert "has been created" in overview.text
    with app.app_context():
        unit = database.session().scalar(select(Unit).where(Unit.name == "Breast Diagnostic Centre"))
        assert unit.kind == "hospital"

    page = client.post("/admin/accounts/new", data={
        "display_name": "Kari Nordmann", "username": "  Kari.Nordmann ", "role": "nurse", "unit": str(unit.id),
        "work_email": " Kari.Nordmann@Sykehuset.example "})
    assert page.status_code == 200
    assert texts(page, "h1") == ["Activation code sent to Kari Nordmann"]
    assert {"kari.nordmann", "Breast Diagnostic Centre", "kari.nordmann@sykehuset.example"} <= set(texts(page, "dd"))
    assert "it is not shown to you" in text_of(page)
    assert not find(page, ".code-display") and not CODE.search(page.text) and "/t/" not in page.text

    # The code arrives at the work address, with the public address (not the request's Host).
    [mail] = mailbox.to("kari.nordmann@sykehuset.example")
    assert mail["Subject"] == "Aktiveringskoden din for Forløp"
    body = mail.get_content()
    assert "Ada Admin har laget en konto i Forløp til deg" in body and "kari.nordmann" in body
    link = mailbox.activation_link("kari.nordmann@sykehuset.example")
    assert f"https://forlop.example.no{link}" in body
    assert CODE.search(body)

    nurse = account_by_username(app, "kari.nordmann")
    assert nurse.role == "nurse" and nurse.unit_id == unit.id and nurse.password_hash is None
    assert nurse.work_email == "kari.nordmann@sykehuset.example"

    done = activate_with(app, link)
    assert done.status_code == 302 and done.headers["Location"].endswith("/staff/")
    assert len(mailbox.to("kari.nordmann@sykehuset.example")) == 1  # a first password is no news to tell

    signed_in = login(english(app), "kari.nordmann", NEW_PASSWORD)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/staff/")

    (row,) = texts(client.get("/admin/"), f"tr#account-{nurse.id}")
    assert "kari.nordmann" in row and "Nurse" in row and "Breast Diagnostic Centre" in row
    assert "Never" not in row  # the sign-in shows

    actions = [action for action, _ in audit_actions(app)]
    assert "unit-create" in actions and "account-create" in actions
    assert ("account-create", f"account {nurse.id} (nurse)") in audit_actions(app)
    assert ("issue-activation", f"account {nurse.id}: sent by email") in audit_actions(app)


def test_the_code_works_only_once(app, client, mailbox):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    client.post("/admin/accounts/new", data={
        "display_name": "Ola Nordmann", "username": "ola", "role": "coordinator", "unit": str(unit_id),
        "work_email": "ola@sykehuset.example"})
    link = mailbox.activation_link("ola@sykehuset.example")
    assert activate_with(app, link).status_code == 302
    assert english(app).get(link).status_code == 404


def test_overview_counts_active_staff_per_unit(app, client):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app, "Home Care Bergen", "municipality")
    add_account(app, "nurse1", role="nurse", unit_id=unit_id)
    add_account(app, "nurse2", role="nurse", unit_id=unit_id)
    gone = add_account(app, "nurse3", role="nurse", unit_id=unit_id)
    client.post(f"/admin/accounts/{gone}/deactivate")
    (row,) = find(client.get("/admin/"), f"tr#unit-{unit_id}")
    assert (texts(row, "th"), texts(row, "td")) == (["Home Care Bergen"], ["Municipal service", "2"])


# --- invalid input --------------------------------------------------------------------------------

def test_a_taken_username_is_a_field_error_and_the_input_is_kept(app, client):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    add_account(app, "kari", role="nurse", unit_id=unit_id)
    page = client.post("/admin/accounts/new", data={
        "display_name": "Kari Hansen", "username": "KARI", "role": "nurse", "unit": str(unit_id)})
    assert page.status_code == 200
    assert "That username is taken" in error_links(page)["#field-username"]
    assert field_value(page, "#field-display_name") == "Kari Hansen"
    assert not find(page, ".code-display")
    with app.app_context():
        assert len(database.session().scalars(select(Account).where(Account.role == "nurse")).all()) == 1


@pytest.mark.parametrize("role", ["nurse", "coordinator"])
def test_nurses_and_coordinators_need_a_unit(app, client, role):
    signed_in_as_admin(app, client)
    add_unit(app)
    page = client.post("/admin/accounts/new", data={
        "display_name": "Per Olsen", "username": "per", "role": role, "unit": ""})
    assert page.status_code == 200
    assert "Choose the unit the coordinator or nurse works in" in error_links(page)["#field-unit"]
    assert field_value(page, "#field-username") == "per"
    assert account_by_username(app, "per") is None


def test_an_admin_needs_no_unit(app, client, mailbox):
    signed_in_as_admin(app, client)
    page = client.post("/admin/accounts/new", data={
        "display_name": "Second Admin", "username": "admin2", "role": "admin", "unit": "",
        "work_email": "admin2@sykehuset.example"})
    assert page.status_code == 200 and not CODE.search(page.text)
    assert mailbox.activation_link("admin2@sykehuset.example")
    created = account_by_username(app, "admin2")
    assert created.role == "admin" and created.unit_id is None


@pytest.mark.parametrize("data, field, message", [
    ({"display_name": "", "username": "per", "role": "admin"}, "display_name", "Enter the person's full name"),
    ({"display_name": "Per", "username": "p", "role": "admin"}, "username", "Use 3 to 40 characters"),
    ({"display_name": "Per", "username": "per olsen", "role": "admin"}, "username", "Use 3 to 40 characters"),
    ({"display_name": "Per", "username": "per"}, "role", "Choose the person's role"),
    ({"display_name": "Per", "username": "per", "role": "patient"}, "role", "Choose the person's role"),
    ({"display_name": "Per", "username": "per", "role": "admin", "unit": "999"}, "unit", "Choose a unit from the list"),
    ({"display_name": "Per", "username": "per", "role": "admin"}, "work_email",
     "Enter the person's work e-mail address"),
    ({"display_name": "Per", "username": "per", "role": "admin", "work_email": "per@"}, "work_email",
     "Enter the e-mail address in the right form"),
])
def test_invalid_account_input_names_the_field(app, client, data, field, message):
    signed_in_as_admin(app, client)
    page = client.post("/admin/accounts/new", data=data)
    assert page.status_code == 200
    assert message in error_links(page)[f"#field-{field}"]
    assert account_by_username(app, "per") is None


def test_a_unit_name_must_be_new_whatever_its_case(app, client):
    signed_in_as_admin(app, client)
    add_unit(app, "Breast Diagnostic Centre")
    page = client.post("/admin/units/new", data={"name": "breast diagnostic centre ", "kind": "hospital"})
    assert page.status_code == 200
    assert "There is already a unit with this name" in error_links(page)["#field-name"]
    assert field_value(page, "#field-name") == "breast diagnostic centre"


def test_a_unit_needs_a_name_and_a_kind(app, client):
    signed_in_as_admin(app, client)
    page = client.post("/admin/units/new", data={"name": "", "kind": "hospital"})
    assert "Enter the name of the unit" in error_links(page)["#field-name"]
    page = client.post("/admin/units/new", data={"name": "Home Care", "kind": "shop"})
    assert "#field-kind" in error_links(page) and field_value(page, "#field-name") == "Home Care"
    page = client.post("/admin/units/new", data={"name": "Home Care"})
    assert "#field-kind" in error_links(page)
    # The link lands on the first choice, which can take the focus (a fieldset cannot).
    assert find(page, "input#field-kind[type=radio]")
    with app.app_context():
        assert database.session().scalars(select(Unit)).all() == []


def test_names_are_escaped(app, client):
    signed_in_as_admin(app, client)
    page = client.post("/admin/accounts/new", data={
        "display_name": "<script>alert(1)</script>", "username": "mallory", "role": "admin"})
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;" in page.text
    assert "<script>alert(1)</script>" not in client.get("/admin/").text


def test_the_forms_are_labelled(app, client):
    signed_in_as_admin(app, client)
    page = client.get("/admin/accounts/new")
    assert len(find(page, "h1")) == 1
    for name in ("display_name", "username", "unit", "work_email"):
        assert find(page, f"label[for=field-{name}]") and find(page, f"#field-{name}")
    assert texts(page, "legend") == ["Role"]
    assert "create a unit first" in page.text  # no units yet
    page = client.get("/admin/units/new")
    assert len(find(page, "h1")) == 1 and find(page, "label[for=field-name]")
    assert texts(page, "legend") == ["Kind of unit"]


# --- who may -----------------------------------------------------------------------------------------

ADMIN_PAGES = ["/admin/", "/admin/units/new", "/admin/accounts/new"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", ["nurse", "coordinator"])
def test_staff_who_are_not_admins_are_refused(app, client, role):
    unit_id = add_unit(app)
    add_account(app, "someone", role=role, unit_id=unit_id)
    target = add_account(app, "colleague", role="nurse", unit_id=unit_id)
    assert login(client, "someone", ADMIN_PASSWORD).status_code == 302
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403
    assert client.post("/admin/units/new", data={"name": "Mine", "kind": "hospital"}).status_code == 403
    for action in ("activation", "deactivate", "reactivate", "work-email"):
        assert client.post(f"/admin/accounts/{target}/{action}").status_code == 403
    assert account(app, target).is_active


def test_anonymous_posts_are_refused(app, client):
    target = add_account(app, "colleague", role="nurse")
    assert client.post(f"/admin/accounts/{target}/deactivate").status_code == 401
    assert account(app, target).is_active


def test_patients_and_relatives_are_not_the_admins_business(app, client):
    signed_in_as_admin(app, client)
    with app.app_context():
        db = database.session()
        patient = Patient(display_name="Petter Pasient", created_at=now())
        db.add(patient)
        db.commit()
        patient_id = patient.id
    patient_account = add_account(app, "petter", role="patient", name="Petter Pasient", patient_id=patient_id)
    relative_account = add_account(app, "rita", role="relative", name="Rita Relative")
    page = client.get("/admin/").text
    assert "Petter" not in page and "Rita" not in page and "petter" not in page
    for target in (patient_account, relative_account, 9999, 10**30):
        for action in ("activation", "deactivate", "reactivate", "work-email"):
            assert client.post(f"/admin/accounts/{target}/{action}").status_code == 404
    assert account(app, patient_account).is_active and account(app, relative_account).is_active


# --- deactivation, reactivation, new codes -------------------------------------------------------------

def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(app, client):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    nurse_id = add_account(app, "kari", role="nurse", unit_id=unit_id, name="Kari Nordmann")
    nurse_browser = english(app)
    assert login(nurse_browser, "kari", ADMIN_PASSWORD).status_code == 302

    done = client.post(f"/admin/accounts/{nurse_id}/deactivate")
    assert done.status_code == 302
    assert "is deactivated" in client.get(done.headers["Location"]).text
    assert not account(app, nurse_id).is_active
    assert ("account-deactivate", f"account {nurse_id} (nurse)") in audit_actions(app)

    assert nurse_browser.get("/staff/").status_code == 302  # back to sign-in
    refused = login(english(app), "kari", ADMIN_PASSWORD)
    assert refused.status_code == 200 and "wrong" in refused.text

    client.post(f"/admin/accounts/{nurse_id}/reactivate")
    assert account(app, nurse_id).is_active
    assert ("account-reactivate", f"account {nurse_id} (nurse)") in audit_actions(app)
    assert login(english(app), "kari", ADMIN_PASSWORD).status_code == 302


def test_an_admin_cannot_deactivate_themselves(app, client):
    admin_id = signed_in_as_admin(app, client)
    response = client.post(f"/admin/accounts/{admin_id}/deactivate")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "You cannot deactivate your own account" in page.text
    assert account(app, admin_id).is_active


def test_a_new_code_for_a_nurse_goes_to_her_and_is_never_shown_to_the_admin(app, client, mailbox):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    nurse_id = add_account(app, "kari", role="nurse", unit_id=unit_id, password="the password she forgot",
                           name="Kari Nordmann")
    client.post(f"/admin/accounts/{nurse_id}/activation")
    first = mailbox.activation_link(work_address("kari"))
    page = client.post(f"/admin/accounts/{nurse_id}/activation")
    assert page.status_code == 200
    assert "no longer work" in page.text and work_address("kari") in texts(page, "dd")
    assert texts(page, "h1") == ["Activation code sent to Kari Nordmann"] and "kari" in texts(page, "dd")
    assert not find(page, ".code-display") and not CODE.search(page.text) and "/t/" not in page.text
    second = mailbox.activation_link(work_address("kari"))
    assert first != second
    assert english(app).get(first).status_code == 404

    # The message says who made it, and what to do if she did not ask for it.
    body = mailbox.to(work_address("kari"))[-1].get_content()
    assert "Ada Admin laget en ny aktiveringskode for kontoen din i Forløp" in body
    assert "Hvis du ikke har bedt om en kode, ikke bruk den. Si fra til lederen din" in body

    assert activate_with(app, second, "her brand new password").status_code == 302
    assert login(english(app), "kari", "her brand new password").status_code == 302
    # She is told her password was changed.
    told = mailbox.to(work_address("kari"))[-1]
    assert told["Subject"] == "Passordet ditt i Forløp er endret"
    assert "/t/" not in told.get_content() and not CODE.search(told.get_content())


def test_no_code_for_a_member_of_staff_without_a_work_email(app, client, mailbox):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    nurse_id = add_account(app, "kari", role="nurse", unit_id=unit_id, name="Kari Nordmann", work_email=None)
    page = client.post(f"/admin/accounts/{nurse_id}/activation")
    assert page.status_code == 200
    assert texts(page, "h1") == ["No activation code was sent"]
    assert "has no work e-mail address" in text_of(page)
    assert f"/admin/accounts/{nurse_id}/work-email" in links(page, "main a")
    assert not CODE.search(page.text) and mailbox.messages == []
    with app.app_context():
        assert database.session().scalars(select(Activation)).all() == []
    assert ("activation-not-sent", f"account {nurse_id}: no address") in audit_actions(app)


def test_changing_a_work_email_tells_the_old_address_and_is_audited(app, client, mailbox):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    nurse_id = add_account(app, "kari", role="nurse", unit_id=unit_id, name="Kari Nordmann")
    form = client.get(f"/admin/accounts/{nurse_id}/work-email")
    assert field_value(form, "#field-work_email") == work_address("kari")
    done = client.post(f"/admin/accounts/{nurse_id}/work-email", data={"work_email": "kari.n@sykehuset.example"})
    assert done.status_code == 302
    assert "kari.n@sykehuset.example" in text_of(client.get(done.headers["Location"]))
    assert account(app, nurse_id).work_email == "kari.n@sykehuset.example"
    [told] = mailbox.to(work_address("kari"))
    assert told["Subject"] == "Jobb-e-posten din i Forløp er endret"
    assert "Aktiveringskoder går nå til den nye adressen, ikke til denne." in told.get_content()
    assert "/t/" not in told.get_content()
    assert ("account-email-change", f"account {nurse_id} (nurse): work e-mail {work_address('kari')} -> "
            "kari.n@sykehuset.example") in audit_actions(app)
    # Codes go to the new address from now on.
    client.post(f"/admin/accounts/{nurse_id}/activation")
    assert mailbox.activation_link("kari.n@sykehuset.example")
    assert len(mailbox.to(work_address("kari"))) == 1


def test_staff_email_domains_refuse_other_addresses_and_name_the_field(make_app, mailbox):
    app = make_app(cast=False, SMTP_PORT=mailbox.port, STAFF_EMAIL_DOMAINS=["sykehuset.example"])
    client = english(app)
    signed_in_as_admin(app, client)
    page = client.post("/admin/accounts/new", data={
        "display_name": "Per Olsen", "username": "per", "role": "admin", "work_email": "per@gmail.example"})
    assert page.status_code == 200
    assert "Work e-mail: Use a work address ending in @sykehuset.example" in error_links(page)["#field-work_email"]
    assert field_value(page, "#field-work_email") == "per@gmail.example"
    assert account_by_username(app, "per") is None and mailbox.messages == []
    nurse_id = add_account(app, "kari", role="nurse", name="Kari Nordmann")
    page = client.post(f"/admin/accounts/{nurse_id}/work-email", data={"work_email": "kari@home.example"})
    assert "Use a work address ending in @sykehuset.example" in error_links(page)["#field-work_email"]
    assert account(app, nurse_id).work_email == work_address("kari")


def test_no_codes_for_a_deactivated_account_and_old_codes_stay_dead(app, client, mailbox):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    nurse_id = add_account(app, "kari", role="nurse", unit_id=unit_id, password=None)
    client.post(f"/admin/accounts/{nurse_id}/activation")
    link = mailbox.activation_link(work_address("kari"))
    client.post(f"/admin/accounts/{nurse_id}/deactivate")

    refused = client.post(f"/admin/accounts/{nurse_id}/activation")
    assert refused.status_code == 302
    assert "Reactivate it before" in client.get(refused.headers["Location"]).text

    client.post(f"/admin/accounts/{nurse_id}/reactivate")
    assert english(app).get(link).status_code == 404


# --- API clients: the systems that send pathway events -------------------------------------------------

TOKEN = re.compile(r"forlop_[A-Za-z0-9_-]{40,}")


def client_seen(app, token: str) -> ApiClient | None:
    """The active client a request with this token is taken for, as the API sees it."""
    with app.test_request_context(headers={"Authorization": f"Bearer {token}"}):
        return client_from_request(database.session())


def test_admin_creates_an_api_client_and_sees_its_token_once(app, client):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    assert "/admin/api-clients" in links(client.get("/admin/"), "main a")
    assert "There are no API clients yet." in text_of(client.get("/admin/api-clients"))

    page = client.post("/admin/api-clients/new", data={"name": " DIPS Arena ", "unit": str(unit_id)})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert texts(page, "h1") == ["Token for DIPS Arena"]
    token = shown_code(page)
    assert TOKEN.fullmatch(token)
    assert "shown only this once" in text_of(page)
    with app.app_context():
        stored = database.session().scalar(select(ApiClient))
        assert token not in (stored.secret_hash, stored.name)  # only its hash is kept
    assert ("api-client-created", f"api client {stored.id} (Breast Diagnostic Centre)") in audit_actions(app)

    listed = client.get("/admin/api-clients")
    assert token not in listed.text and token not in client.get("/admin/api-clients/new").text
    (row,) = find(listed, f"tr#client-{stored.id}")
    with app.test_request_context("/?lang=en"):  # the page is in English
        created = local_time(stored.created_at)
    assert (texts(row, "th"), texts(row, "td")[:4]) == (
        ["DIPS Arena"], ["Breast Diagnostic Centre", f"{created} by Ada Admin", "Never", "Active"])

    assert client_seen(app, token).name == "DIPS Arena"  # the system signs in with the token
    (row,) = find(client.get("/admin/api-clients"), f"tr#client-{stored.id}")
    with app.test_request_context("/?lang=en"):
        assert texts(row, "td")[2] == local_time(database.session().get(ApiClient, stored.id).last_used_at)


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "unit": "UNIT"}, "name", "Enter the name of the system"),
    ({"name": "x" * 101, "unit": "UNIT"}, "name", "Use at most 100 characters"),
    ({"name": "dips arena", "unit": "UNIT"}, "name", "There is already an API client with this name"),
    ({"name": "Metavision"}, "unit", "Choose the unit the system works for"),
    ({"name": "Metavision", "unit": "999"}, "unit", "Choose a unit from the list"),
])
def test_invalid_api_client_input_names_the_field(app, client, data, field, message):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    with app.app_context():
        db = database.session()
        factories.api_client(db, "DIPS Arena", db.get(Unit, unit_id))
        db.commit()
    page = client.post("/admin/api-clients/new", data={k: v.replace("UNIT", str(unit_id)) for k, v in data.items()})
    assert page.status_code == 200
    assert message in error_links(page)[f"#field-{field}"]
    assert not find(page, ".code-display")
    with app.app_context():
        assert len(database.session().scalars(select(ApiClient)).all()) == 1


def test_api_client_errors_are_in_the_admins_language(app, client):
    signed_in_as_admin(app, client)
    client.post("/language/nb")
    page = client.post("/admin/api-clients/new", data={"name": "", "unit": ""})
    assert error_links(page) == {"#field-name": "Navn på systemet: Skriv inn navnet på systemet",
                                 "#field-unit": "Enhet: Velg enheten systemet arbeider for"}


def test_a_revoked_client_is_refused_and_kept_in_the_list(app, client):
    signed_in_as_admin(app, client)
    unit_id = add_unit(app)
    token = shown_code(client.post("/admin/api-clients/new", data={"name": "DIPS Arena", "unit": str(unit_id)}))
    with app.app_context():
        client_id = database.session().scalar(select(ApiClient.id))

    confirm = client.get(f"/admin/api-clients/{client_id}/revoke")
    assert texts(confirm, "h1") == ["Revoke DIPS Arena?"]
    assert "This cannot be undone." in text_of(confirm)
    assert client_seen(app, token) is not None  # asking changes nothing

    done = client.post(f"/admin/api-clients/{client_id}/revoke")
    assert done.status_code == 302
    listed = client.get(done.headers["Location"])
    assert "DIPS Arena is revoked. The system can no longer use its token." in texts(listed, ".notice")
    (row,) = find(listed, f"tr#client-{client_id}")
    assert "Revoked " in text_of(row) and not find(row, "a")
    assert client_seen(app, token) is None

    client.post(f"/admin/api-clients/{client_id}/revoke")  # pressed twice: logged once
    assert [action for action, _ in audit_actions(app)].count("api-client-revoked") == 1
    assert "This client was revoked" in text_of(client.get(f"/admin/api-clients/{client_id}/revoke"))
    assert client.get("/admin/api-clients/9999/revoke").status_code == 404


# --- flask --app portal create-admin -------------------------------------------------------------------

def test_create_admin_prints_a_code_that_works(app):
    # The operator's own terminal: the first admin has nobody to send a code to them.
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "Ada", "--name", "Ada Lovelace",
                                                "--email", "Ada@Sykehuset.example"])
    assert result.exit_code == 0, result.output
    code = CODE.search(result.output).group(0)
    assert f"https://forlop.example.no/t/{code}" in result.output

    created = account_by_username(app, "ada")
    assert created.role == "admin" and created.unit_id is None and created.password_hash is None
    assert created.work_email == "ada@sykehuset.example"
    assert ("account-create", f"account {created.id} (admin)") in audit_actions(app)

    done = activate_with(app, f"/t/{code}")
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/")
    ada = english(app)
    assert login(ada, "ada", NEW_PASSWORD).headers["Location"].endswith("/admin/")
    assert "Ada Lovelace" in ada.get("/admin/").text


def test_create_admin_refuses_a_taken_username(app):
    add_account(app, "ada", role="nurse")
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "ada", "--name", "Ada Lovelace"])
    assert result.exit_code == 1
    assert "taken" in result.output
    with app.app_context():
        assert len(database.session().scalars(select(Account)).all()) == 1


def test_create_admin_refuses_a_malformed_email(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "ada", "--name", "Ada",
                                                "--email", "ada@"])
    assert result.exit_code == 1 and "--email" in result.output
    assert account_by_username(app, "ada") is None


def test_create_admin_refuses_a_malformed_username(app):
    result = app.test_cli_runner().invoke(args=["create-admin", "--username", "a b", "--name", "Ada"])
    assert result.exit_code == 1
    assert account_by_username(app, "a b") is None
