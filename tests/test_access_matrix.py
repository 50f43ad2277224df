"""Who gets what, for every route: each rule in `app.url_map` is tried by every kind of person,
against patient A's records, and must answer as the table below says. A new route fails this test
until it is added to the table, so none can slip through unreviewed.

The people: no one signed in, patient A (Kari Demo) and patient B (Ola Demo, same unit), a relative
of each, a nurse and a coordinator of A's unit, a nurse of another unit, and an admin.

Outcomes: "ok" (answered: any status but 401, 403, 404, 5xx, and no detour to the login page),
"login" (sent to sign in; a POST gets 401), "forbidden" (403), "missing" (404: staff of another
unit, and patients or relatives reaching for someone else's share, are told nothing exists) and
"system_only" (401 asking for a bearer token: the routes of a unit's own systems, which no
browser session opens, whoever is signed in).
"""
from __future__ import annotations

import pytest

from .support.databases import app_on, new_app
from .support.pdfs import pdf_text, read_pdf
from .support.routes import PATIENT_A, build_world

PEOPLE = ("anonymous", "patient_a", "patient_b", "relative_a", "relative_b",
          "nurse", "coordinator", "nurse_elsewhere", "admin")


def _everyone(outcome: str, **exceptions: str) -> dict[str, str]:
    return {person: exceptions.get(person, outcome) for person in PEOPLE}


PUBLIC = _everyone("ok")
SIGNED_IN = _everyone("ok", anonymous="login")
# Pages about "my own" data: each patient or relative gets their own, never someone else's.
OWN_PATIENT_PAGE = _everyone("forbidden", anonymous="login", patient_a="ok", patient_b="ok")
OWN_SHARES = _everyone("forbidden", anonymous="login", relative_a="ok", relative_b="ok")
PATIENT_A_SHARE = _everyone("forbidden", anonymous="login", patient_a="ok", patient_b="missing")
PATIENT_A_GOAL = PATIENT_A_SHARE
RELATIVE_A_SHARE = _everyone("forbidden", anonymous="login", relative_a="ok", relative_b="missing")
STAFF_ANY = _everyone("forbidden", anonymous="login", nurse="ok", coordinator="ok", nurse_elsewhere="ok")
STAFF_OF_A = _everyone("forbidden", anonymous="login", nurse="ok", coordinator="ok", nurse_elsewhere="missing")
COORDINATOR_OF_A = _everyone("forbidden", anonymous="login", coordinator="ok")
ADMIN = _everyone("forbidden", anonymous="login", admin="ok")
SYSTEM_ONLY = _everyone("system_only")

