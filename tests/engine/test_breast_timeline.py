"""Breast cancer package (linear): statuses, the chain of expected dates, state, phase and next step.

Norms in force from 2021-05-01: referral -> first attendance 7 days, first attendance -> clinical
decision 12 days, clinical decision -> treatment 13 days (surgery) or 10 days (drug).
"""
from datetime import date

from portal.timeline import Event, compute_timeline
from portal.timeline.model import ACTIVE, COMPLETED, DONE, EXPECTED, LATE

D = date.fromisoformat
REFERRAL = Event("referral_received", D("2026-03-02"))  # a Monday


def step(timeline, milestone, occurrence=1):
    return next(s for s in timeline.steps if s.milestone == milestone and s.occurrence == occurrence)


def test_recorded_step_is_done_with_its_date(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-03"))

    referral = step(timeline, "referral_received")
    assert referral.status == DONE
    assert referral.date == D("2026-03-02")
    assert referral.expected_by is None


def test_steps_after_a_fresh_referral_are_expected_with_dates(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-03"))

    assert [(s.milestone, s.status, s.expected_by) for s in timeline.steps] == [
        ("referral_received", DONE, None),
        ("first_attendance", EXPECTED, D("2026-03-09")),
        ("clinical_decision", EXPECTED, D("2026-03-21")),
        ("treatment_start", EXPECTED, D("2026-04-03")),
    ]


def test_step_is_still_expected_on_its_expected_day(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-09"))

    assert step(timeline, "first_attendance").status == EXPECTED


def test_step_is_later_than_expected_the_day_after_with_nothing_recorded(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-10"))

    first = step(timeline, "first_attendance")
    assert first.status == LATE
    assert first.expected_by == D("2026-03-09")
    assert step(timeline, "clinical_decision").status == EXPECTED


def test_late_step_counts_the_next_step_from_today(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-15"))

    decision = step(timeline, "clinical_decision")
    assert decision.expected_by == D("2026-03-27")  # today 2026-03-15 + 12, not the passed 2026-03-09 + 12
    assert decision.counted_from == "first_attendance"


def test_expected_date_counts_from_the_recorded_date_of_the_step_before(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-12"))]  # 3 days after its expected date

    timeline = compute_timeline(breast, events, D("2026-03-13"))

    assert step(timeline, "clinical_decision").expected_by == D("2026-03-24")  # 2026-03-12 + 12
    assert step(timeline, "treatment_start").expected_by == D("2026-04-06")  # 2026-03-24 + 13


def test_recorded_step_replaces_its_expected_date_in_the_chain(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-05")),
              Event("clinical_decision", D("2026-03-10"), outcome="cancer_confirmed")]

    timeline = compute_timeline(breast, events, D("2026-03-11"))

    assert step(timeline, "treatment_start").expected_by == D("2026-03-23")  # 2026-03-10 + 13


def test_next_step_is_the_first_step_not_done(breast):
    timeline = compute_timeline(breast, [REFERRAL, Event("first_attendance", D("2026-03-06"))], D("2026-03-07"))

    assert timeline.next_step.milestone == "clinical_decision"
    assert timeline.next_step.expected_by == D("2026-03-18")


def test_new_pathway_is_active_in_the_referral_phase(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-03"))

    assert timeline.state == ACTIVE
    assert timeline.current_phase == "referral"
    assert timeline.clock_started == D("2026-03-02")
    assert timeline.end_reason is None


def test_current_phase_follows_the_last_recorded_step(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-06"))]
    assert compute_timeline(breast, events, D("2026-03-07")).current_phase == "assessment"

    events.append(Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed"))
    assert compute_timeline(breast, events, D("2026-03-17")).current_phase == "decision"


def test_treatment_start_completes_the_pathway(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-06")),
              Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed", treatment="surgery"),
              Event("treatment_start", D("2026-03-27"))]

    timeline = compute_timeline(breast, events, D("2026-04-01"))

    assert timeline.state == COMPLETED
    assert timeline.end_reason is None
    assert timeline.ended_on == D("2026-03-27")
    assert timeline.current_phase == "treatment"
    assert timeline.next_step is None
    assert all(s.status == DONE for s in timeline.steps)


def test_events_given_out_of_order_give_the_same_timeline(breast):
    events = [REFERRAL, Event("first_attendance", D("2026-03-06"))]

    in_order = compute_timeline(breast, events, D("2026-03-07"))
    reversed_ = compute_timeline(breast, list(reversed(events)), D("2026-03-07"))

    assert reversed_.steps == in_order.steps
