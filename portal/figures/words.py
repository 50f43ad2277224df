"""The figures in plain words, in the reader's language: what usually happened at this unit, never a
promise, and nothing at all when too few cases stand behind a figure."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from ..models import StepFigure
from ..presentation import amount_text
from .store import figures_for


def shown(figure: StepFigure | None) -> bool:
    return figure is not None and figure.cases >= current_app.config["FIGURES_MIN_CASES"]


def usual_sentence(figure: StepFigure | None) -> str:
    """"At this unit, in the last 12 months, 9 in 10 reached this step within 12 days (half within
    7 days).", or "" when there is no figure to show."""
    if not shown(figure):
        return ""
    return _("At this unit, in the last 12 months, 9 in 10 reached this step within %(p90)s "
             "(half within %(median)s).", p90=amount_text(figure.p90, figure.count_unit),
             median=amount_text(figure.median, figure.count_unit))


def usual_sentences(db, unit_id: int | None, pathway_id: str) -> dict:
    """The sentences of a unit's pathway, by (step, branch), for the figures worth showing."""
    return {key: usual_sentence(figure) for key, figure in figures_for(db, unit_id, pathway_id).items()
            if shown(figure)}
