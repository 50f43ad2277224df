"""A step whose normal date has passed without being recorded cannot happen before today: the steps
after it are counted from today, and say which late step moved them. The late step keeps its own
normal date (it is still shown as later than normal). Each date is counted by hand in the comment.

Breast cancer norms (from 2021-05-01): referral -> first attendance 7 days, first attendance ->
clinical decision 12 days, clinical decision -> treatment 13 days (surgery) or 10 days (drug).
"""
from datetime import date

from portal.timeline import Event, PathwayDefinition, compute_timeline, timeline_to_dict
from portal.timeline.model import EXPECTED, LATE, Interval, Milestone, NormVersion, Phase

D = date.fromisoformat
REFERRAL = Event("referral_received", D("2026-03-02"))  # a Monday


def step(timeline, milestone):
    return next(s for s in timeline.steps if s.milestone == milestone and s.status != "done")


def test_steps_after_a_late_step_are_counted_from_today(breast):
    # First attendance normally by 2 + 7 = 9 March; today is 16 March and it is not recorded.
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-16"))

    late = step(timeline, "first_attendance")
    assert (late.status, late.expected_by, late.moved_by_late) == (LATE, D("2026-03-09"), None)
    decision = step(timeline, "clinical_decision")
    # 16 March + 12 days = 28 March (from the old normal date it was 21 March, already past)
    assert (decision.status, decision.expected_by, decision.moved_by_late) == (
        EXPECTED, D("2026-03-28"), "first_attendance")
    treatment = step(timeline, "treatment_start")
    # 28 March + 13 days (surgery, the later branch) = 10 April; drug: 28 March + 10 = 7 April
    assert treatment.expected_by == D("2026-04-10")
    assert {b.value: b.expected_by for b in treatment.branches} == {
        "surgery": D("2026-04-10"), "drug": D("2026-04-07")}
    assert treatment.moved_by_late == "first_attendance"
    assert timeline.next_step is late


def test_nothing_moves_on_the_normal_date_itself(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-09"))

    assert step(timeline, "first_attendance").status == EXPECTED
    decision = step(timeline, "clinical_decision")
    assert (decision.expected_by, decision.moved_by_late) == (D("2026-03-21"), None)  # 9 + 12


def test_a_recorded_step_counts_from_its_own_date_and_only_the_late_one_moves_the_rest(breast):
    # First attendance on 9 March: decision normally by 21 March; today 30 March it is late.
    events = [REFERRAL, Event("first_attendance", D("2026-03-09"))]
    timeline = compute_timeline(breast, events, D("2026-03-30"))

    decision = step(timeline, "clinical_decision")
    assert (decision.status, decision.expected_by, decision.moved_by_late) == (LATE, D("2026-03-21"), None)
    treatment = step(timeline, "treatment_start")
    assert (treatment.expected_by, treatment.moved_by_late) == (D("2026-04-12"), "clinical_decision")  # 30 + 13


def test_figures_can_still_count_from_the_normal_dates(breast):
    timeline = compute_timeline(breast, [REFERRAL], D("2026-03-16"), late_steps_from_today=False)

    decision = step(timeline, "clinical_decision")
    assert (decision.expected_by, decision.moved_by_late) == (D("2026-03-21"), None)  # 9 + 12


def test_the_api_names_the_late_step(breast):
    data = timeline_to_dict(compute_timeline(breast, [REFERRAL], D("2026-03-16")))

    decision = next(s for s in data["steps"] if s["milestone"] == "clinical_decision")
    assert decision["expected_by"] == "2026-03-28"
    assert decision["counted_from_today_because_late"] == "first_attendance"
    assert "counted_from_today_because_late" not in data["next_step"]


# A small made-up pathway with working-day norms, to count across Easter.
NORMS = NormVersion(
    D("2019-01-01"), None, "test table", "official",
    (Interval("received", "assessed", 10, "working_days"),
     Interval("assessed", "first_talk", 5, "working_days"),
     Interval("first_talk", "decision", 3, "working_days"),
     Interval("received", "letter", 30, "calendar_days")),
)
PATHWAY = PathwayDefinition(
    id="made-up", shape="linear", category="mental_health", version="1",
    effective_from=D("2019-01-01"), source="test", clock_start="received", listed=False,
    phases=(Phase("referral", (("received", None),)), Phase("talks", (("first_talk", None),))),
    milestones=(Milestone("received"), Milestone("assessed"), Milestone("first_talk"), Milestone("decision")),
    branches={}, end_reasons={"other": False}, norms=(NORMS,),
)


def test_working_days_are_counted_from_today_across_easter():
    # Received Mon 16 March 2026: assessed normally by Mon 30 March (Tue 17 .. Fri 20 = 4,
    # Mon 23 .. Fri 27 = 9, Mon 30 = 10). Today is Wed 1 April and it is not recorded.
    timeline = compute_timeline(PATHWAY, [Event("received", D("2026-03-16"))], D("2026-04-01"))

    assert step(timeline, "assessed").expected_by == D("2026-03-30")
    assert step(timeline, "assessed").status == LATE
    # From Wed 1 April: Thu 2, Fri 3 (Maundy Thursday, Good Friday) and Mon 6 (Easter Monday) are
    # holidays; Tue 7 (1), Wed 8 (2), Thu 9 (3), Fri 10 (4), Mon 13 (5).
    first_talk = step(timeline, "first_talk")
    assert (first_talk.expected_by, first_talk.moved_by_late) == (D("2026-04-13"), "assessed")
    # Tue 14 (1), Wed 15 (2), Thu 16 (3)
    decision = step(timeline, "decision")
    assert (decision.expected_by, decision.moved_by_late) == (D("2026-04-16"), "assessed")


def test_an_open_ended_pathway_counts_what_follows_a_late_step_from_today_too():
    # home_cycle: a visit 10 days after going home, a call 5 days after the visit.
    norms = NormVersion(D("2019-01-01"), None, "test table", "official",
                        (Interval("home", "visit", 10, "calendar_days"), Interval("visit", "call", 5, "calendar_days")))
    pathway = PathwayDefinition(
        id="made-up-home", shape="home_cycle", category="home", version="1",
        effective_from=D("2019-01-01"), source="test", clock_start="home", listed=False,
        phases=(Phase("at_home", (("home", None),)),),
        milestones=(Milestone("home", repeats=True), Milestone("visit", repeats=True),
                    Milestone("call", repeats=True)),
        branches={}, end_reasons={"other": False}, norms=(norms,))
    # Home on 1 March: the visit normally by 11 March; today is 20 March and it has not happened.
    timeline = compute_timeline(pathway, [Event("home", D("2026-03-01"))], D("2026-03-20"))

    visit, call = step(timeline, "visit"), step(timeline, "call")
    assert (visit.status, visit.expected_by) == (LATE, D("2026-03-11"))
    assert (call.expected_by, call.moved_by_late) == (D("2026-03-25"), "visit")  # 20 + 5, not 11 + 5
