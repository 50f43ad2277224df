"""Signing in and staying safe: activation codes, password and username rules, wrong passwords and
lockout, rate limits, CSRF, sessions, security headers, escaping, and an audit log no page can
change. Tested as a person (or an attacker) would meet it: through the pages."""
from __future__ import annotations

import io
import os
import stat
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal import database, sharing
from portal.clock import in_norway, now
from portal.config import load_config
from portal.models import AuditEntry, Enrolment, Patient

from .support.databases import new_app
from .support.pages import find, parse, send, text_of
from .support.people import (
    accept,
    activate,
    code_sent_to_patient,
    english,
    invite,
    login,
    shared_path,
    shown_code,
    write_delay_note,
)
from .support.stored import account_named, count, patient_id, share_named
from .support.world import ADMINISTRATOR, COORDINATOR, NURSE, PASSWORD

NEW_PASSWORD = "another sentence that is long"
WRONG = "this is not the password"
INVALID_CODE = "This code is not valid. It may have been used already or have expired."
WRONG_LOGIN = "The username or the password is wrong."
LOCKED = "Too many wrong attempts. You can try again after"


def code_of(link: str) -> str:
    return link.removeprefix("/t/")


def enter_code(client, typed: str):
    return client.post("/activate", data={"code": typed})


def signed_in(client) -> bool:
    """/account sends a signed-in person home, anyone else to the sign-in page."""
    return not client.get("/account").headers["Location"].startswith("/login")


@pytest.fixture
def app(mailing_app):
    """The cast's portal, mailing to `mailbox`: a new code for an account in use goes there."""
    return mailing_app


def new_code_from_coordinator(app, sign_in, mailbox, patient_name: str) -> str:
    return code_sent_to_patient(app, sign_in(COORDINATOR), mailbox, patient_name).removeprefix("/t/")


# --- activation codes ----------------------------------------------------------------------------------

def test_an_activation_code_works_once(app, activation_link):
    link = activation_link("Kari Demo")
    activate(english(app), link, "kari.test")
    again = english(app)
    followed = again.get(link)
    assert followed.status_code == 404 and "This link does not work" in followed.text
    assert INVALID_CODE in enter_code(again, code_of(link)).text
    assert again.get("/activate/password").headers["Location"] == "/activate"


def test_an_expired_activation_code_is_refused(app, activation_link, clock):
    link = activation_link("Kari Demo")
    clock(days=app.config["ACTIVATION_DAYS"], minutes=1)
    person = english(app)
    assert person.get(link).status_code == 404
    refused = enter_code(person, code_of(link))
    assert refused.status_code == 200 and INVALID_CODE in refused.text
    assert account_named(app, "Kari Demo").username is None


def test_an_activation_code_works_until_it_expires(app, activation_link, clock):
    link = activation_link("Kari Demo")
    clock(days=app.config["ACTIVATION_DAYS"], minutes=-1)
    activate(english(app), link, "kari.test")
    assert account_named(app, "Kari Demo").username == "kari.test"


def test_a_new_code_revokes_the_old_one(app, activation_link, sign_in):
    link = activation_link("Kari Demo")  # never activated: the new code is on the handover page
    new_code = shown_code(sign_in(COORDINATOR).post(f"/staff/patients/{patient_id(app, 'Kari Demo')}/activation"))
    person = english(app)
    assert INVALID_CODE in enter_code(person, code_of(link)).text
    assert person.get(link).status_code == 404
    assert enter_code(person, new_code).headers["Location"] == "/activate/password"


@pytest.mark.parametrize("typed", [
    lambda code: code.lower(),
    lambda code: code.replace("-", " "),
    lambda code: code.replace("-", ""),
    lambda code: "  " + code.lower().replace("-", " - ") + "  ",
], ids=["lower case", "spaces", "no dashes", "spaces and dashes"])
def test_a_code_is_read_however_it_is_typed(app, activation_link, typed):
    person = english(app)
    response = enter_code(person, typed(code_of(activation_link("Kari Demo"))))
    assert response.status_code == 302 and response.headers["Location"] == "/activate/password"
    assert "Choose your username and password" in person.get("/activate/password").text


