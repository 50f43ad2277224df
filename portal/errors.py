"""Error pages in the reader's language, and JSON errors for the API. Never a bare 500."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from . import database


def _wants_json() -> bool:
    return request.path.startswith("/api/")


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
    if _wants_json():
        return jsonify(errors=[{"field": None, "code": error.name.lower().replace(" ", "_"),
                                "message": error.description}]), code
    title = _titles().get(code, error.name)
    return render_template("error.html", title=title, code=code), code


def handle_unexpected(error: Exception):
    current_app.logger.exception("Unhandled error on %s", request.path)
    database.discard_changes()
    return handle_http_error(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
