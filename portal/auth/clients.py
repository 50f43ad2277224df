"""API clients: the systems of a unit (a hospital's integration engine) that send pathway events
and read their patients' pathways. A client proves who it is with a bearer token made when the
admin creates it, shown once; only its SHA-256 is stored. It sees only its own unit's patients, and
a revoked client is refused at once. No browser session opens these routes, and no client opens a
page."""
from __future__ import annotations

from datetime import timedelta

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..audit import record
from ..clock import now
from ..models import Account, ApiClient, Unit
from .secrets import digest, new_token

_PREFIX = "forlop_"
# How often the time a client was last seen is written: not on every request.
_SEEN_EVERY = timedelta(minutes=10)


def create_client(db: Session, name: str, unit: Unit, by: Account | str) -> tuple[ApiClient, str]:
    """A new client and its token (the caller shows the token once and commits). `by` is the admin,
    or the portal itself by name ("cli:demo")."""
    token = _PREFIX + new_token()
    client = ApiClient(name=name, unit=unit, secret_hash=digest(token), created_at=now(),
                       created_by=by if isinstance(by, str) else by.display_name)
    db.add(client)
    db.flush()
    record(db, by, "api-client-created", None, f"api client {client.id} ({unit.name})")
    return client, token


def revoke(db: Session, client: ApiClient, by: Account) -> None:
    client.revoked_at = now()
    record(db, by, "api-client-revoked", None, f"api client {client.id}")


def client_from_request(db: Session) -> ApiClient | None:
    """The active client whose token the request carries (`Authorization: Bearer ...`), or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(_PREFIX):
        return None
    client = db.scalar(select(ApiClient).where(ApiClient.secret_hash == digest(token.strip()))
                       .options(joinedload(ApiClient.unit)))
    if client is None or client.revoked_at is not None:
        return None
    if client.last_used_at is None or now() - client.last_used_at > _SEEN_EVERY:
        client.last_used_at = now()
        db.commit()
    return client
