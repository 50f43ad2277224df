"""The shape of a pathway definition file (`content/<id>/pathway.yaml`), checked with pydantic.

Field-level checks live in the models; checks that compare one part of the file with another
(an interval naming a milestone that does not exist) live in `cross_check`.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from portal.timeline.model import BRANCH_KINDS, EXIT_EVENTS


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class IntervalSpec(_Strict):
    from_: str = Field(alias="from")
    to: str
    amount: int | None = Field(ge=0)
    amount_min: int | None = Field(default=None, ge=0)  # for a span ("3 to 4 months"); `amount` is the upper end
    unit: Literal["calendar_days", "working_days", "weeks", "months"] | None = None
    when: dict[Literal[BRANCH_KINDS], str] | None = Field(default=None, min_length=1, max_length=1)
    approximate: bool = False
    source: str | None = None
    quality: str | None = None

    @model_validator(mode="after")
    def _unit_with_amount(self):
        if self.amount is not None and self.unit is None:
            raise ValueError("an interval with an amount needs a unit")
        if self.amount_min is not None and (self.amount is None or self.amount_min >= self.amount):
            raise ValueError("amount_min must be below amount")
        return self


class NormSpec(_Strict):
    effective_from: date
    effective_until: date | None = None
    source: str
    quality: str
    note: str | None = None
    page_date: date | None = None
    # The milestone this version's clock starts at, when the version changed it (see the engine).
    clock_start: str | None = None
    intervals: list[IntervalSpec]


class OutcomeSpec(_Strict):
    ends: bool = False
    adds: str | None = None


class MilestoneSpec(_Strict):
    id: str
    outcomes: dict[str, OutcomeSpec] = {}
    optional: bool = False
    repeats: bool = False
    completes: bool = False
    unplanned: bool = False
    phase: str | None = None


class PhaseSpec(_Strict):
    id: str
    starts_with: list[str] = Field(min_length=1)


class EndReasonSpec(_Strict):
    completes: bool = False


class PathwaySpec(_Strict):
    id: str
    shape: Literal["linear", "evaluation_loop", "home_cycle"]
    # long_term: other national pathways for long-lasting conditions (pain)
    category: Literal["cancer", "mental_health", "home", "long_term"]
    version: str
    effective_from: date
    # False when nobody knows the day the pathway started: `effective_from` then only stands in for it
    # (the engine needs a day to pick a norm version), and readers are told the date is not known.
    start_date_known: bool = True
    listed: bool = True
    texts_from: str | None = None  # a family under content/_shared whose texts this pathway shares
    # Where the missing normal times should come from, when norm_times.yaml has no official figure
    # for some or all steps. Required when `norms` is empty.
    norm_gap: str | None = None
    source: str
    clock_start: str | None
    initial_phase: str | None = None
    phases: list[PhaseSpec] = Field(min_length=1)
    milestones: list[MilestoneSpec] = Field(min_length=1)
    branches: dict[Literal[BRANCH_KINDS], list[str]] = {}
    end_reasons: dict[str, EndReasonSpec] = Field(min_length=1)
    norms: list[NormSpec] = []


def cross_check(spec: PathwaySpec, folder_name: str) -> list[tuple[str, str]]:
    """(field, message) for every reference that points nowhere."""
    problems = []
    milestones = {m.id: m for m in spec.milestones}
    if spec.id != folder_name:
        problems.append(("id", f"is {spec.id!r} but the folder is named {folder_name!r}"))
    if spec.clock_start is not None and spec.clock_start not in milestones:
        problems.append(("clock_start", f"{spec.clock_start!r} is not a milestone"))
    phase_ids = [p.id for p in spec.phases]
    if spec.initial_phase is not None and spec.initial_phase not in phase_ids:
        problems.append(("initial_phase", f"{spec.initial_phase!r} is not a phase"))
    for n, phase in enumerate(spec.phases):
        for k, trigger in enumerate(phase.starts_with):
            milestone_id, _, outcome = trigger.partition(":")
            where = f"phases[{n}].starts_with[{k}]"
            if milestone_id not in milestones and milestone_id not in EXIT_EVENTS:
                problems.append((where, f"{milestone_id!r} is not a milestone"))
            elif outcome and outcome not in milestones[milestone_id].outcomes:
                problems.append((where, f"{outcome!r} is not an outcome of {milestone_id!r}"))
    for n, milestone in enumerate(spec.milestones):
        if milestone.phase is not None and milestone.phase not in phase_ids:
            problems.append((f"milestones[{n}].phase", f"{milestone.phase!r} is not a phase"))
        for outcome_id, outcome in milestone.outcomes.items():
            if outcome.adds is not None and not getattr(milestones.get(outcome.adds), "optional", False):
                problems.append((f"milestones[{n}].outcomes.{outcome_id}.adds",
                                 f"{outcome.adds!r} is not an optional milestone"))
    if not spec.norms and not spec.norm_gap:
        problems.append(("norm_gap", "a pathway without norms must say where its normal times should come from"))
    previous_end = None
    for n, norm in enumerate(spec.norms):
        if previous_end is not None and norm.effective_from <= previous_end:
            problems.append((f"norms[{n}].effective_from", "overlaps the version before it"))
        previous_end = norm.effective_until or date.max
        if norm.clock_start is not None and norm.clock_start not in milestones:
            problems.append((f"norms[{n}].clock_start", f"{norm.clock_start!r} is not a milestone"))
        for k, interval in enumerate(norm.intervals):
            where = f"norms[{n}].intervals[{k}]"
            for key, value in (("from", interval.from_), ("to", interval.to)):
                if value not in milestones:
                    problems.append((f"{where}.{key}", f"{value!r} is not a milestone"))
            for kind, value in (interval.when or {}).items():
                if value not in spec.branches.get(kind, []):
                    problems.append((f"{where}.when.{kind}", f"{value!r} is not listed under branches.{kind}"))
    return problems
