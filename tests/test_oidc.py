"""Signing in with ID-porten (patients) and HelseID (staff), against a real OpenID Connect provider
on loopback (oidc-provider-mock): the code flow with PKCE, asking for level substantial, the person
named by the `pid` claim. The test plays the browser: it follows the portal to the provider, picks
the person there as one would with BankID, and comes back."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import User, run_server_in_thread
from sqlalchemy import select

from portal import database
from portal.identity import synthetic
from portal.models import Account, Patient

from .support import factories
from .support.pages import text_of
from .support.people import login
from .support.stored import account_named, patient_id
from .support.world import NATIONAL_IDS, NURSE, USERNAMES

KARI = "Kari Demo"
NEWCOMER = "61030550063"  # a D-nummer, registered by the test before she signs in
STRANGER = "21030550231"  # HL7 Norway's example person: not a patient here
NURSES_NUMBER = synthetic(7, 7, 1977, 333)  # the nurse's, registered on her account by the test
HELSEID_PID = "helseid://claims/identity/pid"


def person(sub: str, **claims) -> User:
    return User(sub=sub, claims={"acr": "idporten-loa-substantial", **claims})


# The people the provider knows, as if each had BankID: who they are is what they show.
PEOPLE = {"kari": person("kari", pid=NATIONAL_IDS[KARI]), "nora": person("nora", pid=NEWCOMER),
          "stranger": person("stranger", pid=STRANGER),
          "low": User(sub="low", claims={"acr": "idporten-loa-low", "pid": NATIONAL_IDS[KARI]}),
          "sindre": person("sindre", **{HELSEID_PID: NURSES_NUMBER}),
          "kari-at-helseid": person("kari-at-helseid", **{HELSEID_PID: NATIONAL_IDS[KARI]})}


@pytest.fixture
def provider():
    with run_server_in_thread(user_claims=list(PEOPLE.values())) as server:
        yield server


@pytest.fixture
def portal(make_app, provider):
    issuer = f"http://localhost:{provider.server_port}"
    app = make_app(IDPORTEN_ISSUER=issuer, IDPORTEN_CLIENT_ID="forlop", IDPORTEN_CLIENT_SECRET="test-secret",
                   HELSEID_ISSUER=issuer, HELSEID_CLIENT_ID="forlop-staff", HELSEID_CLIENT_SECRET="test-secret")
    with app.app_context():  # what the admin registers on the nurse's account
        db = database.session()
        db.scalar(select(Account).where(Account.display_name == NURSE)).national_id = NURSES_NUMBER
        db.commit()
    return app


def through_id_porten(portal, provider, who: str | None, slug: str = "id-porten"):
    """Start at the portal, sign in at the provider as one of PEOPLE (None: say no), come back;
    the portal's answer, the browser that got it and what the portal asked the provider for."""
    browser = portal.test_client()
    start = browser.get(f"/login/{slug}")
    assert start.status_code == 302
    asked = parse_qs(urlsplit(start.location).query)
    at_provider = requests.post(start.location, data={"sub": who} if who else {"action": "deny"},
                                allow_redirects=False, timeout=10)
    back = urlsplit(at_provider.headers["Location"])
    return browser.get(f"{back.path}?{back.query}"), browser, asked


def test_the_login_page_offers_id_porten_and_asks_for_level_substantial_with_pkce(portal, provider):
    assert "Logg inn med ID-porten" in text_of(portal.test_client().get("/login"))
    _answer, _browser, asked = through_id_porten(portal, provider, "kari")
    assert asked["acr_values"] == ["idporten-loa-substantial"]
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) >= 43
    assert asked["scope"] == ["openid profile"] and asked["state"] and asked["nonce"]


def test_a_patient_signs_in_with_id_porten_and_sees_her_timeline(portal, provider):
    answer, browser, _asked = through_id_porten(portal, provider, "kari")
    assert answer.status_code == 302 and answer.location == "/my-timeline"
    assert "Tidslinjen din" in text_of(browser.get("/my-timeline"))
    assert "logget inn" in text_of(browser.get("/my/access-log"))


def test_the_first_sign_in_with_id_porten_makes_the_account_of_a_registered_patient(portal, provider):
    with portal.app_context():
        db = database.session()
        kari = db.get(Patient, patient_id(portal, KARI))
        factories.patient(db, "Nora Ny", kari.unit, national_id=NEWCOMER)
        db.commit()
    answer, _browser, _asked = through_id_porten(portal, provider, "nora")
    assert answer.location == "/my-timeline"
    assert account_named(portal, "Nora Ny").role == "patient"


@pytest.mark.parametrize("who, says", [
    (None, "Innloggingen ble ikke fullført"),
    ("stranger", "Vi fant deg ikke som pasient her"),
    ("low", "ikke logget sikkert nok inn"),
])
def test_what_cannot_sign_in_is_told_in_plain_words(portal, provider, who, says):
    answer, browser, _asked = through_id_porten(portal, provider, who)
    assert answer.status_code == 400
    assert says in text_of(answer)
    assert browser.get("/my-timeline").status_code == 302  # not signed in


def test_a_code_or_state_used_again_signs_no_one_in(portal, provider):
    answer, _browser, _asked = through_id_porten(portal, provider, "kari")
    assert answer.status_code == 302
    replay = portal.test_client()  # another browser with the same callback address
    again = replay.get(f"/login/id-porten/callback?{urlsplit(answer.request.url).query}")
    assert again.status_code == 400
    assert replay.get("/my-timeline").status_code == 302


def test_a_nurse_signs_in_with_helseid_by_the_number_the_admin_registered(portal, provider):
    assert "Helsepersonell: logg inn med HelseID" in text_of(portal.test_client().get("/login"))
    answer, browser, asked = through_id_porten(portal, provider, "sindre", slug="helseid")
    assert asked["acr_values"] == ["idporten-loa-substantial"] and asked["code_challenge_method"] == ["S256"]
    assert answer.status_code == 302 and answer.location == "/staff/"
    assert browser.get("/staff/").status_code == 200


def test_a_patient_at_helseid_gets_no_staff_account(portal, provider):
    answer, browser, _asked = through_id_porten(portal, provider, "kari-at-helseid", slug="helseid")
    assert answer.status_code == 400
    assert "Ingen ansattkonto har fødselsnummeret ditt" in text_of(answer)
    assert browser.get("/my-timeline").status_code == 302


def test_without_settings_there_is_no_electronic_id(app):
    page = text_of(app.test_client().get("/login"))
    assert "ID-porten" not in page and "HelseID" not in page
    for slug in ("id-porten", "helseid", "anything"):
        assert app.test_client().get(f"/login/{slug}").status_code == 404
    assert login(app.test_client(), USERNAMES["Kari Demo"]).status_code == 302  # passwords still work
