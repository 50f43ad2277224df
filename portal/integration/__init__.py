"""The API of a unit's own systems (a hospital's integration engine), which prove who they are with
an API client's bearer token (portal.auth.clients): FHIR R4 under /fhir (fhir.py) and pathway codes
as CSV under /integration/v1 (codes.py). Every route is @system and counts against one rate limit
per client; a request body is read through `body()`, which stops at SYSTEM_MAX_BYTES whatever the
request says its size is (a chunked body says nothing)."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import force_locale
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict

from .. import database
from ..errors import handle_http_error
from ..fhir.elements import as_response
from ..fhir.outcome import refused
from ..i18n import accepted_language
from ..imports import Refusal
from ..problem_messages import problem_message
from ..rate_limits import limiter
from ..timeline import Problem

bp = Blueprint("integration", __name__)

limiter.shared_limit(lambda: current_app.config["SYSTEM_RATE_LIMIT"], scope="system",
                     key_func=lambda: f"client:{g.client.id}")(bp)


class Refused(Exception):
    """A request refused, with what is wrong where: answered as an OperationOutcome under /fhir,
    as JSON errors under /integration."""

    def __init__(self, refusals: list[Refusal], status: int):
        super().__init__(f"{status}: {len(refusals)} problem(s)")
        self.refusals, self.status = refusals, status


def body(element: str) -> bytes:
    """The request body, read up to one byte past the limit so that more than the limit is noticed."""
    limit = current_app.config["SYSTEM_MAX_BYTES"]
    too_large = Refused([Refusal(element, Problem("", "too_long"))], 413)
    if (request.content_length or 0) > limit:
        raise too_large
    chunks, size = [], 0
    while size <= limit:
        chunk = request.stream.read(limit + 1 - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        raise too_large
    return b"".join(chunks)


def save(refusals: list[Refusal], status: int) -> None:
    """Keep all the request did, or, with any refusal, none of it."""
    db = database.session()
    if refusals:
        db.rollback()
        raise Refused(refusals, status)
    db.commit()


@bp.errorhandler(Refused)
def answer_refused(error: Refused):
    with force_locale(accepted_language()):
        if request.path.startswith("/fhir"):
            return as_response(refused(error.refusals, error.status), error.status)
        errors = [{"element": r.element, "code": r.problem.code, "message": problem_message(r.problem)}
                  for r in error.refusals]
    return jsonify(errors=errors), error.status


@bp.errorhandler(StaleDataError)
def changed_meanwhile(_error):
    """Someone saved the same record in the same instant: nothing of this request is kept."""
    database.discard_changes()
    return handle_http_error(Conflict())


from . import codes, fhir  # noqa: E402,F401  (routes join bp)
