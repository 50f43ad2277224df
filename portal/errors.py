"""Error pages in the reader's language, JSON errors for the API, and for a unit's systems an
OperationOutcome under /fhir and JSON errors under /integration. Never a bare 500."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from . import database
from .addresses import BadNumber
from .fhir.elements import as_response
from .fhir.outcome import http_error
from .i18n import accepted_language


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _is_fhir() -> bool:
    return request.path == "/fhir" or request.path.startswith("/fhir/")


def _titles() -> dict[int, str]:
    return {
        400: _("We could not read that request"),
        401: _("Please log in first"),
        403: _("You do not have access to this page"),
        404: _("We could not find that page"),
        405: _("That is not possible on this page"),
        413: _("That was too much to send"),
        429: _("Too many attempts. Wait a minute and try again."),
        500: _("Something went wrong on our side"),
        503: _("The portal is not available right now"),
    }


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if _is_fhir() or request.path.startswith("/integration/"):
        return _for_systems(error, code)
    if _wants_json():
        return jsonify(errors=[{"field": None, "code": error.name.lower().replace(" ", "_"),
                                "message": error.description}]), code
    title = _titles().get(code, error.name)
    # Werkzeug's own descriptions are English and technical; only the portal's are shown.
    message = error.description if isinstance(error, BadNumber) else None
    return render_template("error.html", title=title, code=code, message=message), code


def _for_systems(error: HTTPException, code: int):
    """A system has no session: its Accept-Language says the language, and a 401 says to send a token."""
    with force_locale(accepted_language()):
        text = _titles().get(code, error.name)
    if _is_fhir():
        response = as_response(http_error(code, text), code)
    else:
        response = jsonify(errors=[{"element": None, "code": error.name.lower().replace(" ", "_"), "message": text}])
        response.status_code = code
    if code == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    return response


def handle_unstorable(error: DataError):
    """A value the database can neither store nor compare, which no check caught before it: a NUL
    character in text (PostgreSQL takes none; SQLite does). The request is at fault, not the
    portal; the warning names the value's way in, for the check it lacks."""
    current_app.logger.warning("The database refused a value on %s: %s", request.path, error.orig)
    database.discard_changes()
    return handle_http_error(BadRequest())


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error on %s", request.path)
    database.discard_changes()
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DataError, handle_unstorable)
    app.register_error_handler(Exception, handle_unexpected)
