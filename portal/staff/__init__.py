"""The care team's workspace: the worklist of their unit, and each patient's record, kept true by
coordinators and nurses. Staff see only patients of their own unit."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/staff")

from . import events, figures, goals, held_events, patients, plans, relatives, worklist  # noqa: E402,F401  (routes join bp)
