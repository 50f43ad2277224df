"""Rate limits on the forms where someone could guess: sign-in, activation codes, invitations.
Counted per client address; `RATELIMIT_STORAGE_URI` can point at a shared store (Redis) when
several servers run the portal."""
from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address)


def guessing_limit() -> str:
    return current_app.config["GUESSING_RATE_LIMIT"]
