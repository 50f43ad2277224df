"""Checks recorded events against a pathway before the engine uses them.

Each problem names its field (and, for an event's field, which event) and carries a code and
parameters, so the web layer can put it on the right form field and say it in the reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .model import BRANCH_KINDS, END_MILESTONE, POSTPONEMENT, TRANSFER, Event, Options, PathwayDefinition


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: `field` is its name ("date"); `event` is the index of the
    event it belongs to in the list given, and `in_options` says it is a field of the options.
    Neither: a field of the request itself ("pathway")."""

    field: str
    code: str
    params: dict = field(default_factory=dict)
    event: int | None = None
    in_options: bool = False

    @property
    def path(self) -> str:
        """Where the field is in a request, as the API names it: "events[2].date"."""
        if self.event is not None:
            return f"events[{self.event}]" + (f".{self.field}" if self.field else "")
        return f"options.{self.field}" if self.in_options else self.field

    def as_dict(self) -> dict:
        return {"field": self.path, "code": self.code, **({"params": self.params} if self.params else {})}


class TimelineInputError(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in problems))


def check(definition: PathwayDefinition, events: list[Event], today: date, options: Options) -> list[Problem]:
    problems = _check_options(definition, options)
    for index, event in enumerate(events):
        problems += _check_event(definition, event, index, today)
    if not problems:
        problems += _check_together(definition, events)
    if not problems and definition.shape != "home_cycle":
        problems += _check_order(definition, events)
    return problems


def _check_options(definition: PathwayDefinition, options: Options) -> list[Problem]:
    problems = []
    for kind in BRANCH_KINDS:
        value = getattr(options, kind)
        if value is not None and value not in definition.branches.get(kind, ()):
            problems.append(Problem(kind, f"unknown_{kind}", {"value": value}, in_options=True))
    return problems


def _check_event(definition: PathwayDefinition, event: Event, index: int, today: date) -> list[Problem]:
    def problem(name: str, code: str, params: dict | None = None) -> Problem:
        return Problem(name, code, params or {}, event=index)

    if event.milestone not in definition.recordable():
        return [problem("milestone", "unknown_milestone", {"value": event.milestone})]
    problems = []
    if event.date > today:
        problems.append(problem("date", "date_in_future", {"value": event.date.isoformat()}))
    milestone = definition.milestone(event.milestone)
    outcomes = milestone.outcomes if milestone else {}
    if event.outcome is not None and event.outcome not in outcomes:
        problems.append(problem("outcome", "unknown_outcome", {"value": event.outcome}))
    elif event.outcome is None and outcomes:
        problems.append(problem("outcome", "missing_outcome"))
    for kind in BRANCH_KINDS:
        value = getattr(event, kind)
        if value is not None and value not in definition.branches.get(kind, ()):
            problems.append(problem(kind, f"unknown_{kind}", {"value": value}))
    if event.milestone == END_MILESTONE:
        if event.reason is None:
            problems.append(problem("reason", "missing_reason"))
        elif event.reason not in definition.end_reasons:
            problems.append(problem("reason", "unknown_reason", {"value": event.reason}))
    elif event.reason is not None and event.milestone != TRANSFER:
        problems.append(problem("reason", "not_applicable"))
    if event.milestone == POSTPONEMENT:
        if event.until is None:
            problems.append(problem("until", "missing_until"))
        elif event.until <= event.date:
            problems.append(problem("until", "until_not_after_date"))
    elif event.until is not None:
        problems.append(problem("until", "not_applicable"))
    return problems


def _check_together(definition: PathwayDefinition, events: list[Event]) -> list[Problem]:
    """Contradictions between events: repeats, order, steps after the end."""
    problems = []
    seen: dict[str, int] = {}
    clock = [e.date for e in events if e.milestone == definition.clock_start]
    clock_start = min(clock) if clock else None
    ended_on = None
    chosen_optional = {
        definition.milestone(e.milestone).outcomes[e.outcome].adds
        for e in events
        if e.outcome and definition.milestone(e.milestone)
    }
    for index, event in sorted(enumerate(events), key=lambda pair: (pair[1].date, definition.order(pair[1].milestone))):
        milestone = definition.milestone(event.milestone)
        repeatable = milestone.repeats if milestone else event.milestone == POSTPONEMENT
        if event.milestone in seen and not repeatable:
            problems.append(Problem("milestone", "recorded_twice", {"other": f"events[{seen[event.milestone]}]"},
                                    event=index))
            continue
        seen[event.milestone] = index
        if clock_start and event.date < clock_start:
            problems.append(Problem("date", "before_clock_start", {"clock_start": clock_start.isoformat()},
                                    event=index))
        if ended_on is not None and event.date >= ended_on:
            problems.append(Problem("milestone", "after_pathway_ended", {"ended_on": ended_on.isoformat()},
                                    event=index))
        if milestone and milestone.optional and event.milestone not in chosen_optional:
            problems.append(Problem("milestone", "not_chosen", {"value": event.milestone}, event=index))
        if definition.ending(event):
            ended_on = event.date if ended_on is None else ended_on
    return problems


def _check_order(definition: PathwayDefinition, events: list[Event]) -> list[Problem]:
    """In an ordered pathway a step cannot be dated before a step that comes earlier in it."""
    steps = sorted(
        (definition.order(e.milestone), index, e.date)
        for index, e in enumerate(events) if definition.milestone(e.milestone)
    )
    problems, latest_earlier, latest_index, rank_seen, best_in_rank = [], None, None, None, (None, None)
    for rank, index, day in steps:
        if rank != rank_seen:
            if best_in_rank[0] is not None and (latest_earlier is None or best_in_rank[0] > latest_earlier):
                latest_earlier, latest_index = best_in_rank
            rank_seen, best_in_rank = rank, (None, None)
        if latest_earlier is not None and day < latest_earlier:
            problems.append(Problem("date", "before_earlier_step", {"other": f"events[{latest_index}]"}, event=index))
        if best_in_rank[0] is None or day > best_in_rank[0]:
            best_in_rank = (day, index)
    return problems
