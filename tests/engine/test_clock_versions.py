"""A norm version may start the clock at another milestone than the pathway does. From 2023 the
mental-health pathways start when the referral has been assessed, no longer when it was received.
A pathway is measured against the version in force on the day its clock started under that
version, so a referral received before the change keeps the old version even if it is assessed
after it. A small made-up pathway keeps the figures easy to follow."""
from datetime import date

from portal.timeline import Event, PathwayDefinition, compute_timeline
from portal.timeline.model import Interval, Milestone, NormVersion, Phase

D = date.fromisoformat

OLD = NormVersion(
    D("2019-01-01"), D("2022-12-31"), "old table", "official",
    (Interval("received", "assessed", 10, "working_days"),
     Interval("received", "first_talk", 30, "calendar_days"),
     Interval("first_talk", "decision", 40, "calendar_days")),
)
NEW = NormVersion(
    D("2023-01-01"), None, "new table", "official",
    (Interval("received", "assessed", 10, "working_days"),
     Interval("assessed", "first_talk", 20, "calendar_days")),
    clock_start="assessed",
)
PATHWAY = PathwayDefinition(
    id="made-up", shape="evaluation_loop", category="mental_health", version="1",
    effective_from=D("2019-01-01"), source="test", clock_start="received", listed=False,
    phases=(Phase("referral", (("received", None),)), Phase("assessment", (("first_talk", None),))),
    milestones=(Milestone("received"), Milestone("assessed"), Milestone("first_talk"), Milestone("decision")),
    branches={}, end_reasons={"other": False}, norms=(OLD, NEW),
)


def expected(timeline, milestone):
    return next(s.expected_by for s in timeline.steps if s.milestone == milestone and s.status != "done")


def test_a_version_that_keeps_the_pathway_clock_starts_it_when_the_referral_is_received():
    events = [Event("received", D("2022-06-01")), Event("assessed", D("2022-06-08"))]

    timeline = compute_timeline(PATHWAY, events, D("2022-06-09"))

    assert timeline.norm_version is OLD
    assert timeline.clock_started == D("2022-06-01")
    assert expected(timeline, "first_talk") == D("2022-07-01")  # received + 30, the clock's own interval


def test_from_the_change_the_clock_starts_when_the_referral_has_been_assessed():
    events = [Event("received", D("2023-03-01")), Event("assessed", D("2023-03-08"))]

    timeline = compute_timeline(PATHWAY, events, D("2023-03-09"))

    assert timeline.norm_version is NEW
    assert timeline.clock_started == D("2023-03-08")
    assert expected(timeline, "first_talk") == D("2023-03-28")  # assessed + 20


def test_a_referral_received_before_the_change_and_assessed_after_it_keeps_the_old_version():
    events = [Event("received", D("2022-12-28")), Event("assessed", D("2023-01-04"))]

    timeline = compute_timeline(PATHWAY, events, D("2023-01-05"))

    assert timeline.norm_version is OLD
    assert timeline.clock_started == D("2022-12-28")


def test_until_the_referral_is_assessed_the_new_clock_has_not_started_but_the_dates_are_shown():
    timeline = compute_timeline(PATHWAY, [Event("received", D("2023-03-01"))], D("2023-03-02"))

    assert timeline.norm_version is NEW
    assert timeline.clock_started is None
    assert expected(timeline, "assessed") == D("2023-03-15")  # 10 working days
    assert expected(timeline, "first_talk") == D("2023-04-04")  # counted on from the expected assessment


def test_steps_without_a_figure_in_the_new_version_get_no_date():
    events = [Event("received", D("2023-03-01")), Event("assessed", D("2023-03-08")),
              Event("first_talk", D("2023-03-20"))]

    timeline = compute_timeline(PATHWAY, events, D("2023-03-21"))

    assert expected(timeline, "decision") is None  # the old 40 days are not carried over


def test_with_nothing_recorded_the_version_in_force_today_applies():
    assert compute_timeline(PATHWAY, [], D("2022-06-01")).norm_version is OLD
    assert compute_timeline(PATHWAY, [], D("2024-06-01")).norm_version is NEW
