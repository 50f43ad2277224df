"""How long steps took at a unit, from its own recorded pathways: pure, like the engine (no Flask, no
database, no clock).

A case is one recorded step that had a normal time: the days from the step it is counted from to
the day it happened, counted in the norm's unit (working days for a norm in working days, calendar
days otherwise), and whether it came by the normal date. The norm, the step counted from and the
normal date are the engine's: the timeline as it stood just before the step is computed again.
A step the patient asked to postpone is left out: the wait was the patient's choice.

Figures are nearest-rank percentiles, which are days that really occurred: "9 in 10 within N days"
means at least 9 in 10 cases took N days or fewer. So the 90th percentile is never below the median."""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..timeline import Event, Options, TimelineInputError, compute_timeline
from ..timeline.calendar import ONE_DAY, is_working_day
from ..timeline.model import DONE, EXIT_EVENTS, PathwayDefinition

WORKING_DAYS, CALENDAR_DAYS = "working_days", "calendar_days"


@dataclass(frozen=True, slots=True)
class Case:
    milestone: str
    branch: tuple[str, str] | None  # the norm's branch, e.g. ("treatment", "surgery"); None for all
    count_unit: str  # WORKING_DAYS or CALENDAR_DAYS
    days: int
    within_norm: bool


@dataclass(frozen=True, slots=True)
class Figures:
    cases: int
    median: int
    p90: int
    within_norm: int  # how many cases came by the normal date
    count_unit: str

    @property
    def share_within_norm(self) -> float:
        return self.within_norm / self.cases


def days_between(start: date, end: date, count_unit: str) -> int:
    """Days after `start` up to and including `end`: calendar days, or Norwegian working days."""
    if count_unit == CALENDAR_DAYS:
        return (end - start).days
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count


def cases_of(definition: PathwayDefinition, events: list[Event], options: Options, first: date,
             last: date) -> list[Case]:
    """The cases among `events` (one pathway's, in any order) that happened from `first` to `last`."""
    ordered = sorted(events, key=lambda e: (e.date, definition.order(e.milestone)))
    cases = []
    for index, event in enumerate(ordered):
        if not first <= event.date <= last or event.milestone in EXIT_EVENTS:
            continue
        before = ordered[:index]
        try:
            timeline = compute_timeline(definition, before, event.date, options, late_steps_from_today=False)
        except TimelineInputError:
            continue
        occurrence = 1 + sum(e.milestone == event.milestone for e in before)
        step = next((s for s in timeline.steps if s.milestone == event.milestone and s.status != DONE
                     and s.occurrence == occurrence), None)
        if step is None or step.norm is None or step.norm.amount is None or step.postponed_days:
            continue
        starts = [e.date for e in before if e.milestone == step.counted_from]
        if not starts or step.expected_by is None:
            continue
        count_unit = WORKING_DAYS if step.norm.unit == WORKING_DAYS else CALENDAR_DAYS
        days = days_between(max(starts), event.date, count_unit)
        cases.append(Case(event.milestone, step.norm.when, count_unit, days, event.date <= step.expected_by))
    return cases


def nearest_rank(ordered: list[int], fraction: float) -> int:
    """The smallest value with at least `fraction` of `ordered` (sorted) at or below it."""
    return ordered[max(math.ceil(fraction * len(ordered)), 1) - 1]


def figures_of(cases: Iterable[Case]) -> dict[tuple[str, tuple[str, str] | None], Figures]:
    """Figures per step and branch. A step counted in both units (a norm that changed its unit)
    keeps the unit most of its cases have."""
    grouped: dict[tuple, list[Case]] = {}
    for case in cases:
        grouped.setdefault((case.milestone, case.branch), []).append(case)
    figures = {}
    for key, group in grouped.items():
        units = [c.count_unit for c in group]
        count_unit = max(set(units), key=units.count)
        days = sorted(c.days for c in group if c.count_unit == count_unit)
        within = sum(c.within_norm for c in group if c.count_unit == count_unit)
        figures[key] = Figures(len(days), nearest_rank(days, 0.5), nearest_rank(days, 0.9), within, count_unit)
    return figures
