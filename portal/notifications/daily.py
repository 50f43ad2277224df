"""The daily job: the news no save causes. A step whose normal date has gone by with nothing
recorded (the patient is told gently what to do, and the worklist puts the pathway first), a
result expected within two days, and the monthly reminder. Each message has a reason, so running
the job twice in a day, or on the next day, does not tell anyone the same thing twice."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Account, Enrolment, ExpectedResult, NotificationChoice, Share
from ..sharing import TOLD_OF_NEWS
from .queueing import queue_news

RESULT_SOON_DAYS = 2


def run_daily(db: Session, day: date) -> dict[str, int]:
    """Queue the day's messages; returns how many of each were queued. The caller commits."""
    counts = {"passed": 0, "result_soon": 0, "monthly": 0}
    passed = db.execute(select(Enrolment.id, Enrolment.patient_id, Enrolment.next_milestone, Enrolment.next_expected_by)
                        .where(Enrolment.state == "active", Enrolment.next_expected_by < day)).all()
    if passed:
        # A plain UPDATE of the table: not a new version of the enrolment, so no form open on it is
        # stopped as out of date, and the patient's page is not rendered again for it.
        db.execute(update(Enrolment.__table__)
                   .where(Enrolment.id.in_([row.id for row in passed]), Enrolment.no_news_since.is_(None))
                   .values(no_news_since=day))
    for row in passed:
        reason = f"passed:{row.id}:{row.next_milestone}:{row.next_expected_by}"
        counts["passed"] += len(queue_news(db, [row.patient_id], "passed", reason=reason, relatives=False))
    soon = db.execute(select(ExpectedResult.id, ExpectedResult.expected_by, Enrolment.patient_id)
                      .join(Enrolment, ExpectedResult.enrolment_id == Enrolment.id)
                      .where(Enrolment.state == "active", ExpectedResult.received_on.is_(None),
                             ExpectedResult.withdrawn_at.is_(None),
                             ExpectedResult.expected_by.between(day, day + timedelta(days=RESULT_SOON_DAYS)))).all()
    for row in soon:
        reason = f"result:{row.id}:{row.expected_by}"
        counts["result_soon"] += len(queue_news(db, [row.patient_id], "result_soon", reason=reason))
    monthly = _patients_with_monthly_reminders(db)
    if monthly:
        counts["monthly"] = len(queue_news(db, monthly, "monthly", reason=f"monthly:{day:%Y-%m}"))
    return counts


def _patients_with_monthly_reminders(db: Session) -> list[int]:
    """Patients in a pathway now who, or whose relatives, asked for the monthly reminder."""
    wants = NotificationChoice.topics.contains("monthly")
    own = (select(Account.patient_id).join(NotificationChoice, NotificationChoice.account_id == Account.id)
           .where(wants, Account.patient_id.is_not(None)))
    shared = (select(Share.patient_id).join(NotificationChoice, NotificationChoice.account_id == Share.account_id)
              .where(wants, TOLD_OF_NEWS))
    return list(db.scalars(select(Enrolment.patient_id).distinct()
                           .where(Enrolment.state == "active", Enrolment.patient_id.in_(own.union(shared)))))
