"""Personal links: a long random token for the patient, only its hash in the database."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from .audit import now
from .models import Patient, PersonalLink


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(db, patient: Patient, days_valid: int) -> str:
    """Create a link for `patient` and return its token; the token itself is never stored."""
    token = secrets.token_urlsafe(32)
    created = now()
    db.add(PersonalLink(patient=patient, token_hash=_hash(token), created_at=created,
                        expires_at=created + timedelta(days=days_valid)))
    return token


def is_valid(link) -> bool:
    """A link (or a row with its `revoked_at` and `expires_at`) that may still be used."""
    return link is not None and link.revoked_at is None and link.expires_at > now()


def resolve(db, token: str) -> PersonalLink | None:
    """The link if the token is known, unexpired and not revoked."""
    if not token or len(token) > 100:
        return None
    link = db.scalar(select(PersonalLink).where(PersonalLink.token_hash == _hash(token)))
    return link if is_valid(link) else None
