"""Breast cancer package: ways out of the pathway, and the patient asking to wait (patient_postponed)."""
from datetime import date

import pytest

from portal.timeline import Event, compute_timeline
from portal.timeline.model import COMPLETED, DONE, ENDED_EARLY, SKIPPED

D = date.fromisoformat
REFERRAL = Event("referral_received", D("2026-03-02"))
ATTENDED = Event("first_attendance", D("2026-03-06"))


def step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone)


@pytest.mark.parametrize("outcome", ["no_disease", "other_disease", "other_cancer"])
def test_decision_without_this_cancer_ends_the_pathway_early(breast, outcome):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-16"), outcome=outcome)]

    timeline = compute_timeline(breast, events, D("2026-03-20"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == outcome
    assert timeline.ended_on == D("2026-03-16")
    assert step(timeline, "treatment_start").status == SKIPPED
    assert step(timeline, "treatment_start").expected_by is None
    assert timeline.next_step is None


def test_cancer_confirmed_keeps_the_pathway_active(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed")]

    timeline = compute_timeline(breast, events, D("2026-03-20"))

    assert timeline.state == "active"
    assert timeline.next_step.milestone == "treatment_start"


def test_pathway_ended_with_a_reason_ends_it_early_and_skips_the_rest(breast):
    events = [REFERRAL, ATTENDED, Event("pathway_ended", D("2026-03-10"), reason="patient_declined")]

    timeline = compute_timeline(breast, events, D("2026-03-20"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == "patient_declined"
    assert timeline.ended_on == D("2026-03-10")
    assert [(s.milestone, s.status) for s in timeline.steps] == [
        ("referral_received", DONE), ("first_attendance", DONE),
        ("clinical_decision", SKIPPED), ("treatment_start", SKIPPED),
    ]
    assert timeline.next_step is None


def test_transfer_ends_the_pathway_early_with_reason_transferred(breast):
    events = [REFERRAL, Event("transferred", D("2026-03-04"))]

    timeline = compute_timeline(breast, events, D("2026-03-20"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == "transferred"
    assert timeline.ended_on == D("2026-03-04")
    assert timeline.next_step is None


def test_treatment_start_completes_the_pathway(breast):
    events = [REFERRAL, ATTENDED, Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed"),
              Event("treatment_start", D("2026-03-25"))]

    timeline = compute_timeline(breast, events, D("2026-04-01"))

    assert timeline.state == COMPLETED
    assert timeline.next_step is None


# --- patient_postponed --------------------------------------------------------------------------

def test_postponement_moves_the_next_step_and_every_later_date(breast):
    # Without it: first attendance 03-09, decision 03-21, treatment 04-03 (surgery) / 03-31 (drug).
    events = [REFERRAL, Event("patient_postponed", D("2026-03-04"), until=D("2026-03-14"))]  # 10 days

    timeline = compute_timeline(breast, events, D("2026-03-05"))

    assert [(s.milestone, s.expected_by, s.postponed_days) for s in timeline.steps[1:]] == [
        ("first_attendance", D("2026-03-19"), 10),
        ("clinical_decision", D("2026-03-31"), 10),
        ("treatment_start", D("2026-04-13"), 10),
    ]
    assert [b.expected_by for b in step(timeline, "treatment_start").branches] == [D("2026-04-13"), D("2026-04-10")]
    assert timeline.next_step.expected_by == D("2026-03-19")


def test_postponement_keeps_the_pathway_active(breast):
    events = [REFERRAL, Event("patient_postponed", D("2026-03-04"), until=D("2026-03-14"))]

    timeline = compute_timeline(breast, events, D("2026-03-05"))

    assert timeline.state == "active"
    assert [(p.requested_on, p.until, p.days) for p in timeline.postponements] == [
        (D("2026-03-04"), D("2026-03-14"), 10)]


def test_postponement_after_a_step_moves_only_what_is_still_to_come(breast):
    events = [REFERRAL, ATTENDED, Event("patient_postponed", D("2026-03-10"), until=D("2026-03-17"))]  # 7 days

    timeline = compute_timeline(breast, events, D("2026-03-11"))

    assert step(timeline, "first_attendance").date == D("2026-03-06")
    assert step(timeline, "first_attendance").postponed_days == 0
    assert step(timeline, "clinical_decision").expected_by == D("2026-03-25")  # 03-06 + 12 + 7
    assert step(timeline, "clinical_decision").postponed_days == 7
    assert step(timeline, "treatment_start").expected_by == D("2026-04-07")  # 03-25 + 13


def test_postponement_before_a_step_that_then_happened_has_no_effect_later(breast):
    events = [REFERRAL, Event("patient_postponed", D("2026-03-04"), until=D("2026-03-14")),
              Event("first_attendance", D("2026-03-16"))]

    timeline = compute_timeline(breast, events, D("2026-03-17"))

    assert step(timeline, "clinical_decision").expected_by == D("2026-03-28")  # 03-16 + 12, no shift
    assert step(timeline, "clinical_decision").postponed_days == 0
    assert step(timeline, "treatment_start").expected_by == D("2026-04-10")
    assert step(timeline, "treatment_start").postponed_days == 0


def test_two_postponements_add_up(breast):
    events = [REFERRAL, Event("patient_postponed", D("2026-03-03"), until=D("2026-03-06")),  # 3 days
              Event("patient_postponed", D("2026-03-05"), until=D("2026-03-10"))]  # 5 days

    timeline = compute_timeline(breast, events, D("2026-03-05"))

    assert step(timeline, "first_attendance").expected_by == D("2026-03-17")  # 03-09 + 8
    assert step(timeline, "first_attendance").postponed_days == 8


def test_a_step_left_unrecorded_is_not_waited_for_once_a_later_step_is_recorded(breast):
    decided = Event("clinical_decision", D("2026-03-16"), outcome="cancer_confirmed", treatment="surgery")

    timeline = compute_timeline(breast, [REFERRAL, decided], D("2026-03-20"))

    assert step(timeline, "first_attendance").status == SKIPPED
    assert timeline.next_step.milestone == "treatment_start"
    assert timeline.next_step.expected_by == D("2026-03-29")
