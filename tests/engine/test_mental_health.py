"""Mental health care for adults (phr-adults, evaluation_loop), as measured in 2019-2022: referrals
received in those years keep the 2019 table (the dates here are in 2022; test_mental_health_2023
covers the version from 2023).

referral -> assessed: 10 working days; first attendance: no norm; first attendance -> clinical decision
42 days; optional extended assessment 42 days; first evaluation 42 days (outpatient) / 14 days
(inpatient) after the final decision; later evaluations 84 / 42 days after the last one.
"""
from datetime import date

import pytest

from portal.timeline import Event, Options, compute_timeline
from portal.timeline.model import ACTIVE, COMPLETED, DONE, ENDED_EARLY, EXPECTED, SKIPPED

D = date.fromisoformat
RECEIVED = Event("referral_received", D("2022-04-06"))
ASSESSED = Event("referral_assessed", D("2022-04-19"))
ATTENDED = Event("first_attendance", D("2022-04-25"))
UP_TO_ATTENDANCE = [RECEIVED, ASSESSED, ATTENDED]


def decision(outcome, day="2022-05-30", **kwargs):
    return Event("clinical_decision", D(day), outcome=outcome, **kwargs)


def open_step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone and s.status != DONE)


def test_referral_assessment_is_expected_10_working_days_after_the_referral(phr):
    timeline = compute_timeline(phr, [RECEIVED], D("2022-04-07"))

    assert timeline.next_step.milestone == "referral_assessed"
    assert timeline.next_step.expected_by == D("2022-04-25")  # Easter skipped, see test_working_days


def test_first_attendance_has_no_norm_so_the_next_step_shows_no_date(phr):
    timeline = compute_timeline(phr, [RECEIVED, ASSESSED], D("2022-04-20"))

    assert timeline.next_step.milestone == "first_attendance"
    assert timeline.next_step.expected_by is None
    assert timeline.next_step.norm is None
    assert timeline.next_step.status == EXPECTED


def test_steps_that_count_from_an_undated_step_get_no_date(phr):
    timeline = compute_timeline(phr, [RECEIVED, ASSESSED], D("2022-04-20"))

    assert open_step(timeline, "clinical_decision").expected_by is None
    assert open_step(timeline, "evaluation").expected_by is None


def test_clinical_decision_is_expected_42_days_after_first_attendance(phr):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE, D("2022-04-26"))

    assert timeline.next_step.milestone == "clinical_decision"
    assert timeline.next_step.expected_by == D("2022-06-06")
    assert timeline.current_phase == "assessment"


def test_extended_assessment_is_listed_as_optional_while_the_decision_is_pending(phr):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE, D("2022-04-26"))

    extended = open_step(timeline, "clinical_decision_extended")
    assert extended.optional is True
    assert extended.status == EXPECTED
    assert extended.expected_by == D("2022-07-18")  # 2022-06-06 + 42
    assert timeline.next_step.milestone == "clinical_decision"


def test_while_the_decision_is_pending_the_first_evaluation_counts_from_the_decision(phr):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE, D("2022-04-26"), Options(setting="inpatient"))

    assert open_step(timeline, "evaluation").expected_by == D("2022-06-20")  # 2022-06-06 + 14


def test_extended_assessment_is_skipped_when_treatment_is_decided(phr):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE + [decision("treatment_here")], D("2022-05-31"))

    extended = next(s for s in timeline.steps if s.milestone == "clinical_decision_extended")
    assert extended.status == SKIPPED
    assert extended.expected_by is None
    assert timeline.current_phase == "treatment"
    assert timeline.next_step.milestone == "evaluation"


def test_extended_assessment_becomes_a_normal_step_when_chosen(phr):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE + [decision("extended_assessment")], D("2022-05-31"))

    extended = open_step(timeline, "clinical_decision_extended")
    assert extended.optional is False
    assert extended.expected_by == D("2022-07-11")  # 2022-05-30 + 42
    assert timeline.next_step is extended
    assert timeline.current_phase == "extended_assessment"


def test_evaluation_waits_for_the_extended_decision_when_it_was_chosen(phr):
    events = UP_TO_ATTENDANCE + [decision("extended_assessment")]

    timeline = compute_timeline(phr, events, D("2022-05-31"), Options(setting="outpatient"))

    assert open_step(timeline, "evaluation").expected_by == D("2022-08-22")  # 2022-07-11 + 42
    assert open_step(timeline, "evaluation").counted_from == "clinical_decision_extended"


@pytest.mark.parametrize("setting, expected", [("outpatient", "2022-07-11"), ("inpatient", "2022-06-13")])
def test_first_evaluation_after_a_decision_for_treatment(phr, setting, expected):
    events = UP_TO_ATTENDANCE + [decision("treatment_here", setting=setting)]

    timeline = compute_timeline(phr, events, D("2022-05-31"))

    assert timeline.next_step.milestone == "evaluation"
    assert timeline.next_step.occurrence == 1
    assert timeline.next_step.expected_by == D(expected)  # 2022-05-30 + 42 / + 14


