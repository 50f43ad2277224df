"""The JSON API, version 1: pathways with their norm times, and timelines computed on request."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request, url_for

from ..auth.access import public
from ..problem_messages import problems_as_json
from ..timeline import Problem
from ..timeline_request import RequestProblems, compute_from_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_BODY = 256 * 1024


def _library():
    return current_app.extensions["library"]


def _error(problems, status=400):
    return jsonify(errors=problems_as_json(problems)), status


@bp.post("/timeline")
@public
def timeline():
    # A body in chunks has no length up front: it is read (at most MAX_CONTENT_LENGTH) and measured.
    if (request.content_length or 0) > MAX_BODY or len(body := request.get_data(cache=True)) > MAX_BODY:
        return jsonify(errors=[{"field": None, "code": "too_large", "message": "Request body too large"}]), 413
    try:
        return jsonify(compute_from_json(_library(), body))
    except RequestProblems as error:
        status = 404 if [p.code for p in error.problems] == ["unknown_pathway"] else 400
        return _error(error.problems, status)


@bp.get("/pathways")
@public
def pathways():
    return jsonify(pathways=[_summary(p) for p in _library().listed()])


@bp.get("/pathways/<pathway_id>")
@public
def pathway(pathway_id: str):
    found = _library().get(pathway_id)
    if found is None:
        return _error([Problem("pathway", "unknown_pathway", {"value": pathway_id})], 404)
    return jsonify({**_summary(found), "definition": found.definition_json()})


def _summary(pathway) -> dict:
    return {
        "id": pathway.id,
        "shape": pathway.definition.shape,
        "category": pathway.definition.category,
        "version": pathway.definition.version,
        "names": {lang: texts.title for lang, texts in pathway.texts.items()},
        "url": url_for("api.pathway", pathway_id=pathway.id),
        "page": url_for("public.pathway", pathway_id=pathway.id),
    }