@pytest.mark.parametrize("typed", [
    "abc", "0000-0000-0000-0000", "<script>alert(1)</script>", "x" * 5000, "ÆØÅÆ-ØÅÆØ-ÅÆØÅ-ÆØÅÆ",
    "'; DROP TABLE account; --", "\u0000",
], ids=["short", "no such code", "markup", "very long", "letters outside the alphabet", "sql", "nul"])
def test_a_bad_code_gets_a_message_not_an_error(app, typed):
    response = enter_code(english(app), typed)
    assert response.status_code == 200
    assert INVALID_CODE in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_an_empty_code_is_asked_for(app):
    response = enter_code(english(app), "")
    assert "Activation code: Enter the activation code you were given" in text_of(response)


@pytest.mark.parametrize("typed", ["abc", "<script>", "x" * 500, "%00", "ÆØÅ"],
                         ids=["short", "markup", "very long", "nul", "letters outside the alphabet"])
def test_a_bad_activation_link_gets_a_page_not_an_error(app, typed):
    response = english(app).get(f"/t/{typed}")
    assert response.status_code == 404 and "This link does not work" in response.text


# --- password and username rules ------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    ({"username": "kari.test", "password": "too short", "confirm": "too short"},
     "New password: Use at least 10 characters"),
    ({"username": "kari.test", "password": "", "confirm": ""}, "New password: Choose a password"),
    ({"username": "kari.test", "password": PASSWORD, "confirm": PASSWORD + "!"},
     "The same password again: The two passwords are not the same"),
    ({"username": "kari.test", "password": PASSWORD, "confirm": ""},
     "The same password again: Type the password again"),
    ({"username": "", "password": PASSWORD, "confirm": PASSWORD}, "Choose a username: Choose a username"),
    ({"username": "ka", "password": PASSWORD, "confirm": PASSWORD},
     "Choose a username: Use 3 to 40 characters: small letters a–z, digits, dot, dash or underscore"),
    ({"username": "kari nordmann", "password": PASSWORD, "confirm": PASSWORD},
     "Choose a username: Use 3 to 40 characters: small letters a–z, digits, dot, dash or underscore"),
    ({"username": "kåre", "password": PASSWORD, "confirm": PASSWORD},
     "Choose a username: Use 3 to 40 characters: small letters a–z, digits, dot, dash or underscore"),
    ({"username": "Demo.Koordinator", "password": PASSWORD, "confirm": PASSWORD},
     "Choose a username: That username is taken. Choose another one."),
], ids=["short password", "no password", "different passwords", "no confirmation", "no username",
        "short username", "space in username", "letter outside a-z", "taken username"])
def test_password_and_username_rules_name_the_field(app, activation_link, data, message):
    person = english(app)
    person.get(activation_link("Kari Demo"))
    page = person.post("/activate/password", data=data)
    assert page.status_code == 200
    assert message in text_of(page)
    assert account_named(app, "Kari Demo").password_hash is None
    assert person.get("/activate/password").status_code == 200  # the code is still usable


