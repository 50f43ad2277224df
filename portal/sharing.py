"""What a patient shares with relatives: invitations (a link with an expiry), acceptance by the
relative, changes to what they may see, and withdrawal. Every step is in the audit log."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from .audit import record
from .auth.secrets import digest, new_token
from .clock import now
from .models import Account, Patient, Share

SCOPES = ("see_appointments", "see_goals", "see_notes", "tell_news")
# A relative is told there is news only when they also see the timeline the news is about: a share
# whose timeline is not ticked tells nothing. TOLD_OF_NEWS is the same rule as a query's condition.
TOLD_OF_NEWS = Share.tell_news.is_(True) & Share.see_appointments.is_(True) & Share.withdrawn_at.is_(None)


def told_of_news(share: Share) -> bool:
    return share.tell_news and share.see_appointments and share.withdrawn_at is None


def invite(db, patient: Patient, by: Account, relative_name: str, relation: str | None,
           scopes: dict[str, bool], consent_note: str | None = None) -> tuple[Share, str]:
    """A new share waiting for the relative; returns it and the invitation token (shown once)."""
    token = new_token()
    created = now()
    share = Share(patient=patient, relative_name=relative_name, relation=relation or None,
                  invite_hash=digest(token), created_at=created, created_by=by.display_name,
                  invite_expires_at=created + timedelta(days=current_app.config["INVITATION_DAYS"]),
                  consent_note=consent_note or None, **{k: bool(scopes.get(k)) for k in SCOPES})
    db.add(share)
    db.flush()
    record(db, by, "share-invite", patient.id, f"share {share.id} with {relative_name}"
           + (f"; consent: {consent_note}" if consent_note else ""))
    return share, token


def find_invitation(db, token: str) -> Share | None:
    if not token or len(token) > 100:
        return None
    share = db.scalar(select(Share).where(Share.invite_hash == digest(token)))
    if share is None or share.accepted_at or share.withdrawn_at or share.invite_expires_at <= now():
        return None
    return share


def accept(db, share: Share, account: Account) -> None:
    share.account = account
    share.accepted_at = now()
    record(db, account, "share-accept", share.patient_id, f"share {share.id}")


def change_scopes(db, share: Share, by: Account, scopes: dict[str, bool]) -> None:
    for key in SCOPES:
        setattr(share, key, bool(scopes.get(key)))
    record(db, by, "share-change", share.patient_id,
           f"share {share.id}: " + ", ".join(f"{k}={getattr(share, k)}" for k in SCOPES))


def withdraw(db, share: Share, by: Account) -> None:
    if share.withdrawn_at is None:
        share.withdrawn_at = now()
        record(db, by, "share-withdraw", share.patient_id, f"share {share.id}")


def active_shares_for(db, account: Account) -> list[Share]:
    """The shares a relative can use now."""
    return list(db.scalars(select(Share).where(Share.account_id == account.id, Share.withdrawn_at.is_(None))
                           .order_by(Share.id)))


def share_for_relative(db, share_id: int, account: Account) -> Share | None:
    """The share if it is this relative's and still in force; otherwise nothing (the page says 404)."""
    share = db.get(Share, share_id)
    if share is None or share.account_id != account.id or share.withdrawn_at is not None:
        return None
    return share
