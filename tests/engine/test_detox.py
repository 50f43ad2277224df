"""Detox first (avrusning) in substance-use treatment (TSB) and for pregnant women: a choice at the
clinical decision that adds two steps, the end of detox and the further treatment, which normally
starts within a few days of it in TSB (outpatient) and the same day otherwise. These are the 2019
tables, for referrals received until 2022-12-31 (the dates here are in 2022); no detox times were
found for the versions from 2023."""
from datetime import date

import pytest

from portal.timeline import Event, compute_timeline

D = date.fromisoformat


@pytest.fixture(params=["tsb", "pregnant"])
def pathway(request):
    return request.getfixturevalue(request.param)


def assessed(setting=None):
    return [Event("referral_received", D("2022-10-06")), Event("first_attendance", D("2022-10-10")),
            Event("clinical_decision", D("2022-10-17"), outcome="detox_first", setting=setting)]


def step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone)


def test_detox_first_adds_the_end_of_detox_with_no_set_time(pathway):
    timeline = compute_timeline(pathway, assessed(), D("2022-10-18"))

    assert timeline.current_phase == "treatment"
    assert timeline.next_step.milestone == "detox_completed"
    assert timeline.next_step.expected_by is None  # detox takes the time the body needs


def test_further_treatment_after_inpatient_detox_starts_the_same_day(pathway):
    events = assessed("inpatient") + [Event("detox_completed", D("2022-10-25"), outcome="further_treatment")]

    timeline = compute_timeline(pathway, events, D("2022-10-25"))

    assert timeline.next_step.milestone == "further_treatment_start"
    assert timeline.next_step.expected_by == D("2022-10-25")


@pytest.mark.parametrize("pathway_name, expected", [("tsb", "2022-10-28"), ("pregnant", "2022-10-25")])
def test_further_treatment_after_outpatient_detox(request, pathway_name, expected):
    events = assessed("outpatient") + [Event("detox_completed", D("2022-10-25"), outcome="further_treatment")]

    timeline = compute_timeline(request.getfixturevalue(pathway_name), events, D("2022-10-25"))

    assert step(timeline, "further_treatment_start").expected_by == D(expected)  # TSB: 3 days; pregnant: 0


def test_without_detox_its_steps_are_skipped(pathway):
    events = assessed()[:2] + [Event("clinical_decision", D("2022-10-17"), outcome="treatment_here")]

    timeline = compute_timeline(pathway, events, D("2022-10-18"))

    assert step(timeline, "detox_completed").status == "skipped"
    assert timeline.next_step.milestone == "evaluation"


def test_from_2023_further_treatment_after_detox_has_no_normal_time(pathway):
    events = [Event("referral_received", D("2026-10-01")), Event("referral_assessed", D("2026-10-02")),
              Event("first_attendance", D("2026-10-05")),
              Event("clinical_decision", D("2026-10-12"), outcome="detox_first", setting="inpatient"),
              Event("detox_completed", D("2026-10-20"), outcome="further_treatment")]

    timeline = compute_timeline(pathway, events, D("2026-10-20"))

    assert timeline.norm_version.effective_from == D("2023-01-01")
    assert timeline.next_step.milestone == "further_treatment_start"
    assert timeline.next_step.expected_by is None  # the 2019 same-day time is not carried over