@pytest.mark.parametrize("setting, expected", [("outpatient", "2022-08-17"), ("inpatient", "2022-07-20")])
def test_first_evaluation_counts_from_the_extended_decision(phr, setting, expected):
    events = UP_TO_ATTENDANCE + [
        decision("extended_assessment"),
        Event("clinical_decision_extended", D("2022-07-06"), outcome="treatment_here", setting=setting),
    ]

    timeline = compute_timeline(phr, events, D("2022-07-07"))

    assert timeline.next_step.milestone == "evaluation"
    assert timeline.next_step.expected_by == D(expected)  # 2022-07-06 + 42 / + 14
    assert timeline.current_phase == "treatment"


def test_after_two_outpatient_evaluations_the_third_is_expected_84_days_after_the_last(phr):
    events = UP_TO_ATTENDANCE + [
        decision("treatment_here", setting="outpatient"),
        Event("evaluation", D("2022-07-11")),
        Event("evaluation", D("2022-10-03")),
    ]

    timeline = compute_timeline(phr, events, D("2022-10-06"))

    evaluations = [(s.occurrence, s.status, s.date, s.expected_by)
                   for s in timeline.steps if s.milestone == "evaluation"]
    assert evaluations == [
        (1, DONE, D("2022-07-11"), None),
        (2, DONE, D("2022-10-03"), None),
        (3, EXPECTED, None, D("2022-12-26")),  # 2022-10-03 + 84
    ]
    assert timeline.next_step.occurrence == 3
    assert timeline.state == ACTIVE


def test_after_an_inpatient_evaluation_the_next_is_expected_42_days_later(phr):
    events = UP_TO_ATTENDANCE + [decision("treatment_here", setting="inpatient"), Event("evaluation", D("2022-07-11"))]

    timeline = compute_timeline(phr, events, D("2022-07-12"))

    assert timeline.next_step.occurrence == 2
    assert timeline.next_step.expected_by == D("2022-08-22")  # 2022-07-11 + 42


def test_next_evaluation_with_unknown_setting_lists_both_repeat_dates(phr):
    events = UP_TO_ATTENDANCE + [decision("treatment_here"), Event("evaluation", D("2022-07-11"))]

    timeline = compute_timeline(phr, events, D("2022-07-12"))

    assert timeline.next_step.expected_by == D("2022-10-03")  # outpatient, the later one
    assert [(b.value, b.expected_by) for b in timeline.next_step.branches] == [
        ("outpatient", D("2022-10-03")), ("inpatient", D("2022-08-22"))]


def test_ending_with_treatment_completed_completes_the_pathway(phr):
    events = UP_TO_ATTENDANCE + [decision("treatment_here"), Event("evaluation", D("2022-07-11")),
                                 Event("pathway_ended", D("2022-08-06"), reason="treatment_completed")]

    timeline = compute_timeline(phr, events, D("2022-08-07"))

    assert timeline.state == COMPLETED
    assert timeline.end_reason == "treatment_completed"
    assert timeline.current_phase == "ending"
    assert timeline.next_step is None
    assert [s.occurrence for s in timeline.steps if s.milestone == "evaluation"] == [1]  # no evaluation 2


@pytest.mark.parametrize("reason", ["ended_after_first_conversation", "patient_withdrew", "moved", "died", "other"])
def test_ending_for_any_other_reason_ends_the_pathway_early(phr, reason):
    events = UP_TO_ATTENDANCE + [Event("pathway_ended", D("2022-04-26"), reason=reason)]

    timeline = compute_timeline(phr, events, D("2022-04-27"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == reason
    assert timeline.next_step is None
    assert open_step(timeline, "clinical_decision").status == SKIPPED


@pytest.mark.parametrize("outcome", ["treatment_elsewhere", "no_further_need"])
def test_decision_against_treatment_here_ends_the_pathway_early(phr, outcome):
    timeline = compute_timeline(phr, UP_TO_ATTENDANCE + [decision(outcome)], D("2022-05-31"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == outcome
    assert timeline.next_step is None
    assert open_step(timeline, "clinical_decision_extended").status == SKIPPED
    assert open_step(timeline, "evaluation").status == SKIPPED


@pytest.mark.parametrize("outcome", ["treatment_elsewhere", "no_further_need"])
def test_extended_decision_against_treatment_here_ends_the_pathway_early(phr, outcome):
    events = UP_TO_ATTENDANCE + [decision("extended_assessment"),
                                 Event("clinical_decision_extended", D("2022-07-06"), outcome=outcome)]

    timeline = compute_timeline(phr, events, D("2022-07-07"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == outcome
