"""Pathway codes as CSV for a unit's systems: the columns of portal.imports.read_csv in, and the
unit's coded events out (portal.exports), the same as the command line's import and export."""
from __future__ import annotations

from flask import Response, current_app, g, jsonify

from .. import clock, database
from ..audit import record
from ..auth.access import system
from ..exports import as_csv, coded_rows
from ..imports import Refusal, apply, read_csv
from ..timeline import Problem
from . import Refused, body, bp, save


@bp.post("/integration/v1/codes")
@system
def import_codes():
    try:
        text = body("body").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused([Refusal("body", Problem("", "not_utf8"))], 400) from None
    outcome = apply(database.session(), g.client, g.client.unit, read_csv(current_app.extensions["library"], text),
                    clock.today())
    unreadable = any(r.problem.code in ("csv_columns", "too_long") for r in outcome.refusals)
    save(outcome.refusals, 400 if unreadable else 422)
    return jsonify(outcome.as_dict())


@bp.get("/integration/v1/codes.csv")
@system
def export_codes():
    db = database.session()
    unit = g.client.unit
    rows = coded_rows(db, current_app.extensions["library"], unit)
    record(db, g.client, "codes-exported", None, f"{len(rows)} events of unit {unit.id}")
    db.commit()
    return Response(as_csv(rows), mimetype="text/csv")
