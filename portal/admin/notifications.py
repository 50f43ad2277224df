"""The admin's view of the outbox: how many messages wait, and the dead-letter list (messages that
failed after every retry, and those a worker may have died sending). The admin sends one again or
lets it go. Recipients are shown by account number and role only: the admin reads no patient data."""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import database
from ..auth.access import allow
from ..clock import now
from ..models import Notification
from ..notifications.sending import MAX_ATTEMPTS, drop, send_again
from . import bp

NEEDS_A_DECISION = ("failed", "unsure")


@bp.get("/notifications")
@allow("admin")
def notifications():
    db = database.session()
    counts = dict(db.execute(select(Notification.status, func.count()).group_by(Notification.status)).all())
    oldest_due = db.scalar(select(func.min(Notification.send_after))
                           .where(Notification.status == "waiting", Notification.send_after <= now()))
    stuck = db.scalars(select(Notification).where(Notification.status.in_(NEEDS_A_DECISION))
                       .order_by(Notification.id.desc()).limit(200)).all()
    return render_template("admin/notifications.html", counts=counts, stuck=stuck, oldest_due=oldest_due,
                           max_attempts=MAX_ATTEMPTS,
                           done=request.args.get("done") if request.args.get("done") in ("again", "dropped") else None)


@bp.post("/notifications/<int:notification_id>")
@allow("admin")
def decide(notification_id: int):
    db = database.session()
    notification = db.get(Notification, notification_id)
    if notification is None or notification.status not in NEEDS_A_DECISION:
        abort(404)
    if request.form.get("decision") == "again":
        send_again(db, notification, g.account)
    elif request.form.get("decision") == "drop":
        drop(db, notification, g.account)
    else:
        abort(400)
    db.commit()
    return redirect(url_for("admin.notifications", done="again" if notification.status == "waiting" else "dropped"))
