"""Sending the outbox, at most once per message.

A worker claims a message (waiting -> sending) and commits before it sends, so no other worker,
nor this one after a crash, takes it again. A failed send goes back to waiting for a later try,
and after MAX_ATTEMPTS it is "failed": the dead-letter list the admin sees. A claim older than
CLAIM_TIMEOUT means the worker died while sending: the message may or may not have gone, so it is
"unsure" and the admin decides, rather than risk telling someone twice."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..audit import record
from ..auth.accounts import is_usable, new_code_for
from ..clock import now
from ..models import Notification
from .channels import SendFailed, send_email, send_sms
from .messages import compose
from .queueing import hand_over_after_commit

MAX_ATTEMPTS = 5
CLAIM_TIMEOUT = timedelta(minutes=10)
DUE_AT_ONCE = 500


def retry_delay(attempts: int) -> timedelta:
    """2, 4, 8, 16 minutes: a gateway that is down for half an hour loses nothing."""
    return timedelta(minutes=2**attempts)


def deliver(db: Session, notification_id: int) -> str | None:
    """Send one message if it is waiting and due; returns its status after, or None if it was not
    this worker's to send."""
    claimed = db.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "waiting",
               Notification.send_after <= now())
        .values(status="sending", claimed_at=now(), attempts=Notification.attempts + 1))
    db.commit()
    if claimed.rowcount != 1:
        return None
    notification = db.get(Notification, notification_id)
    activation = notification.activation
    if activation is not None and not is_usable(activation):
        # A newer code replaced it, it was used, it expired or the account was closed meanwhile.
        notification.status, notification.last_error = "dropped", "the activation code can no longer be used"
        db.commit()
        return notification.status
    try:
        code = None
        if activation is not None:
            code = new_code_for(activation)
            db.commit()  # the code works before it leaves: a crash after sending must not have sent a dead one
        subject, body = compose(notification, code)
        if notification.channel == "email":
            send_email(current_app.config, notification.address, subject, body)
        else:
            send_sms(current_app.config, notification.address, body)
    except SendFailed as error:
        notification.last_error = str(error)[:300]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = "failed"
        else:
            notification.status = "waiting"
            notification.send_after = now() + retry_delay(notification.attempts)
    except Exception as error:  # a fault of the portal's own: it did not go, and trying again won't help
        current_app.logger.exception("Notification %s could not be made", notification_id)
        notification.status, notification.last_error = "failed", f"{type(error).__name__}: {error}"[:300]
    else:
        notification.status, notification.sent_at = "sent", now()
    db.commit()
    return notification.status


def due(db: Session) -> list[int]:
    """The messages to hand to the worker now; marks claims a dead worker left as unsure."""
    db.execute(update(Notification)
               .where(Notification.status == "sending", Notification.claimed_at < now() - CLAIM_TIMEOUT)
               .values(status="unsure"))
    found = list(db.scalars(select(Notification.id)
                            .where(Notification.status == "waiting", Notification.send_after <= now())
                            .order_by(Notification.send_after).limit(DUE_AT_ONCE)))
    db.commit()
    return found


def send_again(db: Session, notification: Notification, by) -> None:
    """The admin's choice for a failed or unsure message: try it again from now."""
    notification.status, notification.attempts, notification.send_after = "waiting", 0, now()
    notification.claimed_at = None
    hand_over_after_commit(db, [notification.id])
    record(db, by, "notification-send-again", None, f"notification {notification.id}")


def drop(db: Session, notification: Notification, by) -> None:
    notification.status = "dropped"
    record(db, by, "notification-drop", None, f"notification {notification.id}")
