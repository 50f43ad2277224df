"""Public pages: every pathway explained, for anyone, without logging in."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request

from .. import database
from ..auth.access import public
from ..clock import today
from ..figures.store import units_with_figures
from ..figures.words import usual_sentences
from ..i18n import current_language
from ..models import Unit
from ..presentation import build_timeline_view, explain_pathway
from ..problem_messages import problem_message
from ..timeline import Options, Problem, TimelineInputError, compute_timeline
from .own_dates import entered_events, form_fields, placed
from .search import search

bp = Blueprint("public", __name__)

CATEGORIES = ("cancer", "mental_health", "long_term", "home")


def _pathway_or_404(pathway_id: str):
    pathway = current_app.extensions["library"].get(pathway_id)
    if pathway is None or not pathway.definition.listed:
        abort(404)
    return pathway


@bp.get("/")
@public
def index():
    """Every listed pathway, grouped; with `?q=`, the ones the words find."""
    language = current_language()
    library = current_app.extensions["library"]
    query = request.args.get("q", "").strip()[:100]
    found = [(p.id, p.texts[language]) for p in search(library, query)] if query else None
    groups = []
    for category in CATEGORIES:
        pathways = sorted((p for p in library.listed() if p.definition.category == category),
                          key=lambda p: p.texts[language].title.casefold())
        if pathways:
            groups.append((category, [(p.id, p.texts[language]) for p in pathways]))
    return render_template("public/index.html", groups=groups, query=query, found=found)


@bp.get("/glossary")
@public
def glossary():
    entries = current_app.extensions["library"].glossary[current_language()]
    return render_template("public/glossary.html", entries=entries)


@bp.get("/pathways/<pathway_id>")
@public
def pathway(pathway_id: str):
    """With `?unit=`, beside each normal time: how long the step usually took at that unit."""
    found = _pathway_or_404(pathway_id)
    language = current_language()
    unit, usual = _chosen_unit(found.id)
    return render_template(
        "public/pathway.html",
        pathway=found,
        texts=found.texts[language],
        explained=explain_pathway(found, language, today(), usual),
        form=form_fields(found, language),
        values={},
        unit=unit,
    )


def _chosen_unit(pathway_id: str) -> tuple[Unit | None, dict]:
    """The unit `?unit=` names, among those with figures to show, and their sentences. The database
    is read only when a unit is asked for: the plain page stays free of it."""
    asked = request.args.get("unit")
    if not asked:
        return None, {}
    db = database.session()
    unit = next((u for u in units_with_figures(db, pathway_id, current_app.config["FIGURES_MIN_CASES"])
                 if str(u.id) == asked), None)
    return (unit, usual_sentences(db, unit.id, pathway_id)) if unit else (None, {})


@bp.get("/pathways/<pathway_id>/units")
@public
def units(pathway_id: str):
    """The units whose figures can be shown beside this pathway's normal times."""
    found = _pathway_or_404(pathway_id)
    shown = units_with_figures(database.session(), found.id, current_app.config["FIGURES_MIN_CASES"])
    return render_template("public/units.html", pathway=found, texts=found.texts[current_language()], units=shown)


@bp.get("/pathways/<pathway_id>/dates")
@public
def dates(pathway_id: str):
    """The normal dates for someone in this pathway, from the dates (and outcomes) they enter:
    nothing is stored."""
    found = _pathway_or_404(pathway_id)
    language = current_language()
    fields = form_fields(found, language)
    events, errors = entered_events(fields)
    options = {}
    for branch in fields["branches"]:
        kind, value = branch["name"], request.args.get(branch["name"], "")
        if value and value not in dict(branch["choices"]):
            errors.append((kind, branch["label"], problem_message(Problem(kind, f"unknown_{kind}", {"value": value}))))
        elif value:
            options[kind] = value
    if not events and not errors:
        first = fields["steps"][0]
        errors.append((first["name"], first["label"], problem_message(Problem(first["name"], "missing"))))
    view = None
    if not errors:
        try:
            timeline = compute_timeline(found.definition, [e for _, e in events], today(), Options(**options))
            view = build_timeline_view(timeline, found, language)
        except TimelineInputError as error:
            errors += [placed(problem, events, fields) for problem in error.problems]
    status = 400 if errors else 200
    return render_template(
        "public/dates.html" if view else "public/pathway.html",
        pathway=found,
        texts=found.texts[language],
        explained=explain_pathway(found, language, today()),
        form=fields,
        values=request.args,
        errors=errors,
        view=view,
    ), status
