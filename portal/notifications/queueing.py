"""Who is told, and when: the recipients of news about a patient, quiet hours, and at most one
message a day per person unless a date moved."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..clock import NORWAY, in_norway, now
from ..models import Account, Notification, NotificationChoice, Share
from ..sharing import TOLD_OF_NEWS
from . import TOPICS

# Fields whose change moves a date: such news is sent even if the person had a message today.
_DATE_FIELDS = ("starts_at", "expected_by", "date")
# The ids queued in a transaction, handed to the job worker once it is committed.
_QUEUED = "notifications.queued"


def news_of(change: dict) -> tuple[str, bool] | None:
    """The topic of a change to a record (a row of the history, portal.history), and whether it
    moved a date; None for changes nobody is told about (contact cards, goals, personal details)."""
    subject, action = change["subject"], change["action"]
    if subject == "event":
        return "step", action in ("corrected", "withdrawn")
    if subject == "expected_result" and action == "received":
        return "step", False
    if subject in ("appointment", "expected_result"):
        return "new_date", action == "cancelled" or _date_moved(change)
    if subject in ("plan", "delay_note"):
        return "new_date", False
    return None


def _date_moved(change: dict) -> bool:
    before = json.loads(change["before"]) if change["before"] else {}
    after = json.loads(change["after"]) if change["after"] else {}
    return any(name in before and before[name] != after.get(name) for name in _DATE_FIELDS)


def queue_for_changes(db: Session, changes: list[dict]) -> None:
    """Queue the news of changes just made to patients' records (rows of the history)."""
    news: dict[int, tuple[str, bool]] = {}
    for change in changes:
        found = news_of(change)
        if found is None:
            continue
        topic, moved = found
        earlier = news.get(change["patient_id"])
        # One message per patient and save: a moved date wins, as it passes the daily limit.
        if earlier is None or (moved and not earlier[1]):
            news[change["patient_id"]] = (topic, moved)
    for topic, moved in set(news.values()):
        queue_news(db, [patient for patient, found in news.items() if found == (topic, moved)], topic, moved)


def queue_news(db: Session, patient_ids: list[int], topic: str, moved: bool = False,
               reason: str | None = None, relatives: bool = True) -> list[Notification]:
    """Queue a message about `topic` to everyone who asked to hear of it about these patients: the
    patient, and relatives the patient lets be told. Nobody gets a second message while one is
    waiting, nor a second in a day unless a date moved. `reason` names a daily job's message,
    which is never queued twice for a person. `relatives=False`: the patient alone."""
    wanted = [(patient_id, choice) for patient_id, choice in recipients(db, patient_ids, relatives)
              if topic in choice.topic_list]
    if not wanted:
        return []
    accounts = {choice.account_id for _, choice in wanted}
    busy = _told_today_or_waiting(db, accounts, moved)
    if reason:
        busy |= set(db.scalars(select(Notification.account_id).where(
            Notification.account_id.in_(accounts), Notification.reason == reason)))
    moment = now()
    send_after = after_quiet_hours(moment)
    queued = []
    for _, choice in wanted:
        if choice.account_id in busy:
            continue
        busy.add(choice.account_id)
        queued.append(Notification(
            account_id=choice.account_id, topic=topic, reason=reason, channel=choice.channel,
            address=choice.email if choice.channel == "email" else choice.phone, language=choice.language,
            created_at=moment, send_after=send_after, status="waiting", attempts=0))
    db.add_all(queued)
    db.flush()
    if send_after <= moment:
        hand_over_after_commit(db, [n.id for n in queued])
    return queued


def hand_over_after_commit(db: Session, notification_ids: list[int]) -> None:
    """Put these messages on the worker's queue once the transaction is committed (not before:
    the worker must find them in the database)."""
    db.info.setdefault(_QUEUED, []).extend(notification_ids)


def recipients(db: Session, patient_ids: list[int], relatives: bool = True) -> list[tuple[int, NotificationChoice]]:
    """(patient id, choice) for every active account that chose a channel: the patients' own, and
    their relatives' where the patient lets them be told."""
    own = (select(Account.patient_id, NotificationChoice)
           .join(Account, Account.id == NotificationChoice.account_id)
           .where(Account.patient_id.in_(patient_ids)))
    shared = (select(Share.patient_id, NotificationChoice)
                 .join(Share, Share.account_id == NotificationChoice.account_id)
                 .join(Account, Account.id == NotificationChoice.account_id)
                 .where(Share.patient_id.in_(patient_ids), TOLD_OF_NEWS))
    found = []
    for query in (own, shared) if relatives else (own,):
        found += [(patient_id, choice) for patient_id, choice in db.execute(
            query.where(Account.is_active.is_(True), NotificationChoice.channel != "none"))]
    return found


def _told_today_or_waiting(db: Session, accounts: set[int], moved: bool) -> set[int]:
    """The accounts with news on its way, and, unless a date moved, those sent news today (a message
    about the account itself, such as an activation code, does not count)."""
    start_of_day = datetime.combine(in_norway(now()).date(), time(0), NORWAY)
    query = select(Notification.account_id).where(Notification.account_id.in_(accounts),
                                                  Notification.topic.in_(TOPICS))
    waiting = Notification.status == "waiting"
    if not moved:
        waiting = waiting | ((Notification.created_at >= start_of_day) & (Notification.status != "dropped"))
    return set(db.scalars(query.where(waiting)))


def after_quiet_hours(moment: datetime) -> datetime:
    """`moment`, or the end of the quiet hours (QUIET_HOURS, Norwegian time) if it falls in them."""
    start, end = current_app.config["QUIET_HOURS"]
    local = in_norway(moment)
    quiet = (start <= local.hour or local.hour < end) if start > end else (start <= local.hour < end)
    if not quiet:
        return moment
    day = local.date() + timedelta(days=1) if local.hour >= end else local.date()
    return datetime.combine(day, time(end), NORWAY)


@event.listens_for(Session, "after_commit")
def _hand_to_worker(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued:
        current_app.extensions["jobs"].deliver_soon(queued)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_QUEUED, None)

