"""Integrated pathway at home (hph, home_cycle): open-ended, each event starts what follows it.

admission -> discharge and discharge -> first home visit have no normal time; follow-up about
14 days after the first home visit; reassessment every 6 months. The review of the individual plan
has no set rhythm (a yearly review is one municipality's habit, not the model's): it is recorded
when it happens, and no next one is dated.
"""
from datetime import date

from portal.timeline import Event, compute_timeline
from portal.timeline.model import ACTIVE, DONE, ENDED_EARLY, EXPECTED

D = date.fromisoformat
ADMITTED = Event("admission", D("2026-01-05"))
DISCHARGED = Event("discharge", D("2026-01-15"))
VISITED = Event("first_home_visit", D("2026-01-20"))
ONE_CYCLE = [ADMITTED, DISCHARGED, VISITED]


def upcoming(timeline):
    return [(s.milestone, s.occurrence, s.expected_by) for s in timeline.steps if s.status != DONE]


def test_after_admission_the_next_step_is_discharge_with_no_date(hph):
    timeline = compute_timeline(hph, [ADMITTED], D("2026-01-06"))

    assert timeline.next_step.milestone == "discharge"
    assert timeline.next_step.expected_by is None
    assert timeline.next_step.status == EXPECTED
    assert timeline.current_phase == "in_hospital"


def test_after_discharge_the_next_step_is_the_first_home_visit_with_no_date(hph):
    timeline = compute_timeline(hph, [ADMITTED, DISCHARGED], D("2026-01-16"))

    assert timeline.next_step.milestone == "first_home_visit"
    assert timeline.next_step.expected_by is None
    assert timeline.current_phase == "home_again"


def test_after_the_first_home_visit_follow_up_in_14_days_and_reassessment_in_6_months(hph):
    timeline = compute_timeline(hph, ONE_CYCLE, D("2026-01-21"))

    assert upcoming(timeline) == [
        ("follow_up", 1, D("2026-02-03")),
        ("reassessment", 1, D("2026-07-20")),
    ]
    assert timeline.next_step.milestone == "follow_up"


def test_follow_up_that_is_overdue_is_later_than_expected(hph):
    timeline = compute_timeline(hph, ONE_CYCLE, D("2026-02-04"))

    assert timeline.next_step.milestone == "follow_up"
    assert timeline.next_step.status == "later_than_expected"


def test_after_the_follow_up_the_reassessment_is_next(hph):
    events = ONE_CYCLE + [Event("follow_up", D("2026-02-02"))]

    timeline = compute_timeline(hph, events, D("2026-02-03"))

    assert upcoming(timeline) == [("reassessment", 1, D("2026-07-20"))]
    assert timeline.current_phase == "at_home"


def test_reassessment_repeats_6_months_after_the_latest_reassessment(hph):
    events = ONE_CYCLE + [Event("follow_up", D("2026-02-02")), Event("reassessment", D("2026-07-25"))]

    timeline = compute_timeline(hph, events, D("2026-07-26"))

    assert upcoming(timeline) == [("reassessment", 2, D("2027-01-25"))]


def test_reassessments_keep_coming_and_the_pathway_stays_active(hph):
    events = ONE_CYCLE + [Event("follow_up", D("2026-02-02")), Event("reassessment", D("2026-07-25")),
                          Event("reassessment", D("2027-01-20")), Event("reassessment", D("2027-07-22"))]

    timeline = compute_timeline(hph, events, D("2027-08-01"))

    assert timeline.state == ACTIVE
    assert upcoming(timeline) == [("reassessment", 4, D("2028-01-22"))]


def test_new_admission_starts_a_new_cycle(hph):
    events = ONE_CYCLE + [Event("follow_up", D("2026-02-02")), Event("admission", D("2026-03-10"))]

    timeline = compute_timeline(hph, events, D("2026-03-11"))

    assert timeline.next_step.milestone == "discharge"
    assert timeline.next_step.occurrence == 2
    assert timeline.next_step.expected_by is None
    assert timeline.current_phase == "in_hospital"
    # the reassessment now waits for the new first home visit instead of counting from the old one
    assert ("reassessment", 1, D("2026-07-20")) not in upcoming(timeline)


def test_first_home_visit_of_a_new_cycle_dates_a_new_follow_up(hph):
    events = ONE_CYCLE + [Event("follow_up", D("2026-02-02")), Event("admission", D("2026-03-10")),
                          Event("discharge", D("2026-03-20")), Event("first_home_visit", D("2026-03-23"))]

    timeline = compute_timeline(hph, events, D("2026-03-24"))

    assert upcoming(timeline) == [
        ("follow_up", 2, D("2026-04-06")),  # 2026-03-23 + 14
        ("reassessment", 1, D("2026-09-23")),  # 2026-03-23 + 6 months
    ]


def test_a_plan_review_is_recorded_but_no_next_one_is_dated(hph):
    events = ONE_CYCLE + [Event("plan_revision", D("2026-02-10"))]

    timeline = compute_timeline(hph, events, D("2026-02-11"))

    assert any(s.milestone == "plan_revision" and s.status == DONE for s in timeline.steps)
    assert "plan_revision" not in [m for m, _, _ in upcoming(timeline)]
    assert timeline.next_step.milestone == "follow_up"


def test_without_a_plan_revision_none_is_expected(hph):
    timeline = compute_timeline(hph, ONE_CYCLE, D("2026-01-21"))

    assert "plan_revision" not in [m for m, _, _ in upcoming(timeline)]


def test_home_pathway_without_events_is_active_at_home_with_nothing_next(hph):
    timeline = compute_timeline(hph, [], D("2026-01-21"))

    assert timeline.state == ACTIVE
    assert timeline.current_phase == "at_home"
    assert timeline.next_step is None


def test_pathway_ended_ends_the_home_pathway_early(hph):
    events = ONE_CYCLE + [Event("pathway_ended", D("2026-02-01"), reason="moved_to_nursing_home")]

    timeline = compute_timeline(hph, events, D("2026-02-02"))

    assert timeline.state == ENDED_EARLY
    assert timeline.end_reason == "moved_to_nursing_home"
    assert timeline.next_step is None
    assert upcoming(timeline) == []