def test_a_new_password_signs_in_with_the_same_username(app, sign_in, mailbox):
    person = english(app)
    person.get(f"/t/{new_code_from_coordinator(app, sign_in, mailbox, 'Kari Demo')}")
    page = person.get("/activate/password")
    assert "Your username is kari.test." in text_of(page) and 'name="username"' not in page.text
    chosen = person.post("/activate/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.status_code == 302
    assert WRONG_LOGIN in login(english(app), "kari.test").text
    assert login(english(app), "kari.test", NEW_PASSWORD).status_code == 302


# --- signing in, wrong passwords and lockout ----------------------------------------------------------------

def test_a_wrong_password_reads_the_same_as_an_unknown_username(app, sign_in):
    wrong_password = login(english(app), "kari.test", WRONG)
    unknown_user = login(english(app), "nobody.here", WRONG)
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert WRONG_LOGIN in wrong_password.text
    assert text_of(wrong_password) == text_of(unknown_user)


def test_five_wrong_passwords_lock_the_account_for_15_minutes(app, sign_in, clock):
    person = english(app)
    for _ in range(4):
        assert WRONG_LOGIN in login(person, "kari.test", WRONG).text
    locked = login(person, "kari.test", WRONG)
    with app.app_context():
        until = account_named(app, "Kari Demo").locked_until
        assert timedelta(minutes=14) < until - now() <= timedelta(minutes=15)
    on_the_clock = in_norway(until).strftime("%H:%M")
    assert f"{LOCKED} {on_the_clock}" in text_of(locked)  # the time on a Norwegian clock

    right_password = login(person, "kari.test")
    assert right_password.status_code == 200 and LOCKED in right_password.text
    clock(minutes=14, seconds=50)
    assert LOCKED in login(person, "kari.test").text
    clock(seconds=11)
    assert login(person, "kari.test").status_code == 302
    assert signed_in(person)


def test_a_stranger_who_locks_the_account_does_not_shut_the_owner_out_of_her_own_phone(app):
    phone = english(app)
    assert login(phone, "kari.test").status_code == 302  # Kari has signed in on her phone before
    phone.post("/logout", data={})
    phone.post("/language/en")
    stranger = english(app)
    for _ in range(5):
        login(stranger, "kari.test", WRONG)
    assert LOCKED in login(stranger, "kari.test").text  # locked for the stranger, right password or not
    assert LOCKED in login(english(app), "kari.test").text  # and for any browser new to the account
    assert login(phone, "kari.test").status_code == 302  # her phone is known: she is in
    assert signed_in(phone)


def test_a_known_device_has_its_own_count_of_wrong_passwords(app):
    phone = english(app)
    assert login(phone, "kari.test").status_code == 302
    phone.post("/logout", data={})
    phone.post("/language/en")  # signing in chose her own language (bokmål) for this browser
    for _ in range(5):
        assert WRONG_LOGIN in login(phone, "kari.test", WRONG).text
    with app.app_context():
        assert account_named(app, "Kari Demo").locked_until is None  # strangers are not shut out by it
    assert phone.get_cookie("known_device") is None  # five wrong on the phone: it is a stranger now
    for _ in range(5):
        login(phone, "kari.test", WRONG)
    assert LOCKED in login(phone, "kari.test").text


def test_a_made_up_device_cookie_is_not_believed(app):
    stranger = english(app)
    for _ in range(5):
        login(stranger, "kari.test", WRONG)
    with app.app_context():
        kari_id = account_named(app, "Kari Demo").id
    stranger.set_cookie("known_device", f"[{kari_id}, 0]")
    assert LOCKED in login(stranger, "kari.test").text


def test_an_unknown_username_costs_a_password_check_like_a_known_one(app, monkeypatch):
    checks = []
    real = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, *args: checks.append(1) or real(self, *args))
    client = english(app)
    for username in ("kari.test", "nobody.at.all"):
        checks.clear()
        assert WRONG_LOGIN in login(client, username, WRONG).text
        assert checks == [1], username


def test_a_right_password_resets_the_count_of_wrong_ones(app, sign_in):
    person = english(app)
    for _ in range(4):
        login(person, "kari.test", WRONG)
    assert login(person, "kari.test").status_code == 302
    for _ in range(4):
        assert WRONG_LOGIN in login(english(app), "kari.test", WRONG).text
    assert login(english(app), "kari.test").status_code == 302


def test_wrong_passwords_and_the_lockout_show_in_the_patients_access_log(app, sign_in):
    kari = sign_in("Kari Demo")
    for _ in range(6):
        login(english(app), "kari.test", WRONG)
    log = text_of(kari.get("/my/access-log?lang=en"))
    assert log.count("log in failed: wrong password") == 5
    assert "log in refused after too many wrong passwords" in log
    assert "sign-in-failed" not in log


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_signing_in_never_sends_you_to_another_site(app, sign_in, target):
    response = english(app).post("/login", query_string={"next": target},
                                 data={"username": "kari.test", "password": PASSWORD})
    assert response.headers["Location"] == "/my-timeline"