EXPECTED = {
    "static": PUBLIC,
    "switch_language": PUBLIC,
    "public.index": PUBLIC,
    "public.pathway": PUBLIC,
    "public.dates": PUBLIC,
    "public.glossary": PUBLIC,
    "public.units": PUBLIC,
    "api.pathways": PUBLIC,
    "api.pathway": PUBLIC,
    "api.timeline": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.activation_link": PUBLIC,
    "auth.enter_code": PUBLIC,
    "auth.set_password": PUBLIC,
    "auth.account_home": SIGNED_IN,
    "relative.invitation": PUBLIC,
    "patient.my_timeline": OWN_PATIENT_PAGE,
    "patient.access_log": OWN_PATIENT_PAGE,
    "patient.relatives": OWN_PATIENT_PAGE,
    "patient.change_scopes": PATIENT_A_SHARE,
    "patient.withdraw": PATIENT_A_SHARE,
    "patient.goals": OWN_PATIENT_PAGE,
    "patient.new_goal": OWN_PATIENT_PAGE,
    "patient.before_we_meet": OWN_PATIENT_PAGE,
    "patient.edit_goal": PATIENT_A_GOAL,
    "patient.finish_goal": PATIENT_A_GOAL,
    "patient.delete_goal_draft": PATIENT_A_GOAL,
    "relative.index": OWN_SHARES,
    "relative.notifications": OWN_SHARES,
    "patient.notifications": OWN_PATIENT_PAGE,
    "admin.notifications": ADMIN,
    "staff.figures": STAFF_ANY,
    "staff.refresh_figures": STAFF_ANY,
    "admin.decide": ADMIN,
    "relative.view": RELATIVE_A_SHARE,
    "staff.worklist": STAFF_ANY,
    "staff.new_patient": STAFF_ANY,
    "staff.patient": STAFF_OF_A,
    "staff.edit_patient": STAFF_OF_A,
    "staff.history": STAFF_OF_A,
    "staff.enrol": STAFF_OF_A,
    "staff.plan": STAFF_OF_A,
    "staff.new_event": STAFF_OF_A,
    "staff.correct_event": STAFF_OF_A,
    "staff.withdraw_event": STAFF_OF_A,
    "staff.new_appointment": STAFF_OF_A,
    "staff.edit_appointment": STAFF_OF_A,
    "staff.cancel_appointment": STAFF_OF_A,
    "staff.new_result": STAFF_OF_A,
    "staff.edit_result": STAFF_OF_A,
    "staff.result_received": STAFF_OF_A,
    "staff.withdraw_result": STAFF_OF_A,
    "staff.delay_note": STAFF_OF_A,
    "staff.new_contact": STAFF_OF_A,
    "staff.edit_contact": STAFF_OF_A,
    "staff.remove_contact": STAFF_OF_A,
    "staff.activation": COORDINATOR_OF_A,
    "staff.new_share": COORDINATOR_OF_A,
    "staff.withdraw_share": COORDINATOR_OF_A,
    "staff.goals": STAFF_ANY,
    "staff.new_goal": STAFF_OF_A,
    "staff.goal": STAFF_OF_A,
    "staff.edit_goal": STAFF_OF_A,
    "staff.goal_help": STAFF_OF_A,
    "staff.new_goal_action": STAFF_OF_A,
    "staff.goal_action": STAFF_OF_A,
    "staff.withdraw_goal_action": STAFF_OF_A,
    "staff.new_goal_review": STAFF_OF_A,
    # Events that wait for a person belong to a unit: another unit's staff are told nothing exists.
    "staff.held_events": STAFF_ANY,
    "staff.apply_held_event": STAFF_OF_A,
    "staff.dismiss_held_event": STAFF_OF_A,
    "admin.index": ADMIN,
    "admin.new_unit": ADMIN,
    "admin.new_account": ADMIN,
    "admin.new_activation": ADMIN,
    "admin.work_email": ADMIN,
    "admin.deactivate": ADMIN,
    "admin.reactivate": ADMIN,
    "admin.end_sessions": ADMIN,
    # Everyone ends up at the sign-in page: those signed in because it signed them out.
    "auth.logout_everywhere": _everyone("login"),
    # Offered only where ID-porten or HelseID is configured (tests/test_oidc.py signs in through them).
    "auth.login_with": _everyone("missing"),
    "auth.login_callback": _everyone("missing"),
    "staff.sign_out_patient": COORDINATOR_OF_A,
    "admin.api_clients": ADMIN,
    "admin.new_api_client": ADMIN,
    "admin.revoke_api_client": ADMIN,
    "pdf.my_timeline": OWN_PATIENT_PAGE,
    "pdf.shared": RELATIVE_A_SHARE,
    "pdf.pathway": PUBLIC,
    "pdf.before_we_meet": PUBLIC,
    "pdf.patient_timeline": STAFF_OF_A,
    "pdf.clinic_day": STAFF_ANY,
    "pdf.chosen_patients": STAFF_OF_A,
    "integration.metadata": SYSTEM_ONLY,
    "integration.transaction": SYSTEM_ONLY,
    "integration.everything": SYSTEM_ONLY,
    "integration.search_patients": SYSTEM_ONLY,
    "integration.search_episodes": SYSTEM_ONLY,
    "integration.search_care_plans": SYSTEM_ONLY,
    "integration.search_goals": SYSTEM_ONLY,
    "integration.search_appointments": SYSTEM_ONLY,
    "integration.import_codes": SYSTEM_ONLY,
    "integration.export_codes": SYSTEM_ONLY,
}

# The routes, read from an app that is never served.
ROUTES_APP = new_app("sqlite://")


def _outcome(response) -> str:
    if response.status_code == 401 and response.headers.get("WWW-Authenticate") == "Bearer":
        return "system_only"
    if response.status_code == 302 and response.location.startswith("/login"):
        return "login"
    return {401: "login", 403: "forbidden", 404: "missing"}.get(response.status_code, "ok")


def _text_of(response) -> str:
    """What a person can read in the answer: the page, or the text of a PDF."""
    if response.mimetype == "application/pdf":
        return pdf_text(read_pdf(response))
    return response.get_data(as_text=True)


def _cases():
    for rule in sorted(ROUTES_APP.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(rule.endpoint, rule.rule, method, id=f"{method} {rule.rule}")


def test_every_route_is_in_the_table():
    assert {rule.endpoint for rule in ROUTES_APP.url_map.iter_rules()} == set(EXPECTED)


@pytest.fixture(scope="module")
def world(databases):
    with databases.copy("cast") as url, app_on(url) as app:
        yield build_world(app)


@pytest.mark.parametrize("endpoint, path, method", list(_cases()))
def test_each_person_gets_the_expected_answer(world, endpoint, path, method):
    rule = next(rule for rule in world.app.url_map.iter_rules(endpoint) if rule.rule == path)
    expected = EXPECTED[endpoint]
    # Those the route lets in go last: what they do (an empty form, a withdrawal) must not change
    # what the others are answered.
    for person in sorted(PEOPLE, key=lambda person: expected[person] == "ok"):
        client = world.client_for(person)
        response = client.open(world.url_for(rule), method=method, data={})
        world.forget_if_signed_out(person, client)
        assert response.status_code < 500, (person, response.status_code)
        assert _outcome(response) == expected[person], (person, response.status_code)
        if person not in ("patient_a", "relative_a", "nurse", "coordinator"):
            assert PATIENT_A not in _text_of(response), person
