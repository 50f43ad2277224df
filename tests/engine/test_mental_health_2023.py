"""Every mental-health and substance-use pathway, as the content defines it.

- The law (pasient- og brukerrettighetsloven § 2-2) gives every referral to specialist care an
  assessment within 10 working days: each pathway expects it, in every version.
- The 2019 times ended with 2022. From 1 January 2023 (nasjonale pasientforløp) the clock starts when
  the referral has been assessed; the times of that version were not found, except the eating
  disorders table, so no other step gets a date, and no 2019 figure is carried over.
- A referral received in 2022 keeps the 2019 times even when it is assessed in 2023.
"""
from datetime import date

import pytest

from portal.timeline import Event, Options, compute_timeline

D = date.fromisoformat
PATHWAYS = ["phr-adults", "phr-children-youth", "phr-tsb", "phr-psychosis", "phr-eating-disorders-children",
            "phr-ocd", "phr-pregnant-substance-use"]


def expected(timeline, milestone):
    return next(s.expected_by for s in timeline.steps if s.milestone == milestone and s.status != "done")


def received(definition, day):
    return Event(definition.clock_start, D(day))  # the OCD team's referral in phr-ocd


@pytest.mark.parametrize("pathway_id", PATHWAYS)
@pytest.mark.parametrize("day, by", [("2022-03-02", "2022-03-16"), ("2026-03-04", "2026-03-18")])
def test_every_referral_is_assessed_within_10_working_days_in_either_version(definition_of, pathway_id, day, by):
    definition = definition_of(pathway_id)

    timeline = compute_timeline(definition, [received(definition, day)], D(day))

    assert timeline.next_step.milestone == "referral_assessed"
    assert timeline.next_step.expected_by == D(by)
    assert timeline.next_step.norm.unit == "working_days"


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_from_2023_the_clock_starts_on_the_day_the_referral_was_assessed(definition_of, pathway_id):
    definition = definition_of(pathway_id)
    events = [received(definition, "2026-03-04"), Event("referral_assessed", D("2026-03-11"))]

    timeline = compute_timeline(definition, events, D("2026-03-12"))

    assert timeline.norm_version.effective_from == D("2023-01-01")
    assert timeline.clock_started == D("2026-03-11")


@pytest.mark.parametrize("pathway_id", PATHWAYS)
def test_before_the_assessment_the_2023_clock_has_not_started(definition_of, pathway_id):
    definition = definition_of(pathway_id)

    timeline = compute_timeline(definition, [received(definition, "2026-03-04")], D("2026-03-05"))

    assert timeline.norm_version.effective_from == D("2023-01-01")
    assert timeline.clock_started is None


@pytest.mark.parametrize("pathway_id", [p for p in PATHWAYS if p != "phr-eating-disorders-children"])
def test_from_2023_only_the_assessment_has_a_normal_time(definition_of, pathway_id):
    definition = definition_of(pathway_id)
    events = [received(definition, "2026-03-04"), Event("referral_assessed", D("2026-03-11")),
              Event("first_attendance", D("2026-03-20"))]

    timeline = compute_timeline(definition, events, D("2026-03-21"), Options(setting="outpatient"))

    assert all(s.expected_by is None for s in timeline.steps if s.status != "done")


def test_adults_referred_in_2022_and_assessed_in_2023_keep_the_2019_times(definition_of):
    phr = definition_of("phr-adults")
    events = [Event("referral_received", D("2022-12-28")), Event("referral_assessed", D("2023-01-06")),
              Event("first_attendance", D("2023-01-16"))]

    timeline = compute_timeline(phr, events, D("2023-01-17"))

    assert timeline.norm_version.effective_until == D("2022-12-31")
    assert timeline.clock_started == D("2022-12-28")
    assert expected(timeline, "clinical_decision") == D("2023-02-27")  # 42 days after the first attendance


def test_adults_referred_in_2023_get_no_date_for_the_decision(definition_of):
    phr = definition_of("phr-adults")
    events = [Event("referral_received", D("2023-01-02")), Event("referral_assessed", D("2023-01-06")),
              Event("first_attendance", D("2023-01-16"))]

    timeline = compute_timeline(phr, events, D("2023-01-17"))

    assert expected(timeline, "clinical_decision") is None  # the 2019 42 days are not carried over


def test_eating_disorders_from_2023_count_the_first_attendance_from_the_assessment(definition_of):
    eating = definition_of("phr-eating-disorders-children")
    events = [Event("referral_received", D("2026-03-04"), severity="serious"),
              Event("referral_assessed", D("2026-03-06"))]

    timeline = compute_timeline(eating, events, D("2026-03-07"))

    assert expected(timeline, "first_attendance") == D("2026-03-13")  # 7 days after the assessment


def test_eating_disorders_before_the_assessment_count_from_its_expected_day(definition_of):
    eating = definition_of("phr-eating-disorders-children")
    events = [Event("referral_received", D("2026-03-04"), severity="serious")]

    timeline = compute_timeline(eating, events, D("2026-03-05"))

    assert expected(timeline, "referral_assessed") == D("2026-03-18")
    assert expected(timeline, "first_attendance") == D("2026-03-25")


def test_eating_disorders_before_2023_have_only_the_assessment_time(definition_of):
    eating = definition_of("phr-eating-disorders-children")
    events = [Event("referral_received", D("2022-03-02"), severity="serious"),
              Event("referral_assessed", D("2022-03-04"))]

    timeline = compute_timeline(eating, events, D("2022-03-05"))

    assert expected(timeline, "first_attendance") is None  # the 2019-2022 table was not found


def test_psychosis_before_2023_counts_the_first_talk_from_the_referral_not_the_assessment(definition_of):
    psychosis = definition_of("phr-psychosis")
    events = [Event("referral_received", D("2022-03-02")), Event("referral_assessed", D("2022-03-04"))]

    timeline = compute_timeline(psychosis, events, D("2022-03-05"))

    assert expected(timeline, "first_attendance") == D("2022-03-09")  # 7 days after the referral came


def test_ocd_counts_the_assessment_from_the_day_the_team_got_the_referral(definition_of):
    ocd = definition_of("phr-ocd")
    events = [Event("ocd_referral_received", D("2022-03-02")), Event("referral_assessed", D("2022-03-09"))]

    timeline = compute_timeline(ocd, events, D("2022-03-10"))

    assert timeline.clock_started == D("2022-03-02")
    assert expected(timeline, "first_attendance") == D("2022-04-13")  # 42 days after the team got it
