"""Detox first (avrusning) in substance-use treatment (TSB) and for pregnant women: a choice at the
clinical decision that adds two steps, the end of detox and the further treatment, which normally
starts within a few days of it in TSB (outpatient) and the same day otherwise."""
from datetime import date

import pytest

from portal.timeline import Event, compute_timeline

D = date.fromisoformat


@pytest.fixture(params=["tsb", "pregnant"])
def pathway(request):
    return request.getfixturevalue(request.param)


def assessed(setting=None):
    return [Event("referral_received", D("2026-10-01")), Event("first_attendance", D("2026-10-05")),
            Event("clinical_decision", D("2026-10-12"), outcome="detox_first", setting=setting)]


def step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone)


def test_detox_first_adds_the_end_of_detox_with_no_set_time(pathway):
    timeline = compute_timeline(pathway, assessed(), D("2026-10-13"))

    assert timeline.current_phase == "treatment"
    assert timeline.next_step.milestone == "detox_completed"
    assert timeline.next_step.expected_by is None  # detox takes the time the body needs


def test_further_treatment_after_inpatient_detox_starts_the_same_day(pathway):
    events = assessed("inpatient") + [Event("detox_completed", D("2026-10-20"), outcome="further_treatment")]

    timeline = compute_timeline(pathway, events, D("2026-10-20"))

    assert timeline.next_step.milestone == "further_treatment_start"
    assert timeline.next_step.expected_by == D("2026-10-20")


@pytest.mark.parametrize("pathway_name, expected", [("tsb", "2026-10-23"), ("pregnant", "2026-10-20")])
def test_further_treatment_after_outpatient_detox(request, pathway_name, expected):
    events = assessed("outpatient") + [Event("detox_completed", D("2026-10-20"), outcome="further_treatment")]

    timeline = compute_timeline(request.getfixturevalue(pathway_name), events, D("2026-10-20"))

    assert step(timeline, "further_treatment_start").expected_by == D(expected)  # TSB: 3 days; pregnant: 0


def test_without_detox_its_steps_are_skipped(pathway):
    events = assessed()[:2] + [Event("clinical_decision", D("2026-10-12"), outcome="treatment_here")]

    timeline = compute_timeline(pathway, events, D("2026-10-13"))

    assert step(timeline, "detox_completed").status == "skipped"
    assert timeline.next_step.milestone == "evaluation"
