"""Pakkeforløp hjem: conversations counted from the diagnosis, not from the step before."""
from datetime import date

from portal.timeline import Event, compute_timeline

D = date.fromisoformat


def steps_by_milestone(timeline):
    return {step.milestone: step for step in timeline.steps}


def test_municipal_conversations_are_dated_from_the_diagnosis(cancer_home):
    timeline = compute_timeline(cancer_home, [Event("diagnosis", D("2026-03-02"))], D("2026-06-20"))
    steps = steps_by_milestone(timeline)
    assert timeline.next_step.milestone == "hospital_conversation"
    assert steps["hospital_conversation"].expected_by is None  # no figure in the norm file
    assert steps["municipal_conversation"].expected_by == D("2026-07-02")  # up to 4 months
    assert steps["last_conversation"].expected_by == D("2027-09-02")  # up to 18 months
    assert steps["last_conversation"].counted_from == "diagnosis"


def test_the_dates_do_not_move_with_the_hospital_conversation(cancer_home):
    events = [Event("diagnosis", D("2026-03-02")), Event("hospital_conversation", D("2026-05-20"))]
    steps = steps_by_milestone(compute_timeline(cancer_home, events, D("2026-06-20")))
    assert steps["municipal_conversation"].expected_by == D("2026-07-02")
