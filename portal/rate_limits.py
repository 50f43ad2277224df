"""Rate limits on the forms where someone could guess: sign-in, activation codes, invitations.
Counted per client address (behind proxies, the one the last of `PROXY_COUNT` proxies saw); kept
in `RATELIMIT_STORAGE_URI`: each process's memory, or Redis, which every process and server
shares, so two workers do not allow twice the guesses."""
from __future__ import annotations

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address)


def guessing_limit() -> str:
    return current_app.config["GUESSING_RATE_LIMIT"]
