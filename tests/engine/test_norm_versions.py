"""Norms are versioned: a pathway is measured against the version in force on the day its clock
started (the referral). Breast: first attendance -> clinical decision was 7 days before 2021-05-01,
12 days from then. No version before 2015-01-01."""
from datetime import date

from portal.timeline import Event, compute_timeline

D = date.fromisoformat


def expected(timeline):
    return {s.milestone: s.expected_by for s in timeline.steps if s.status != "done"}


def test_referral_on_the_last_day_of_the_old_norm_uses_7_days(breast):
    timeline = compute_timeline(breast, [Event("referral_received", D("2021-04-30"))], D("2021-04-30"))

    assert timeline.norm_version.effective_from == D("2015-01-01")
    assert expected(timeline)["first_attendance"] == D("2021-05-07")
    assert expected(timeline)["clinical_decision"] == D("2021-05-14")  # + 7


def test_referral_on_the_first_day_of_the_new_norm_uses_12_days(breast):
    timeline = compute_timeline(breast, [Event("referral_received", D("2021-05-01"))], D("2021-05-01"))

    assert timeline.norm_version.effective_from == D("2021-05-01")
    assert expected(timeline)["first_attendance"] == D("2021-05-08")
    assert expected(timeline)["clinical_decision"] == D("2021-05-20")  # + 12


def test_old_referral_keeps_the_old_norm_for_steps_after_the_change(breast):
    events = [Event("referral_received", D("2021-04-26")), Event("first_attendance", D("2021-05-03"))]

    timeline = compute_timeline(breast, events, D("2021-05-04"))

    assert expected(timeline)["clinical_decision"] == D("2021-05-10")  # 2021-05-03 + 7, not + 12


def test_referral_before_any_norm_version_gives_no_dates(breast):
    events = [Event("referral_received", D("2014-12-31")), Event("first_attendance", D("2015-01-05"))]

    timeline = compute_timeline(breast, events, D("2015-01-20"))

    assert timeline.norm_version is None
    assert expected(timeline) == {"clinical_decision": None, "treatment_start": None}
    assert all(s.branches == () for s in timeline.steps)
    assert timeline.next_step.milestone == "clinical_decision"
    assert timeline.next_step.status == "expected"  # never late without a date
