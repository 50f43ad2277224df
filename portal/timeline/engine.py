"""The timeline engine: pathway definition + recorded events + today -> timeline.

Pure: no clock, no database, no web. Three shapes share one rule for dates: a step is normally
expected within the norm interval from the step before it, counted from that step's recorded date
or, when it has not happened yet, from its own expected date. A step whose normal date has passed
cannot happen before today, so the steps after it are counted from today (and say so).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import calendar
from .model import (
    ACTIVE,
    BRANCH_KINDS,
    DONE,
    EXPECTED,
    LATE,
    POSTPONEMENT,
    SKIPPED,
    BranchDate,
    Event,
    Interval,
    NormVersion,
    Options,
    PathwayDefinition,
    Postponement,
    Step,
    Timeline,
    same_for_every_branch,
)
from .validate import TimelineInputError, check

NO_OPTIONS = Options()


def compute_timeline(
    definition: PathwayDefinition, events: list[Event], today: date, options: Options = NO_OPTIONS,
    *, late_steps_from_today: bool = True,
) -> Timeline:
    """`late_steps_from_today=False` counts every step from the normal dates only, as they stood
    (portal.figures measures each recorded step against its normal date, not against a moved one)."""
    problems = check(definition, events, today, options)
    if problems:
        raise TimelineInputError(problems)
    ctx = _Context(definition, events, today, options, late_steps_from_today)
    if definition.shape == "home_cycle":
        steps, next_step = _home_cycle(ctx)
    else:
        steps, next_step = _ordered(ctx)
    return Timeline(
        pathway=definition.id,
        pathway_version=definition.version,
        shape=definition.shape,
        today=today,
        state=ctx.state,
        current_phase=_current_phase(definition, steps),
        steps=steps,
        next_step=next_step if ctx.state == ACTIVE else None,
        norm_version=ctx.norm,
        clock_started=ctx.clock_started,
        end_reason=ctx.end_reason,
        ended_on=ctx.ended_on,
        treatment=ctx.known["treatment"],
        setting=ctx.known["setting"],
        severity=ctx.known["severity"],
        postponements=ctx.postponements,
    )


@dataclass(slots=True)
class _Anchor:
    milestone: str
    date: date | None
    recorded: bool
    moved_by_late: str | None = None  # the late step whose date is taken as today, if counted from it


class _Context:
    """What the events say as a whole: the clock, the norm in force, known branches, the end."""

    def __init__(self, definition: PathwayDefinition, events: list[Event], today: date, options: Options,
                 late_steps_from_today: bool):
        self.definition = definition
        self.today = today
        self.late_steps_from_today = late_steps_from_today
        self.events = sorted(events, key=lambda e: (e.date, definition.order(e.milestone)))
        self.norm: NormVersion | None
        self.norm, self.clock_milestone, self.clock_started = _norm_and_clock(definition, self.events, today)
        self.known = {kind: getattr(options, kind) for kind in BRANCH_KINDS}
        for event in self.events:
            for kind in self.known:
                if getattr(event, kind):
                    self.known[kind] = getattr(event, kind)
        self.postponements = tuple(
            Postponement(e.date, e.until) for e in self.events if e.milestone == POSTPONEMENT
        )
        self.state, self.end_reason, self.ended_on = ACTIVE, None, None
        for event in self.events:
            ending = definition.ending(event)
            if ending:
                self.state, self.end_reason = ending
                self.ended_on = event.date
                break

    def expect(self, anchor: _Anchor | None, to_milestone: str) -> tuple[date | None, Interval | None, tuple]:
        """The date `to_milestone` normally happens by, the norm used, and one date per open branch."""
        if self.norm is None or anchor is None:
            return None, None, ()
        candidates, start = self.norm.intervals_to(to_milestone, anchor.milestone), anchor.date
        if not candidates and self.clock_started is not None and anchor.milestone != self.clock_milestone:
            # Some norms count from the start of the clock, not from the step before
            # (pakkeforløp hjem: each conversation so many months after the diagnosis).
            candidates, start = self.norm.intervals_to(to_milestone, self.clock_milestone), self.clock_started
        if not candidates:
            return None, None, ()
        plain = [i for i in candidates if i.when is None]
        if plain:
            return _due(start, plain[0]), plain[0], ()
        kind = candidates[0].when[0]
        chosen = self.known[kind]
        if chosen is not None:
            match = [i for i in candidates if i.when[1] == chosen]
            return (_due(start, match[0]), match[0], ()) if match else (None, None, ())
        branches = tuple(BranchDate(kind, i.when[1], _due(start, i)) for i in candidates)
        if start is None:
            return None, candidates[0], branches
        if shared := same_for_every_branch(candidates):
            return _due(start, shared), shared, ()  # the same day whichever is chosen
        latest = max(range(len(branches)), key=lambda n: branches[n].expected_by)
        return branches[latest].expected_by, candidates[latest], branches

    def anchor_after(self, step: Step) -> _Anchor:
        """What the steps after an unrecorded step count from: its normal date, or today once that
        has passed (the step cannot happen before today)."""
        if self.late_steps_from_today and step.status == LATE:
            return _Anchor(step.milestone, self.today, False, step.milestone)
        return _Anchor(step.milestone, step.expected_by, False, step.moved_by_late)


def _moved_by_late(anchor: _Anchor | None, norm: Interval | None, expected_by: date | None) -> str | None:
    """The late step a date is counted from today because of: when it is counted from that anchor."""
    if anchor is None or norm is None or expected_by is None or norm.from_milestone != anchor.milestone:
        return None
    return anchor.moved_by_late


def _norm_and_clock(
    definition: PathwayDefinition, events: list[Event], today: date
) -> tuple[NormVersion | None, str | None, date | None]:
    """The norm version a pathway is measured against, the milestone its clock starts at, and the
    day the clock started (None while that milestone is not recorded).

    A pathway is measured against the version in force on the day its clock started, and a version
    may start the clock at another milestone than the pathway does (from 2023, mental-health
    pathways start when the referral has been assessed). So each version is tried in order with its
    own clock: a referral received before a change stays with the old version even if it is assessed
    after it. While no version's clock has started, the version in force on the day of the first
    event (or today) applies.
    """
    first: dict[str, date] = {}
    for event in events:  # sorted by date
        first.setdefault(event.milestone, event.date)
    for version in definition.norms:
        milestone = version.clock_start or definition.clock_start
        if milestone in first and version.in_force_on(first[milestone]):
            return version, milestone, first[milestone]
    day = first.get(definition.clock_start) or (events[0].date if events else today)
    version = definition.norm_in_force(day)
    milestone = (version.clock_start if version else None) or definition.clock_start
    return version, milestone, first.get(milestone)


def _due(start: date | None, interval: Interval) -> date | None:
    if start is None or interval.amount is None:
        return None
    return calendar.add(start, interval.amount, interval.unit)


def _status(expected_by: date | None, today: date) -> str:
    return LATE if expected_by is not None and today > expected_by else EXPECTED


def _phase_for(definition: PathwayDefinition, milestone: str, outcome: str | None, previous: str) -> str:
    for phase in definition.phases:
        for trigger_milestone, trigger_outcome in phase.starts_with:
            if trigger_milestone == milestone and trigger_outcome in (None, outcome):
                return phase.id
    return previous


def _current_phase(definition: PathwayDefinition, steps: list[Step]) -> str:
    done = [s for s in steps if s.status == DONE]
    if done:
        return done[-1].phase
    return definition.initial_phase or definition.phases[0].id


# --- linear and evaluation_loop: one ordered path --------------------------------------------------

def _ordered(ctx: _Context) -> tuple[list[Step], Step | None]:
    definition, ended = ctx.definition, ctx.state != ACTIVE
    recorded: dict[str, list[Event]] = {}
    for event in ctx.events:
        recorded.setdefault(event.milestone, []).append(event)
    open_choices = _open_optional_steps(definition, ctx.events, ended)
    chosen = {definition.milestone(e.milestone).outcomes[e.outcome].adds for e in ctx.events if e.outcome}
    # A step left unrecorded while a later step was recorded is not waited for any more.
    passed = max((definition.order(m) for m in recorded if definition.milestone(m)), default=-1)

    steps: list[Step] = []
    anchor: _Anchor | None = None
    phase = definition.phases[0].id
    # A postponement moves the first step not yet done on the day the patient asked for it;
    # later steps count from that step's new date, so they move too.
    waiting = list(ctx.postponements)
    carried = 0
    for milestone in definition.milestones:
        events = recorded.get(milestone.id, [])
        if milestone.optional and milestone.id not in chosen:
            is_open = milestone.id in open_choices
            expected_by, norm, branches = ctx.expect(anchor, milestone.id) if is_open else (None, None, ())
            steps.append(Step(milestone.id, phase, EXPECTED if is_open else SKIPPED, optional=is_open,
                              expected_by=expected_by, norm=norm, branches=branches,
                              counted_from=norm.from_milestone if norm else None))
            continue
        for n, event in enumerate(events, start=1):
            phase = _phase_for(definition, milestone.id, event.outcome, phase)
            steps.append(Step(milestone.id, phase, DONE, occurrence=n, date=event.date, outcome=event.outcome,
                              treatment=event.treatment, setting=event.setting))
            anchor, carried = _Anchor(milestone.id, event.date, True), 0
            waiting = [p for p in waiting if p.requested_on >= event.date]
        if events and not milestone.repeats:
            continue
        if ended or definition.order(milestone.id) < passed:
            if not events:
                steps.append(Step(milestone.id, phase, SKIPPED))
            continue
        phase = _phase_for(definition, milestone.id, None, phase)
        expected_by, norm, branches = ctx.expect(anchor, milestone.id)
        shift = sum(p.days for p in waiting)
        waiting = []
        if shift:
            expected_by = _later(expected_by, shift)
            branches = tuple(BranchDate(b.kind, b.value, _later(b.expected_by, shift)) for b in branches)
            carried += shift
        step = Step(milestone.id, phase, _status(expected_by, ctx.today), occurrence=len(events) + 1,
                    expected_by=expected_by, norm=norm, branches=branches, postponed_days=carried,
                    counted_from=norm.from_milestone if norm else None,
                    moved_by_late=_moved_by_late(anchor, norm, expected_by))
        steps.append(step)
        anchor = ctx.anchor_after(step)
    next_step = next((s for s in steps if s.status in (EXPECTED, LATE) and not s.optional), None)
    return steps, next_step


def _open_optional_steps(definition: PathwayDefinition, events: list[Event], ended: bool) -> set[str]:
    """Optional steps that may still come: the outcome that would add them is not decided yet."""
    if ended:
        return set()
    decided = {e.milestone for e in events if e.outcome}
    return {
        outcome.adds
        for milestone in definition.milestones
        if milestone.id not in decided
        for outcome in milestone.outcomes.values()
        if outcome.adds
    }


def _later(day: date | None, days: int) -> date | None:
    return day + timedelta(days=days) if day is not None else None


# --- home_cycle: open-ended, each recorded event starts what follows it -------------------------

def _home_cycle(ctx: _Context) -> tuple[list[Step], Step | None]:
    definition = ctx.definition
    steps: list[Step] = []
    latest: dict[str, _Anchor] = {}
    rank: dict[str, tuple] = {}  # ordering of the latest occurrence of each milestone
    counts: dict[str, int] = {}
    phase = definition.initial_phase or definition.phases[0].id
    for event in ctx.events:
        if definition.milestone(event.milestone) is None:
            continue
        counts[event.milestone] = counts.get(event.milestone, 0) + 1
        phase = _phase_for(definition, event.milestone, event.outcome, phase)
        steps.append(Step(event.milestone, phase, DONE, occurrence=counts[event.milestone], date=event.date))
        latest[event.milestone] = _Anchor(event.milestone, event.date, True)
        rank[event.milestone] = (0, event.date, definition.order(event.milestone))
    if ctx.state != ACTIVE or ctx.norm is None:
        return steps, None

    pending: list[tuple[tuple, Step]] = []
    for milestone in definition.milestones:
        if milestone.unplanned:
            continue
        triggers = [i.from_milestone for i in ctx.norm.intervals_to(milestone.id) if i.from_milestone in latest]
        if not triggers:
            continue
        trigger = max(triggers, key=lambda m: rank[m])
        if trigger != milestone.id and milestone.id in rank and rank[milestone.id] > rank[trigger]:
            continue  # already happened since what triggers it
        anchor = latest[trigger]
        expected_by, norm, branches = ctx.expect(anchor, milestone.id)
        shift = sum(p.days for p in ctx.postponements if anchor.date and p.requested_on >= anchor.date)
        expected_by = _later(expected_by, shift)
        step = Step(milestone.id, _phase_for(definition, milestone.id, None, phase), _status(expected_by, ctx.today),
                    occurrence=counts.get(milestone.id, 0) + 1, expected_by=expected_by, norm=norm,
                    branches=branches, postponed_days=shift if expected_by else 0,
                    counted_from=trigger if norm else None,
                    moved_by_late=_moved_by_late(anchor, norm, expected_by))
        # Steps that wait on a recorded event with no normal time (going home) come first,
        # then dated steps by date, then steps that wait on a step still to come.
        group = 1 if expected_by else (0 if anchor.recorded else 2)
        pending.append(((group, expected_by or date.max, len(pending)), step))
        latest[milestone.id] = ctx.anchor_after(step)
        rank[milestone.id] = (1, len(pending))
    pending.sort(key=lambda pair: pair[0])
    upcoming = [step for _, step in pending]
    return steps + upcoming, upcoming[0] if upcoming else None


def milestone_phases(definition: PathwayDefinition) -> dict[str, str]:
    """The phase each milestone belongs to when nothing about the patient is known yet."""
    phases, phase = {}, definition.phases[0].id
    for milestone in definition.milestones:
        phase = milestone.phase or _phase_for(definition, milestone.id, None, phase)
        phases[milestone.id] = phase
    return phases
