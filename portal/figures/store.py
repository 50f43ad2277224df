"""Computing every unit's figures and keeping them (the StepFigure table), and reading them back
for a page: pages read a few rows, and never compute."""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import bindparam, delete, exists, func, insert, select
from sqlalchemy.orm import Session, selectinload

from ..clock import now
from ..content.library import Library
from ..enrolment_timeline import events_of, plan_of
from ..models import Enrolment, RecordedEvent, StepFigure, Unit
from .compute import cases_of, figures_of

Key = tuple[str, tuple[str, str] | None]


def window(today: date) -> tuple[date, date]:
    """The last 12 months, today included."""
    return today - relativedelta(years=1) + timedelta(days=1), today


def refresh(db: Session, library: Library, today: date, unit_id: int | None = None) -> int:
    """Compute the figures again (of one unit, or of all) and replace the kept ones; the caller
    commits. Returns how many rows were kept."""
    first, last = window(today)
    groups = select(Enrolment.unit_id, Enrolment.pathway_id).where(Enrolment.unit_id.is_not(None)).distinct()
    if unit_id is not None:
        groups = groups.where(Enrolment.unit_id == unit_id)
    in_window = exists().where(RecordedEvent.enrolment_id == Enrolment.id, RecordedEvent.date.between(first, last))
    computed_at, rows = now(), []
    for group_unit, pathway_id in db.execute(groups).all():
        pathway = library.get(pathway_id)
        if pathway is None:
            continue
        enrolments = db.scalars(select(Enrolment).where(Enrolment.unit_id == group_unit,
                                                        Enrolment.pathway_id == pathway_id, in_window)
                                .options(selectinload(Enrolment.events))).all()
        cases = [case for enrolment in enrolments
                 for case in cases_of(pathway.definition, events_of(enrolment), plan_of(enrolment), first, last)]
        for (milestone, branch), figures in figures_of(cases).items():
            rows.append({"unit_id": group_unit, "pathway_id": pathway_id, "milestone": milestone,
                         "branch_kind": branch[0] if branch else None, "branch_value": branch[1] if branch else None,
                         "count_unit": figures.count_unit, "cases": figures.cases, "median": figures.median,
                         "p90": figures.p90, "within_norm": figures.within_norm, "first_day": first,
                         "last_day": last, "computed_at": computed_at})
    old = delete(StepFigure)
    db.execute(old.where(StepFigure.unit_id == unit_id) if unit_id is not None else old)
    if rows:
        db.execute(insert(StepFigure), rows)
    return len(rows)


# Built once: every view of a timeline runs it.
_FIGURES = select(StepFigure).where(StepFigure.unit_id == bindparam("unit_id"),
                                    StepFigure.pathway_id == bindparam("pathway_id"))


def figures_for(db: Session, unit_id: int | None, pathway_id: str) -> dict[Key, StepFigure]:
    """The kept figures of a unit's pathway, by (step, branch)."""
    if unit_id is None:
        return {}
    found = db.scalars(_FIGURES, {"unit_id": unit_id, "pathway_id": pathway_id})
    return {(f.milestone, (f.branch_kind, f.branch_value) if f.branch_kind else None): f for f in found}


def units_with_figures(db: Session, pathway_id: str, min_cases: int) -> list[Unit]:
    """The units with at least one figure worth showing for this pathway, by name."""
    shown = select(StepFigure.unit_id).where(StepFigure.pathway_id == pathway_id, StepFigure.cases >= min_cases)
    return list(db.scalars(select(Unit).where(Unit.id.in_(shown)).order_by(func.lower(Unit.name))))
