"""timeline_to_dict: the JSON form printed by the CLI and the API."""
import json
from datetime import date

from portal.timeline import Event, Options, compute_timeline, timeline_to_dict

D = date.fromisoformat


def test_timeline_dict_is_json_serialisable_with_iso_dates(breast):
    events = [Event("referral_received", D("2026-03-02")),
              Event("patient_postponed", D("2026-03-04"), until=D("2026-03-14"))]

    data = json.loads(json.dumps(timeline_to_dict(compute_timeline(breast, events, D("2026-03-05")))))

    assert data["next_step"]["milestone"] == "first_attendance"
    assert data["next_step"]["expected_by"] == "2026-03-19"
    assert data["next_step"]["postponed_by_patient_days"] == 10
    assert data["clock_started"] == "2026-03-02"
    assert data["today"] == "2026-03-05"
    assert data["state"] == "active"
    assert data["postponements"] == [{"requested_on": "2026-03-04", "until": "2026-03-14", "days": 10}]
    assert data["norm_version"]["effective_from"] == "2021-05-01"


def test_branch_dates_are_listed_in_the_json(breast):
    events = [Event("referral_received", D("2026-03-02"))]

    data = json.loads(json.dumps(timeline_to_dict(compute_timeline(breast, events, D("2026-03-03")))))

    treatment = next(s for s in data["steps"] if s["milestone"] == "treatment_start")
    assert treatment["expected_by"] == "2026-04-03"
    assert treatment["branches"] == [{"treatment": "surgery", "expected_by": "2026-04-03"},
                                     {"treatment": "drug", "expected_by": "2026-03-31"}]


def test_step_without_a_norm_has_a_null_date_in_the_json(phr):
    events = [Event("referral_received", D("2026-04-01")), Event("referral_assessed", D("2026-04-14"))]

    data = json.loads(json.dumps(timeline_to_dict(compute_timeline(phr, events, D("2026-04-15")))))

    assert data["next_step"]["milestone"] == "first_attendance"
    assert data["next_step"]["expected_by"] is None
    assert data["next_step"]["norm"] is None


def test_ended_pathway_json_has_reason_and_no_next_step(breast):
    events = [Event("referral_received", D("2026-03-02")), Event("transferred", D("2026-03-04"))]

    data = json.loads(json.dumps(timeline_to_dict(compute_timeline(breast, events, D("2026-03-05"), Options()))))

    assert data["state"] == "ended_early"
    assert data["end_reason"] == "transferred"
    assert data["ended_on"] == "2026-03-04"
    assert data["next_step"] is None