@pytest.mark.parametrize("method, address, home", [
    ("post", "/language/nb?next=%2F%0D%0ASet-Cookie%3A%20x%3D1", "/"),
    ("post", "/login?next=/my-timeline%0D%0AX-Injected:%201", "/my-timeline"),
])
def test_a_line_break_in_next_goes_home_and_never_into_a_header(app, method, address, home):
    """Once a 500: Werkzeug refuses a header with a line break in it, so nothing was injected, but
    the person met the error page instead of the page they were going to."""
    client = app.test_client()
    response = getattr(client, method)(address, data={"username": "kari.test", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (302, home)
    assert "X-Injected" not in response.headers
    assert client.get_cookie("x") is None


def test_signing_in_returns_to_the_page_asked_for(app, sign_in):
    person = english(app)
    asked = person.get("/my/relatives").headers["Location"]
    assert asked == "/login?next=/my/relatives"
    signed = person.post(asked, data={"username": "kari.test", "password": PASSWORD})
    assert signed.headers["Location"] == "/my/relatives"


def test_usernames_are_not_case_sensitive_at_sign_in(app, sign_in):
    assert login(english(app), "  Kari.Test ").status_code == 302


# --- rate limit ------------------------------------------------------------------------------------------

@pytest.fixture
def rate_limited_app(make_app):
    return make_app(RATELIMIT_ENABLED=True)


def test_the_eleventh_sign_in_in_a_minute_is_refused_in_norwegian(rate_limited_app):
    client = rate_limited_app.test_client()
    for attempt in range(10):
        assert login(client, f"guess{attempt}", WRONG).status_code == 200
    refused = login(client, "guess10", WRONG)
    assert refused.status_code == 429
    assert parse(refused).get("lang") == "nb"
    assert "For mange forsøk. Vent et minutt og prøv igjen." in refused.text
    assert int(refused.headers["Retry-After"]) <= 60
    assert client.get("/login").status_code == 200  # reading the form is not counted
    elsewhere = rate_limited_app.test_client()
    assert elsewhere.post("/login", data={"username": "x", "password": WRONG},
                          environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 200  # another address


def test_an_address_a_client_writes_in_x_forwarded_for_does_not_dodge_the_limit(make_app):
    direct = make_app(RATELIMIT_ENABLED=True).test_client()  # no proxy: the header is not believed
    answers = [direct.post("/login", data={"username": "x", "password": WRONG},
                           headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(11)]
    assert answers == [200] * 10 + [429]


def test_behind_a_proxy_only_the_address_the_proxy_saw_counts(make_app):
    behind_proxy = make_app(RATELIMIT_ENABLED=True, PROXY_COUNT=1).test_client()

    def attempt(forwarded: str) -> int:
        return behind_proxy.post("/login", data={"username": "x", "password": WRONG},
                                 headers={"X-Forwarded-For": forwarded}).status_code

    # The client writes a new address each time; the proxy adds the one it saw, last.
    assert [attempt(f"203.0.113.{n}, 198.51.100.7") for n in range(11)] == [200] * 10 + [429]
    assert attempt("198.51.100.8") == 200  # another person behind the same proxy


def test_activation_codes_are_rate_limited_too(rate_limited_app):
    client = rate_limited_app.test_client()
    for _ in range(10):
        assert enter_code(client, "AAAA-AAAA-AAAA-AAAA").status_code == 200
    assert enter_code(client, "AAAA-AAAA-AAAA-AAAA").status_code == 429


# --- CSRF -------------------------------------------------------------------------------------------------

@pytest.fixture
def csrf_on(app):
    """Forms need their token from here on (people sign in first, with it off)."""
    def turn_on():
        app.config["WTF_CSRF_ENABLED"] = True
    return turn_on


def token_from(page) -> str:
    return find(page, "input[name=csrf_token]")[0].value


def test_signing_in_needs_the_forms_token(app, sign_in, csrf_on):
    csrf_on()
    person = english(app)
    refused = login(person, "kari.test")
    assert refused.status_code == 400
    assert not signed_in(person)
    token = token_from(person.get("/login"))
    assert person.post("/login", data={"username": "kari.test", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    assert signed_in(person)


def test_signing_out_needs_the_forms_token(app, sign_in, csrf_on):
    kari = sign_in("Kari Demo")
    csrf_on()
    assert kari.post("/logout").status_code == 400
    assert kari.get("/my-timeline").status_code == 200
    token = token_from(kari.get("/my-timeline"))
    assert kari.post("/logout", data={"csrf_token": token}).status_code == 302
    assert kari.get("/my-timeline").status_code == 302


def test_a_staff_form_needs_its_token(app, sign_in, csrf_on):
    coordinator = sign_in(COORDINATOR)
    csrf_on()
    with app.app_context():
        enrolment = database.session().scalar(
            select(Enrolment).where(Enrolment.patient_id == patient_id(app, "Kari Demo")))
    path = f"/staff/enrolments/{enrolment.id}/delay-note"
    forged = coordinator.post(path, data={"version": enrolment.version, "note": "Forged note"})
    assert forged.status_code == 400
    with app.app_context():
        assert database.session().get(Enrolment, enrolment.id).delay_note is None
    token = token_from(coordinator.get(path))
    saved = coordinator.post(path, data={"version": enrolment.version, "note": "Real note", "csrf_token": token})
    assert saved.status_code == 302
    with app.app_context():
        assert database.session().get(Enrolment, enrolment.id).delay_note == "Real note"


def test_the_patients_sharing_forms_need_their_token(app, sign_in, csrf_on):
    kari = sign_in("Kari Demo")
    invite(kari, see_appointments=True)
    share_id = share_named(app, "Nora Relative").id
    csrf_on()
    forged = {"relative_name": "Mallory", "see_appointments": "y", "see_notes": "y"}
    assert kari.post("/my/relatives", data=forged).status_code == 400
    assert kari.post(f"/my/relatives/{share_id}/scopes", data={"see_notes": "y"}).status_code == 400
    assert kari.post(f"/my/relatives/{share_id}/withdraw").status_code == 400
    assert share_named(app, "Mallory") is None
    share = share_named(app, "Nora Relative")
    assert (share.see_notes, share.withdrawn_at) == (False, None)

    token = token_from(kari.get("/my/relatives"))
    made = kari.post("/my/relatives?lang=en", data={**forged, "relative_name": "Per Relative", "csrf_token": token})
    assert "Give this link to Per Relative" in made.text
    assert kari.post(f"/my/relatives/{share_id}/withdraw", data={"csrf_token": token}).status_code == 302
    assert share_named(app, "Nora Relative").withdrawn_at is not None


# --- sessions ---------------------------------------------------------------------------------------------

def test_a_password_set_elsewhere_ends_the_session(app, sign_in, mailbox):
    kari = sign_in("Kari Demo")
    assert kari.get("/my-timeline").status_code == 200
    elsewhere = english(app)
    elsewhere.get(f"/t/{new_code_from_coordinator(app, sign_in, mailbox, 'Kari Demo')}")
    elsewhere.post("/activate/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert elsewhere.get("/my-timeline").status_code == 200
    ended = kari.get("/my-timeline")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")


def test_deactivation_ends_the_session(app, sign_in):
    nurse = sign_in("Sindre Sykepleier (demo)")
    assert nurse.get("/staff/").status_code == 200
    nurse_id = account_named(app, "Sindre Sykepleier (demo)").id
    assert sign_in("Ada Administrator (demo)").post(f"/admin/accounts/{nurse_id}/deactivate").status_code == 302
    assert nurse.get("/staff/").status_code == 302
    assert nurse.post("/staff/patients/new", data={}).status_code == 401


def test_a_session_ends_after_session_hours(app, sign_in, clock):
    kari = sign_in("Kari Demo")
    clock(hours=app.config["SESSION_HOURS"], minutes=-1)
    assert kari.get("/my-timeline").status_code == 200
    clock(minutes=2)
    ended = kari.get("/my-timeline")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    assert not signed_in(kari)


def copy_of(app, browser):
    """Another browser holding a copy of `browser`'s session cookie (stolen, or left on a shared computer)."""
    copy = app.test_client()
    cookie = browser.get_cookie("session")
    copy.set_cookie("session", cookie.value)
    return copy


def test_signing_out_ends_the_session_in_every_copy_of_the_cookie(app, sign_in):
    kari = sign_in("Kari Demo")
    copy = copy_of(app, kari)
    assert copy.get("/my-timeline").status_code == 200
    assert kari.post("/logout").status_code == 302
    ended = copy.get("/my-timeline")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    assert copy.post("/my/relatives", data={"relative_name": "Mallory"}).status_code == 401


def test_deactivation_ends_a_copied_session_and_reactivation_does_not_bring_it_back(app, sign_in):
    nurse = sign_in(NURSE)
    copy = copy_of(app, nurse)
    nurse_id = account_named(app, NURSE).id
    admin = sign_in(ADMINISTRATOR)
    assert admin.post(f"/admin/accounts/{nurse_id}/deactivate").status_code == 302
    assert admin.post(f"/admin/accounts/{nurse_id}/reactivate").status_code == 302
    assert copy.get("/staff/").status_code == 302
    assert nurse.get("/staff/").status_code == 302
    assert sign_in(NURSE).get("/staff/").status_code == 200  # a new sign-in works


def test_an_admin_can_sign_a_person_out_everywhere(app, sign_in):
    nurse_on_ward, nurse_at_home = sign_in(NURSE), sign_in(NURSE)
    nurse_id = account_named(app, NURSE).id
    admin = sign_in(ADMINISTRATOR)
    done = admin.post(f"/admin/accounts/{nurse_id}/sign-out")
    assert "er logget ut overalt" in text_of(admin.get(done.headers["Location"]))
    assert nurse_on_ward.get("/staff/").status_code == 302
    assert nurse_at_home.get("/staff/").status_code == 302
    with app.app_context():
        entry = database.session().scalar(select(AuditEntry).where(AuditEntry.action == "account-signed-out"))
        assert (entry.actor, entry.detail) == (ADMINISTRATOR, f"account {nurse_id} (nurse): 2 sign-in(s) ended")
    assert admin.get("/staff/").status_code == 403  # the admin did not get the nurse's access


def test_a_patient_logs_out_everywhere_from_who_has_looked(app, sign_in):
    on_phone, on_library_computer = sign_in("Kari Demo"), sign_in("Kari Demo")
    page = on_phone.get("/my/access-log")
    assert "Logg ut overalt" in text_of(page)
    landed = send(on_phone, page, "/logout/everywhere")
    assert "Du er logget ut overalt" in text_of(on_phone.get(landed.headers["Location"]))
    assert on_library_computer.get("/my-timeline").status_code == 302
    assert on_phone.get("/my-timeline").status_code == 302
    again = sign_in("Kari Demo")
    assert "Du logget ut overalt" in text_of(again.get("/my/access-log"))


def test_the_coordinator_can_log_a_patient_out_everywhere(app, sign_in):
    kari = sign_in("Kari Demo")
    coordinator = sign_in(COORDINATOR)
    kari_id = patient_id(app, "Kari Demo")
    page = coordinator.get(f"/staff/patients/{kari_id}")
    landed = send(coordinator, page, f"/staff/patients/{kari_id}/sign-out")
    assert "Pasienten er logget ut overalt" in text_of(coordinator.get(landed.headers["Location"]))
    assert kari.get("/my-timeline").status_code == 302
    assert sign_in(NURSE).post(f"/staff/patients/{kari_id}/sign-out").status_code == 403


def test_signing_out_is_a_post_only(app, sign_in):
    kari = sign_in("Kari Demo")
    assert kari.get("/logout").status_code == 405
    assert kari.get("/my-timeline").status_code == 200
    assert kari.post("/logout").status_code == 302
    assert kari.get("/my-timeline").status_code == 302


def test_the_session_cookie_is_http_only_and_same_site(app, sign_in):
    cookie = login(app.test_client(), "kari.test").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # off by default: a laptop serves plain http
    app.config["SESSION_COOKIE_SECURE"] = True
    assert "; Secure" in login(app.test_client(), "kari.test").headers["Set-Cookie"]


def test_the_secure_cookie_is_switched_on_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    assert load_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True


# --- headers ----------------------------------------------------------------------------------------------

def policy(response) -> dict[str, str]:
    directives = (part.strip().split(None, 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives if d}


@pytest.mark.parametrize("path", ["/", "/login", "/activate", "/no-such-page", "/my-timeline", "/my/relatives"])
def test_security_headers_on_every_kind_of_page(app, sign_in, path):
    response = sign_in("Kari Demo").get(path)
    csp = policy(response)
    assert csp["default-src"] == "'self'"
    assert csp.get("script-src", "'self'") == "'self'"  # absent: falls back to default-src
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["frame-ancestors"] == "'none'" and csp["base-uri"] == "'none'" and csp["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "<script" not in response.text  # nothing the policy would block


def test_signed_in_pages_are_not_kept_in_the_browser_cache(app, sign_in):
    kari = sign_in("Kari Demo")
    assert kari.get("/my-timeline").headers["Cache-Control"] == "no-store"
    assert "no-store" not in kari.get("/static/style.css").headers.get("Cache-Control", "")
    assert "no-store" not in app.test_client().get("/").headers.get("Cache-Control", "")


# --- escaping ---------------------------------------------------------------------------------------------

def test_script_in_a_name_or_a_note_is_shown_as_text(app, sign_in):
    name, note, relative = "<script>alert('name')</script>", "<script>alert('note')</script>", "<b>Rel</b>"
    with app.app_context():
        db = database.session()
        db.scalar(select(Patient).where(Patient.display_name == "Kari Demo")).display_name = name
        db.commit()
    write_delay_note(app, sign_in(COORDINATOR), name, note)
    kari = sign_in("Kari Demo")
    relative_browser = accept(app, invite(kari, relative_name=relative, see_appointments=True, see_notes=True))

    pages = {
        "patient": kari.get("/my-timeline").text,
        "patient's sharing": kari.get("/my/relatives").text,
        "staff": sign_in(COORDINATOR).get(f"/staff/patients/{patient_id(app, name)}").text,
        "relative": relative_browser.get(shared_path(app, relative)).text,
    }
    for where, page in pages.items():
        assert "<script" not in page and "<b>" not in page, where
    for where in ("patient", "staff", "relative"):
        assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in pages[where], where
        assert "&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;" in pages[where], where
    assert "&lt;b&gt;Rel&lt;/b&gt;" in pages["patient's sharing"] and "&lt;b&gt;Rel&lt;/b&gt;" in pages["staff"]


# --- errors -----------------------------------------------------------------------------------------------

def test_a_database_error_gets_the_error_page(app, sign_in, monkeypatch):
    kari = sign_in("Kari Demo")
    monkeypatch.setattr(sharing, "new_token", lambda: "the same token twice")
    invite(kari, relative_name="First Relative")
    failed = kari.post("/my/relatives?lang=en", data={"relative_name": "Second Relative"})  # same hash: refused
    assert failed.status_code == 500
    assert "Something went wrong on our side" in failed.text and "Sign out (Kari Demo)" in text_of(failed)
    assert share_named(app, "Second Relative") is None
    assert kari.get("/my/relatives").status_code == 200


# --- the audit log ----------------------------------------------------------------------------------------

def test_no_route_changes_the_audit_log(app):
    reading = {"GET", "HEAD", "OPTIONS"}
    audit_rules = [rule for rule in app.url_map.iter_rules()
                   if "audit" in rule.rule or "audit" in rule.endpoint or "access-log" in rule.rule]
    assert "/my/access-log" in [rule.rule for rule in audit_rules]
    for rule in audit_rules:
        assert rule.methods <= reading, rule.rule


def test_the_access_log_page_only_reads(app, sign_in):
    kari = sign_in("Kari Demo")
    kari.get("/my-timeline")
    before = count(app, AuditEntry)
    for method in (kari.post, kari.put, kari.delete, kari.patch):
        assert method("/my/access-log").status_code == 405
    page = kari.get("/my/access-log?lang=en")
    # The one form on it signs out everywhere, elsewhere; nothing on the page changes the log.
    assert [form.get("action") for form in find(page, "main form")] == ["/logout/everywhere"]
    assert count(app, AuditEntry) == before


# --- what a request may send, and where links point ------------------------------------------------

def test_a_form_too_large_is_refused_even_when_sent_in_chunks(app, sign_in):
    kari = sign_in("Kari Demo")
    big = b"relative_name=" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    whole = kari.post("/my/relatives", data=big, content_type="application/x-www-form-urlencoded")
    chunked = kari.post("/my/relatives", input_stream=io.BytesIO(big), content_type="application/x-www-form-urlencoded",
                        headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    for response in (whole, chunked):
        assert response.status_code == 413
        assert "Det var for mye å sende" in response.text


def test_the_timeline_api_counts_a_chunked_body_as_it_reads_it(client):
    big = b'{"pathway": "' + b"x" * (300 * 1024) + b'"}'
    response = client.post("/api/v1/timeline", input_stream=io.BytesIO(big), content_type="application/json",
                           headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert response.json["errors"][0]["code"] == "too_large"


def test_an_invitation_link_points_to_the_portal_whatever_host_the_request_named(app, sign_in):
    elsewhere = app.test_client()  # Kari's session, in a request that names another host
    elsewhere.set_cookie("session", sign_in("Kari Demo").get_cookie("session").value, domain="evil.example")
    page = elsewhere.post("/my/relatives", base_url="http://evil.example",
                          data={"relative_name": "Nora", "see_appointments": "y"})
    (link,) = find(page, "input#link-to-pass-on")
    assert link.get("value").startswith(app.config["PUBLIC_BASE_URL"] + "/invitation/")
    assert "evil.example" not in page.text


def test_the_database_file_is_readable_by_the_portals_user_only(tmp_path):
    path = tmp_path / "instance" / "forlop.sqlite"
    app = new_app(f"sqlite:///{path}")
    with app.app_context():
        database.migrate(app)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    app.extensions["db_engine"].dispose()


def test_the_language_is_changed_only_by_the_forms_post_with_its_token(app, sign_in, csrf_on):
    kari = sign_in("Kari Demo")
    csrf_on()

    def preferred() -> str:
        with app.app_context():
            return database.session().scalar(select(Patient.preferred_language).where(Patient.id == kari_id))

    kari_id = patient_id(app, "Kari Demo")
    assert kari.get("/language/en?next=/").status_code == 405  # a link or an image cannot change it
    assert kari.post("/language/en?next=/").status_code == 400  # nor a form from another site
    assert preferred() == "nb"
    switched = kari.post("/language/en?next=/my-timeline", data={"csrf_token": token_from(kari.get("/my-timeline"))})
    assert (switched.status_code, switched.headers["Location"]) == (302, "/my-timeline")
    assert preferred() == "en"


def test_every_sign_in_can_sign_out_from_the_kept_timeline_page(app, sign_in, csrf_on):
    """The timeline page is kept per process; each reader gets it with their own session's token."""
    browsers = [sign_in("Kari Demo") for _ in range(3)]
    csrf_on()
    for browser in browsers:
        page = browser.get("/my-timeline")
        response = browser.post("/logout", data={"csrf_token": token_from(page)})
        assert response.status_code == 302, response.status_code
        assert not signed_in(browser)
