"""The engine's vocabulary: a pathway definition going in, a timeline coming out.

Plain frozen dataclasses so the engine stays fast and free of any framework; the content
loader (portal.content) validates the files and builds these.
"""
from __future__ import annotations

import typing
from dataclasses import KW_ONLY, MISSING, dataclass, field, fields, replace
from datetime import date

SHAPES = ("linear", "evaluation_loop", "home_cycle")
UNITS = ("calendar_days", "working_days", "weeks", "months")
BRANCH_KINDS = ("treatment", "setting", "severity")
END_MILESTONE = "pathway_ended"
TRANSFER = "transferred"
POSTPONEMENT = "patient_postponed"
EXIT_EVENTS = (END_MILESTONE, TRANSFER, POSTPONEMENT)

# Step statuses
DONE = "done"
EXPECTED = "expected"
LATE = "later_than_expected"
SKIPPED = "skipped"

# Overall states
ACTIVE = "active"
COMPLETED = "completed"
ENDED_EARLY = "ended_early"


@dataclass(frozen=True, slots=True)
class Interval:
    """A norm: `to` normally happens within `amount` `unit`s of `from`.

    `amount` None means the step follows `from` but has no normal time.
    `when` restricts the norm to one branch, e.g. ("treatment", "surgery").
    """

    from_milestone: str
    to_milestone: str
    amount: int | None
    unit: str | None = None
    when: tuple[str, str] | None = None
    approximate: bool = False
    source: str | None = None
    quality: str | None = None
    amount_min: int | None = None  # a span: normally between amount_min and amount; dates use amount


def same_for_every_branch(intervals: list[Interval]) -> Interval | None:
    """When the intervals are one per branch and all give the same time from the same step (one
    figure for outpatient and inpatient), that time as one interval that names no branch."""
    def time(i: Interval) -> tuple:
        return (i.from_milestone, i.amount, i.amount_min, i.unit, i.approximate)

    if len(intervals) > 1 and all(i.when for i in intervals) and len({time(i) for i in intervals}) == 1:
        return replace(intervals[0], when=None)
    return None


@dataclass(frozen=True, slots=True)
class NormVersion:
    effective_from: date
    effective_until: date | None
    source: str
    quality: str
    intervals: tuple[Interval, ...]
    note: str | None = None
    page_date: date | None = None
    # The milestone this version's clock starts at, when it is not the pathway's own `clock_start`
    # (from 2023 the mental-health pathways start when the referral has been assessed, not received).
    clock_start: str | None = None
    # False when `effective_from` only stands in for a start date nobody knows: the engine still
    # needs a day to pick the version, but readers are told the date is not known.
    start_known: bool = True
    _by_target: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        for interval in self.intervals:
            self._by_target.setdefault((interval.to_milestone, None), []).append(interval)
            self._by_target.setdefault((interval.to_milestone, interval.from_milestone), []).append(interval)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_until is None or day <= self.effective_until)

    def intervals_to(self, to_milestone: str, from_milestone: str | None = None) -> list[Interval]:
        return self._by_target.get((to_milestone, from_milestone), [])


@dataclass(frozen=True, slots=True)
class Outcome:
    id: str
    ends: bool = False
    adds: str | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    id: str
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    optional: bool = False
    repeats: bool = False
    completes: bool = False
    unplanned: bool = False
    phase: str | None = None  # where the step is shown when nothing about the patient is known


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    # (milestone, outcome or None): the events that begin this phase
    starts_with: tuple[tuple[str, str | None], ...]


