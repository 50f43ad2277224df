"""Events from the hospital's own systems that wait for a person: the system named someone by a
national id that no patient of the unit has. Staff of the unit see them, apply one once the person
is registered (the same import as the system's own, see portal.imports.apply_held), or dismiss it.
An event is only ever applied to the patient who has its number."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import database
from ..auth.access import allow
from ..clock import today
from ..i18n import current_language, day_of_record, local_time
from ..identity import spaced
from ..imports import apply_held, dismiss_held, held_for
from ..labels import code_words
from ..models import HeldEvent, Patient
from ..problem_messages import problem_message
from ..read_audit import shown
from ..unit_scope import in_unit
from . import bp

# What the list says after an action (?done=...): only these keys are shown.
_DONE = {"applied": _l("The event is now on the patient's timeline."),
         "dismissed": _l("The event is dismissed. It is no longer on the list."),
         "already": _l("Someone has already applied or dismissed this event.")}


@dataclass
class HeldRow:
    """One waiting event, in words, with the patient of the unit who has its number (if any)."""

    id: int
    what: str  # the pathway and the step its code records
    national_id: str
    code: str
    day: str
    received_from: str
    received_at: str
    patient: Patient | None


def _rows(db, held: list[HeldEvent]) -> list[HeldRow]:
    library, language = current_app.extensions["library"], current_language()
    numbers = {h.national_id for h in held}
    patients = {p.national_id: p for p in db.scalars(
        select(Patient).where(Patient.national_id.in_(numbers), in_unit(g.account.unit_id)))} if numbers else {}
    rows = []
    for h in held:
        words = code_words(library, h.code, h.date, language)
        what = f"{words[0]}: {words[1]}" if words else _("A pathway code we do not know")
        rows.append(HeldRow(h.id, what, spaced(h.national_id), h.code, day_of_record(h.date), h.received_from,
                            local_time(h.received_at), patients.get(h.national_id)))
    return rows


def _page(db, refused: tuple[int, list[str]] | None = None) -> str:
    """The list; `refused`: the event that could not be applied, with the reasons in words."""
    done = request.args.get("done")
    rows = _rows(db, held_for(db, g.account.unit_id))
    shown(db, [row.patient.id for row in rows if row.patient], "waiting events")
    db.commit()
    return render_template("staff/held_events.html", rows=rows, unit_name=g.account.unit.name, done=_DONE.get(done),
                           refused=refused)


def _held_or_404(db, held_id: int) -> HeldEvent:
    """An event of the signed-in person's unit; another unit's answers 404, as if it did not exist."""
    held = db.get(HeldEvent, held_id)
    if held is None or held.unit_id != g.account.unit_id:
        abort(404)
    return held


@bp.get("/held-events")
@allow("coordinator", "nurse")
def held_events():
    return _page(database.session())


@bp.post("/held-events/<int:held_id>/apply")
@allow("coordinator", "nurse")
def apply_held_event(held_id: int):
    db = database.session()
    held = _held_or_404(db, held_id)
    if held.resolution is not None:  # sent twice, or by two people at once
        return redirect(url_for("staff.held_events", done="already"))
    outcome = apply_held(db, g.account, held, today())
    if outcome.held:
        db.rollback()
        return _page(db, (held_id, [_("No patient of the unit has this number yet. Register the patient "
                                           "with the number first, then apply the event.")]))
    if outcome.refusals:
        db.rollback()
        return _page(db, (held_id, [problem_message(r.problem) for r in outcome.refusals]))
    db.commit()
    return redirect(url_for("staff.held_events", done="applied"))


@bp.post("/held-events/<int:held_id>/dismiss")
@allow("coordinator", "nurse")
def dismiss_held_event(held_id: int):
    db = database.session()
    held = _held_or_404(db, held_id)
    if held.resolution is not None:
        return redirect(url_for("staff.held_events", done="already"))
    dismiss_held(db, g.account, held)
    db.commit()
    return redirect(url_for("staff.held_events", done="dismissed"))
