"""Who has looked at or changed the patient's record, and when (as helsenorge shows it)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from .. import database
from ..auth.access import allow
from ..i18n import local_time
from ..labels import role_name
from ..models import AuditEntry
from . import bp

SHOWN = 200
# Every kind of change to the record ends its audit action with what was done (portal.history).
CHANGES = ("-added", "-changed", "-corrected", "-withdrawn", "-cancelled", "-removed", "-received", "-drafted",
           "-shared", "-done", "-imported")


@dataclass
class Entry:
    when: str
    who: str
    what: str


def _what(action: str) -> str:
    named = {"read": _("looked at it"), "print": _("printed it"), "sign-in": _("logged in"),
             "sign-in-failed": _("log in failed: wrong password"),
             "sign-in-refused": _("log in refused after too many wrong passwords"),
             "activate": _("chose a password"), "issue-activation": _("made an activation code"),
             "activation-not-sent": _("asked for a new activation code, but there was no address to send it to"),
             "share-invite": _("invited a relative"), "share-accept": _("accepted an invitation"),
             "share-change": _("changed what a relative sees"), "share-withdraw": _("stopped a relative's access"),
             "create": _("created the record"), "fhir-read": _("fetched it to the hospital's system"),
             "sign-out-everywhere": _("logged out everywhere"),
             "notification-choice": _("chose how to be told there is news"),
             "goal-draft-deleted": _("deleted a draft of a goal")}
    if action in named:
        return named[action]
    return _("changed something") if action.endswith(CHANGES) else action


def _who(entry: AuditEntry) -> str:
    if entry.actor_account_id is not None and entry.actor_account_id == g.account.id:
        return _("You")
    if not entry.actor_role:
        # The portal's own commands ("cli:demo") are named in words, not by their internal name.
        return _("Forløp itself, when it was set up") if entry.actor.startswith("cli:") else entry.actor
    where = f", {entry.actor_unit}" if entry.actor_unit else ""
    return f"{entry.actor} ({role_name(entry.actor_role).lower()}{where})"


@bp.get("/my/access-log")
@allow("patient")
def access_log():
    db = database.session()
    found = db.scalars(select(AuditEntry).where(AuditEntry.patient_id == g.account.patient_id)
                       .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(SHOWN))
    entries = [Entry(local_time(entry.at), _who(entry), _what(entry.action)) for entry in found]
    return render_template("patient/access_log.html", entries=entries, shown=SHOWN)
