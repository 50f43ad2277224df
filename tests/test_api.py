"""The JSON API: same answers as the CLI, and a clear 4xx naming the field for any bad input."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .support.content import LISTED

BREAST_REQUEST = {
    "pathway": "cancer-breast",
    "today": "2026-03-10",
    "events": [
        {"milestone": "referral_received", "date": "2026-03-02"},
        {"milestone": "first_attendance", "date": "2026-03-06"},
    ],
}


@pytest.mark.no_database
def test_timeline_gives_the_next_step_and_its_normal_date(read_only_client):
    response = read_only_client.post("/api/v1/timeline", json=BREAST_REQUEST)
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "active"
    assert body["current_phase"] == "assessment"
    assert body["next_step"]["milestone"] == "clinical_decision"
    assert body["next_step"]["expected_by"] == "2026-03-18"


@pytest.mark.no_database
def test_cli_prints_the_same_json_as_the_api(read_only_client, read_only_app):
    api = read_only_client.post("/api/v1/timeline", json=BREAST_REQUEST).get_json()
    result = read_only_app.test_cli_runner().invoke(
        args=["timeline", "cancer-breast", "--event", "referral_received=2026-03-02",
              "--event", "first_attendance=2026-03-06", "--today", "2026-03-10"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == api


@pytest.mark.no_database
def test_cli_reports_bad_input_naming_the_field_and_exits_non_zero(read_only_app):
    result = read_only_app.test_cli_runner().invoke(
        args=["timeline", "cancer-breast", "--event", "referral_received=2026-02-30", "--today", "2026-03-10",
              "--lang", "en"])
    assert result.exit_code == 2
    assert "events[0].date" in result.output


@pytest.mark.no_database
def test_options_and_branches_in_the_api(read_only_client):
    request = {**BREAST_REQUEST, "options": {"treatment": "drug"}}
    body = read_only_client.post("/api/v1/timeline", json=request).get_json()
    treatment = body["steps"][-1]
    assert treatment["milestone"] == "treatment_start"
    assert treatment["expected_by"] == "2026-03-28"
    assert "branches" not in treatment


@pytest.mark.no_database
def test_pathway_list_and_definition_with_norm_times(read_only_client):
    listing = read_only_client.get("/api/v1/pathways").get_json()["pathways"]
    assert {p["id"] for p in listing} == set(LISTED)  # the packages removed in 2021 are not listed
    definition = read_only_client.get("/api/v1/pathways/cancer-breast").get_json()["definition"]
    latest = definition["norms"][-1]
    assert latest["effective_from"] == "2021-05-01"
    decision = {"from": "first_attendance", "to": "clinical_decision", "amount": 12, "unit": "calendar_days"}
    assert decision.items() <= latest["intervals"][1].items()
    assert latest["source"].startswith("https://")


@pytest.mark.no_database
def test_a_start_date_nobody_knows_is_null_in_the_definition_and_the_timeline(read_only_client):
    definition = read_only_client.get("/api/v1/pathways/cancer-brain").get_json()["definition"]
    assert definition["start_date_known"] is False
    assert definition["effective_from"] is None and definition["norms"][0]["effective_from"] is None
    known = read_only_client.get("/api/v1/pathways/cancer-breast").get_json()["definition"]
    assert known["start_date_known"] is True and known["effective_from"] == "2015-01-01"
    request = {"pathway": "cancer-brain", "today": "2026-03-03",
               "events": [{"milestone": "referral_received", "date": "2026-03-02"}]}
    body = read_only_client.post("/api/v1/timeline", json=request).get_json()
    assert body["norm_version"]["effective_from"] is None
    assert body["next_step"]["expected_by"] == "2026-03-08"  # the times still count: 6 days


@pytest.mark.no_database
def test_unknown_pathway_is_404_naming_the_field(read_only_client):
    assert read_only_client.get("/api/v1/pathways/nope").status_code == 404
    response = read_only_client.post("/api/v1/timeline", json={**BREAST_REQUEST, "pathway": "nope"})
    assert response.status_code == 404
    assert response.get_json()["errors"][0]["field"] == "pathway"


@pytest.mark.no_database
def test_error_messages_follow_the_requested_language(read_only_client):
    request = {**BREAST_REQUEST, "events": [{"milestone": "referral_received", "date": "2027-01-01"}]}
    english = read_only_client.post("/api/v1/timeline?lang=en", json=request).get_json()["errors"][0]
    bokmal = read_only_client.post("/api/v1/timeline?lang=nb", json=request).get_json()["errors"][0]
    assert english["field"] == bokmal["field"] == "events[0].date"
    assert english["code"] == "date_in_future"
    assert english["message"] != bokmal["message"]


@pytest.mark.no_database
def test_each_kind_of_bad_input_names_its_field(read_only_client):
    cases = [
        ({"milestone": "nonsense", "date": "2026-03-02"}, "events[0].milestone", "unknown_milestone"),
        ({"milestone": "referral_received", "date": "2026-02-30"}, "events[0].date", "invalid_date"),
        ({"milestone": "referral_received", "date": 20260302}, "events[0].date", "invalid_date"),
        ({"milestone": "referral_received"}, "events[0].date", "missing"),
        ({"milestone": "referral_received", "date": "2026-03-02", "colour": "red"}, "events[0].colour",
         "unknown_field"),
        ({"milestone": "clinical_decision", "date": "2026-03-02", "outcome": "maybe"}, "events[0].outcome",
         "unknown_outcome"),
    ]
    for event, field, code in cases:
        response = read_only_client.post("/api/v1/timeline", json={**BREAST_REQUEST, "events": [event]})
        assert response.status_code == 400, event
        errors = response.get_json()["errors"]
        assert (errors[0]["field"], errors[0]["code"]) == (field, code), errors


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.sampled_from(
        ["cancer-breast", "phr-adults", "hph", "referral_received", "evaluation", "2026-03-02", "2026-02-30"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["pathway", "today", "events", "options", "milestone", "date", "outcome", "until", "x"]),
        children, max_size=5),
    max_leaves=20,
)


@pytest.mark.no_database
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=json_values)
def test_any_json_body_gets_a_json_answer_never_a_500(read_only_client, body):
    response = read_only_client.post("/api/v1/timeline", data=json.dumps(body), content_type="application/json")
    assert response.status_code in (200, 400, 404)
    payload = response.get_json()
    assert payload is not None
    if response.status_code != 200:
        assert all("field" in e and e["message"] for e in payload["errors"])


@pytest.mark.no_database
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_get_a_json_answer_never_a_500(read_only_client, raw):
    response = read_only_client.post("/api/v1/timeline", data=raw, content_type="application/json")
    assert response.status_code in (200, 400, 404)


def test_a_tampered_session_cookie_is_refused(read_only_client):
    read_only_client.set_cookie("session", "eyJhY2NvdW50X2lkIjoxfQ.forged.signature")
    response = read_only_client.get("/my-timeline")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
