"""The unit's figures for coordinators and nurses: per pathway and step, how many cases, the share
that came by the normal date (the national target is 70%), the median and the 90th percentile, for
the last 12 months, as a table and a chart drawn on the server. The figures are kept by the daily
job; "compute again now" refreshes the unit's at once."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import database
from ..audit import record
from ..auth.access import allow
from ..clock import today
from ..figures.store import refresh
from ..i18n import current_language
from ..models import StepFigure
from ..presentation import amount_text
from . import bp

NATIONAL_TARGET = 0.70


@dataclass
class FigureRow:
    step: str
    branch: str
    cases: int
    shown: bool  # enough cases behind it
    share: float
    median: str
    p90: str


@bp.get("/figures")
@allow("coordinator", "nurse")
def figures():
    db = database.session()
    library, language = current_app.extensions["library"], current_language()
    minimum = current_app.config["FIGURES_MIN_CASES"]
    kept = db.scalars(select(StepFigure).where(StepFigure.unit_id == g.account.unit_id)).all()
    pathways: dict[tuple[str, str], list[FigureRow]] = {}
    # Each pathway's steps in the pathway's own order, and a step's branches by their id.
    for figure in sorted(kept, key=lambda f: (library.get(f.pathway_id).definition.order(f.milestone),
                                             f.branch_value or "")):
        texts = library.get(figure.pathway_id).texts[language]
        branch = texts.branch_label(figure.branch_kind, figure.branch_value) if figure.branch_kind else ""
        pathways.setdefault((texts.title, figure.pathway_id), []).append(FigureRow(
            texts.labels["milestones"][figure.milestone]["name"], branch, figure.cases, figure.cases >= minimum,
            figure.within_norm / figure.cases, amount_text(figure.median, figure.count_unit),
            amount_text(figure.p90, figure.count_unit)))
    return render_template(
        "staff/figures.html", unit_name=g.account.unit.name, minimum=minimum, target=NATIONAL_TARGET,
        computed=max((figure.computed_at for figure in kept), default=None),
        refreshed=request.args.get("refreshed") == "1",
        pathways=[(title, pathway_id, rows) for (title, pathway_id), rows in sorted(pathways.items())])

@bp.post("/figures")
@allow("coordinator", "nurse")
def refresh_figures():
    db = database.session()
    refresh(db, current_app.extensions["library"], today(), unit_id=g.account.unit_id)
    record(db, g.account, "figures-refresh", None, f"unit {g.account.unit_id}")
    db.commit()
    return redirect(url_for("staff.figures", refreshed=1))
