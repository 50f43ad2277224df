"""Branches: while the treatment (breast), setting (phr-adults, its 2019 table: dates in 2022) or
severity (eating disorders, from 2023) is unknown the step shows the latest branch's date and lists
every branch; once known only that branch counts. No norm, no date."""
from datetime import date

import pytest

from portal.timeline import Event, Options, TimelineInputError, compute_timeline
from portal.timeline.model import BranchDate

D = date.fromisoformat
BREAST_DECIDED = [
    Event("referral_received", D("2026-03-02")),
    Event("first_attendance", D("2026-03-06")),
    Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed"),
]
PHR_DECIDED = [
    Event("referral_received", D("2022-04-06")),
    Event("referral_assessed", D("2022-04-19")),
    Event("first_attendance", D("2022-04-25")),
    Event("clinical_decision", D("2022-05-30"), outcome="treatment_here"),
]


def step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone and s.status != "done")


def test_unknown_treatment_expects_the_latest_branch_and_lists_both(breast):
    treatment = step(compute_timeline(breast, BREAST_DECIDED, D("2026-03-17")), "treatment_start")

    assert treatment.expected_by == D("2026-03-29")  # surgery: 2026-03-16 + 13
    assert treatment.branches == (
        BranchDate("treatment", "surgery", D("2026-03-29")),
        BranchDate("treatment", "drug", D("2026-03-26")),  # 2026-03-16 + 10
    )


def test_treatment_on_the_decision_event_picks_its_branch(breast):
    events = BREAST_DECIDED[:2] + [
        Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed", treatment="drug")]

    timeline = compute_timeline(breast, events, D("2026-03-17"))

    assert timeline.treatment == "drug"
    assert step(timeline, "treatment_start").expected_by == D("2026-03-26")
    assert step(timeline, "treatment_start").branches == ()


def test_planned_treatment_in_options_picks_its_branch(breast):
    timeline = compute_timeline(breast, BREAST_DECIDED, D("2026-03-17"), Options(treatment="surgery"))

    assert step(timeline, "treatment_start").expected_by == D("2026-03-29")
    assert step(timeline, "treatment_start").branches == ()


def test_planned_treatment_known_before_the_decision_dates_the_whole_chain(breast):
    events = [Event("referral_received", D("2026-03-02"))]

    timeline = compute_timeline(breast, events, D("2026-03-03"), Options(treatment="drug"))

    assert step(timeline, "treatment_start").expected_by == D("2026-03-31")  # 2026-03-21 + 10


def test_treatment_without_a_norm_gets_no_date(breast):
    timeline = compute_timeline(breast, BREAST_DECIDED, D("2026-03-17"), Options(treatment="radiotherapy"))

    treatment = step(timeline, "treatment_start")
    assert treatment.expected_by is None
    assert treatment.norm is None
    assert treatment.branches == ()
    assert treatment.status == "expected"


def test_treatment_without_a_norm_is_never_late(breast):
    timeline = compute_timeline(breast, BREAST_DECIDED, D("2027-01-01"), Options(treatment="radiotherapy"))

    assert step(timeline, "treatment_start").status == "expected"


def test_unknown_setting_expects_the_outpatient_date_and_lists_both(phr):
    evaluation = step(compute_timeline(phr, PHR_DECIDED, D("2022-05-31")), "evaluation")

    assert evaluation.expected_by == D("2022-07-11")  # outpatient: 2022-05-30 + 42
    assert evaluation.branches == (
        BranchDate("setting", "outpatient", D("2022-07-11")),
        BranchDate("setting", "inpatient", D("2022-06-13")),  # 2022-05-30 + 14
    )


def test_setting_on_an_event_picks_its_branch(phr):
    events = PHR_DECIDED[:3] + [
        Event("clinical_decision", D("2022-05-30"), outcome="treatment_here", setting="inpatient")]

    timeline = compute_timeline(phr, events, D("2022-05-31"))

    assert timeline.setting == "inpatient"
    assert step(timeline, "evaluation").expected_by == D("2022-06-13")
    assert step(timeline, "evaluation").branches == ()


def test_planned_setting_in_options_picks_its_branch(phr):
    timeline = compute_timeline(phr, PHR_DECIDED, D("2022-05-31"), Options(setting="outpatient"))

    assert step(timeline, "evaluation").expected_by == D("2022-07-11")
    assert step(timeline, "evaluation").branches == ()


def test_recorded_setting_wins_over_the_planned_one(phr):
    events = PHR_DECIDED[:3] + [
        Event("clinical_decision", D("2022-05-30"), outcome="treatment_here", setting="inpatient")]

    timeline = compute_timeline(phr, events, D("2022-05-31"), Options(setting="outpatient"))

    assert step(timeline, "evaluation").expected_by == D("2022-06-13")


def test_a_time_that_is_the_same_in_every_setting_gives_one_date_and_no_branches(phr):
    # The assessment takes the same time outpatient and inpatient: nothing depends on the setting yet.
    events = PHR_DECIDED[:3]
    decision = step(compute_timeline(phr, events, D("2022-04-30")), "clinical_decision")
    assert decision.expected_by == D("2022-06-06")  # 42 days after the first attendance
    assert decision.branches == ()
    assert decision.norm.when is None


def test_unknown_severity_lists_the_first_attendance_for_each(eating_disorders):
    # From 2023 the time to the first attendance counts from the day the referral was assessed.
    referral = [Event("referral_received", D("2026-11-02")), Event("referral_assessed", D("2026-11-09"))]

    first = step(compute_timeline(eating_disorders, referral, D("2026-11-10")), "first_attendance")

    assert first.expected_by == D("2026-12-07")  # less serious: 28 days
    assert first.branches == (
        BranchDate("severity", "serious", D("2026-11-16")),  # 7 days
        BranchDate("severity", "less_serious", D("2026-12-07")),
    )


def test_severity_recorded_with_the_referral_gives_one_date(eating_disorders):
    referral = [Event("referral_received", D("2026-11-02"), severity="serious"),
                Event("referral_assessed", D("2026-11-09"))]

    timeline = compute_timeline(eating_disorders, referral, D("2026-11-10"))

    assert timeline.severity == "serious"
    assert step(timeline, "first_attendance").expected_by == D("2026-11-16")
    assert step(timeline, "first_attendance").branches == ()


def test_severity_and_setting_are_separate_choices(eating_disorders):
    events = [Event("referral_received", D("2026-11-02")), Event("first_attendance", D("2026-11-20"))]

    timeline = compute_timeline(eating_disorders, events, D("2026-11-21"),
                                Options(setting="inpatient", severity="less_serious"))

    assert step(timeline, "clinical_decision").expected_by == D("2026-12-04")  # inpatient: 14 days


def test_a_severity_the_pathway_does_not_have_is_refused(eating_disorders, phr):
    for definition, event in ((eating_disorders, Event("referral_received", D("2026-11-02"), severity="mild")),
                              (phr, Event("referral_received", D("2026-11-02"), severity="serious"))):
        with pytest.raises(TimelineInputError) as refused:
            compute_timeline(definition, [event], D("2026-11-03"))
        assert refused.value.problems[0].as_dict() == {
            "field": "events[0].severity", "code": "unknown_severity", "params": {"value": event.severity}}