@dataclass(frozen=True)
class PathwayDefinition:
    id: str
    shape: str
    category: str
    version: str
    effective_from: date
    source: str
    clock_start: str | None
    listed: bool
    phases: tuple[Phase, ...]
    milestones: tuple[Milestone, ...]
    branches: dict[str, tuple[str, ...]]
    end_reasons: dict[str, bool]  # reason -> completes the pathway
    norms: tuple[NormVersion, ...]
    initial_phase: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "_by_id", {m.id: m for m in self.milestones})
        object.__setattr__(self, "_order", {m.id: n for n, m in enumerate(self.milestones)})
        object.__setattr__(self, "_recordable", frozenset(self._by_id) | frozenset(EXIT_EVENTS))

    def milestone(self, milestone_id: str) -> Milestone | None:
        return self._by_id.get(milestone_id)

    def order(self, milestone_id: str) -> int:
        """Position in the definition; events that are not steps sort last."""
        return self._order.get(milestone_id, len(self._order))

    def norm_in_force(self, day: date) -> NormVersion | None:
        for version in self.norms:
            if version.in_force_on(day):
                return version
        return None

    def recordable(self) -> frozenset[str]:
        return self._recordable

    def ending(self, event: Event) -> tuple[str, str | None] | None:
        """(state, reason) if `event` ends the pathway, else None."""
        if event.milestone == END_MILESTONE:
            return (COMPLETED if self.end_reasons[event.reason] else ENDED_EARLY), event.reason
        if event.milestone == TRANSFER:
            return ENDED_EARLY, TRANSFER
        milestone = self.milestone(event.milestone)
        if milestone and event.outcome and milestone.outcomes[event.outcome].ends:
            return ENDED_EARLY, event.outcome
        if milestone and milestone.completes:
            return COMPLETED, None
        return None


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, as recorded by the care team."""

    milestone: str
    date: date
    _: KW_ONLY
    outcome: str | None = None
    treatment: str | None = None
    setting: str | None = None
    severity: str | None = None
    reason: str | None = None  # pathway_ended: why
    until: date | None = None  # patient_postponed: the day the patient is ready again


@dataclass(frozen=True, slots=True)
class Options:
    """What is known before an event records it: the treatment, setting or severity in the patient's plan."""

    treatment: str | None = None
    setting: str | None = None
    severity: str | None = None


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of an Event or of Options, for the layers that store, receive and edit them: the
    database columns, the API schema, the staff form and the copies between them are made from
    these, so a new field is added in one place (the dataclass)."""

    name: str
    is_date: bool  # a day; otherwise a short text (a milestone, outcome, branch or reason id)
    required: bool


def fields_of(engine_type: type) -> tuple[FieldSpec, ...]:
    hints = typing.get_type_hints(engine_type)
    return tuple(FieldSpec(f.name, date in (typing.get_args(hints[f.name]) or (hints[f.name],)),
                           f.default is MISSING) for f in fields(engine_type))


EVENT_FIELDS = fields_of(Event)
OPTION_FIELDS = fields_of(Options)
# The longest id (of a pathway, milestone, outcome, branch or reason) that can be stored or sent.
ID_LENGTH = 80


@dataclass(frozen=True, slots=True)
class BranchDate:
    kind: str
    value: str
    expected_by: date | None


@dataclass(slots=True)
class Step:
    milestone: str
    phase: str
    status: str
    occurrence: int = 1
    date: date | None = None
    expected_by: date | None = None
    norm: Interval | None = None
    counted_from: str | None = None
    branches: tuple[BranchDate, ...] = ()
    optional: bool = False
    postponed_days: int = 0
    # The late step (its milestone) this step's date is counted from today because of: that step's
    # normal date has passed, so it is taken to happen no earlier than today.
    moved_by_late: str | None = None
    outcome: str | None = None
    treatment: str | None = None
    setting: str | None = None


@dataclass(frozen=True, slots=True)
class Postponement:
    requested_on: date
    until: date

    @property
    def days(self) -> int:
        return (self.until - self.requested_on).days


@dataclass(slots=True)
class Timeline:
    pathway: str
    pathway_version: str
    shape: str
    today: date
    state: str
    current_phase: str
    steps: list[Step]
    next_step: Step | None
    norm_version: NormVersion | None
    clock_started: date | None
    end_reason: str | None = None
    ended_on: date | None = None
    treatment: str | None = None
    setting: str | None = None
    severity: str | None = None
    postponements: tuple[Postponement, ...] = ()
