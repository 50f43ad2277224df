"""Bad input: compute_timeline raises TimelineInputError; each problem names the field and a code."""
from datetime import date

import pytest

from portal.timeline import Event, Options, TimelineInputError, compute_timeline

D = date.fromisoformat
TODAY = D("2026-06-01")
REFERRAL = Event("referral_received", D("2026-03-02"))
ATTENDED = Event("first_attendance", D("2026-03-06"))


def problems(definition, events, today=TODAY, options=None):
    with pytest.raises(TimelineInputError) as raised:
        compute_timeline(definition, events, today, options or Options())
    return {(p.path, p.code) for p in raised.value.problems}


def test_unknown_milestone(breast):
    assert problems(breast, [REFERRAL, Event("biopsy", D("2026-03-03"))]) == {
        ("events[1].milestone", "unknown_milestone")}


def test_milestone_of_another_pathway_is_unknown(breast):
    assert problems(breast, [REFERRAL, Event("referral_assessed", D("2026-03-03"))]) == {
        ("events[1].milestone", "unknown_milestone")}


def test_unknown_outcome(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-10"), outcome="maybe")]
    assert problems(breast, events) == {("events[2].outcome", "unknown_outcome")}


def test_outcome_on_a_step_without_outcomes(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-06"), outcome="cancer_confirmed")]
    assert problems(breast, events) == {("events[1].outcome", "unknown_outcome")}


def test_clinical_decision_without_an_outcome(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-10"))]
    assert problems(breast, events) == {("events[2].outcome", "missing_outcome")}


def test_date_in_the_future(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-06-02"))]
    assert problems(breast, events, today=D("2026-06-01")) == {("events[1].date", "date_in_future")}


def test_event_dated_today_is_not_in_the_future(breast):
    timeline = compute_timeline(breast, [REFERRAL, Event("first_attendance", D("2026-03-06"))], D("2026-03-06"))
    assert timeline.next_step.milestone == "clinical_decision"


def test_step_before_the_referral(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-01"))]
    assert ("events[1].date", "before_clock_start") in problems(breast, events)


def test_postponement_before_the_referral(breast):
    events = [REFERRAL, Event("patient_postponed", D("2026-02-20"), until=D("2026-02-25"))]
    assert problems(breast, events) == {("events[1].date", "before_clock_start")}


def test_step_dated_before_an_earlier_step(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-10")),
              Event("clinical_decision", D("2026-03-08"), outcome="cancer_confirmed")]
    assert problems(breast, events) == {("events[2].date", "before_earlier_step")}


def test_same_step_recorded_twice(breast):
    events = [REFERRAL, ATTENDED, Event("first_attendance", D("2026-03-09"))]
    assert problems(breast, events) == {("events[2].milestone", "recorded_twice")}


def test_repeating_step_may_be_recorded_twice(phr):
    events = [Event("referral_received", D("2026-01-05")), Event("referral_assessed", D("2026-01-12")),
              Event("first_attendance", D("2026-01-20")),
              Event("clinical_decision", D("2026-02-20"), outcome="treatment_here"),
              Event("evaluation", D("2026-03-20")), Event("evaluation", D("2026-05-20"))]
    assert compute_timeline(phr, events, TODAY).next_step.occurrence == 3


def test_step_after_the_pathway_ended(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-10"), outcome="no_disease"),
              Event("treatment_start", D("2026-03-20"))]
    assert problems(breast, events) == {("events[3].milestone", "after_pathway_ended")}


def test_step_after_a_transfer(breast):
    events = [REFERRAL, Event("transferred", D("2026-03-04")), Event("first_attendance", D("2026-03-06"))]
    assert problems(breast, events) == {("events[2].milestone", "after_pathway_ended")}


def test_step_after_the_pathway_was_completed(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-10"), outcome="cancer_confirmed"),
              Event("treatment_start", D("2026-03-20")), Event("transferred", D("2026-03-25"))]
    assert problems(breast, events) == {("events[4].milestone", "after_pathway_ended")}


def test_event_after_the_home_pathway_ended(hph):
    events = [Event("pathway_ended", D("2026-03-01"), reason="moved"), Event("admission", D("2026-03-05"))]
    assert problems(hph, events) == {("events[1].milestone", "after_pathway_ended")}


def test_extended_decision_without_the_extended_assessment_outcome(phr):
    events = [Event("referral_received", D("2026-01-05")), Event("first_attendance", D("2026-01-20")),
              Event("clinical_decision", D("2026-02-20"), outcome="treatment_here"),
              Event("clinical_decision_extended", D("2026-03-20"), outcome="treatment_here")]
    assert problems(phr, events) == {("events[3].milestone", "not_chosen")}


def test_unknown_treatment_on_an_event(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-10"), outcome="cancer_confirmed",
                                        treatment="chemo")]
    assert problems(breast, events) == {("events[2].treatment", "unknown_treatment")}


def test_unknown_treatment_in_options(breast):
    assert problems(breast, [REFERRAL], options=Options(treatment="chemo")) == {
        ("options.treatment", "unknown_treatment")}


def test_unknown_setting_on_an_event(phr):
    events = [Event("referral_received", D("2026-01-05")), Event("first_attendance", D("2026-01-20"), setting="home")]
    assert problems(phr, events) == {("events[1].setting", "unknown_setting")}


def test_setting_on_a_pathway_without_settings_is_unknown(breast):
    assert problems(breast, [REFERRAL], options=Options(setting="inpatient")) == {
        ("options.setting", "unknown_setting")}


def test_pathway_ended_without_a_reason(breast):
    assert problems(breast, [REFERRAL, Event("pathway_ended", D("2026-03-03"))]) == {
        ("events[1].reason", "missing_reason")}


def test_pathway_ended_with_an_unknown_reason(phr):
    events = [Event("referral_received", D("2026-01-05")), Event("pathway_ended", D("2026-01-06"), reason="bored")]
    assert problems(phr, events) == {("events[1].reason", "unknown_reason")}


def test_patient_postponed_without_until(breast):
    assert problems(breast, [REFERRAL, Event("patient_postponed", D("2026-03-03"))]) == {
        ("events[1].until", "missing_until")}


def test_patient_postponed_until_a_day_not_after_it_was_asked(breast):
    events = [REFERRAL, Event("patient_postponed", D("2026-03-03"), until=D("2026-03-03"))]
    assert problems(breast, events) == {("events[1].until", "until_not_after_date")}


def test_every_problem_is_reported_at_once(breast):
    events = [REFERRAL, Event("biopsy", D("2026-03-03")), Event("pathway_ended", D("2026-07-01"))]
    assert problems(breast, events) == {
        ("events[1].milestone", "unknown_milestone"),
        ("events[2].date", "date_in_future"),
        ("events[2].reason", "missing_reason"),
    }


def test_problem_carries_the_offending_value_for_the_message(breast):
    with pytest.raises(TimelineInputError) as raised:
        compute_timeline(breast, [REFERRAL, Event("biopsy", D("2026-03-03"))], TODAY)
    assert [p.as_dict() for p in raised.value.problems] == [
        {"field": "events[1].milestone", "code": "unknown_milestone", "params": {"value": "biopsy"}}]
    assert isinstance(raised.value, ValueError)


def test_a_second_end_after_the_pathway_ended_is_refused(breast):
    events = [
        Event("referral_received", D("2026-03-02")),
        Event("first_attendance", D("2026-03-04")),
        Event("clinical_decision", D("2026-03-06"), outcome="no_disease"),
        Event("pathway_ended", D("2026-03-07"), reason="other"),
    ]
    assert problems(breast, events) == {("events[3].milestone", "after_pathway_ended")}
