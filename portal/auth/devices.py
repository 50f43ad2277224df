"""Devices a person has signed in on before (OWASP's "device cookies"). Five wrong passwords lock
an account for 15 minutes, but only for browsers the account has never signed in on: a stranger
guessing at someone's username cannot shut the owner out of her own phone. A known device has its
own count; after five wrong passwords on it, it is a stranger too.

The cookie holds the account's id and the device's count of wrong passwords, signed with the
portal's secret key, so it cannot be made or changed by hand. Nothing is kept on the server."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from ..models import Account

COOKIE = "known_device"
MAX_FAILURES = 5
KEPT_SECONDS = 365 * 24 * 3600


@dataclass(frozen=True)
class KnownDevice:
    account_id: int
    failures: int


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="known-device")


def this_device() -> KnownDevice | None:
    """The account this browser signed in to before, if its cookie is genuine."""
    try:
        account_id, failures = _signer().loads(request.cookies.get(COOKIE, ""))
    except (BadSignature, ValueError, TypeError):
        return None
    return KnownDevice(account_id, failures) if isinstance(account_id, int) and isinstance(failures, int) else None


def remember(response: Response, account: Account) -> None:
    """A successful sign-in: this browser is known to the account from now on (its count reset)."""
    _set(response, KnownDevice(account.id, 0))


def count_wrong_password(response: Response, device: KnownDevice) -> None:
    """A wrong password on a known device: counted there, and after MAX_FAILURES it is forgotten."""
    if device.failures + 1 >= MAX_FAILURES:
        response.delete_cookie(COOKIE)
    else:
        _set(response, KnownDevice(device.account_id, device.failures + 1))


def _set(response: Response, device: KnownDevice) -> None:
    response.set_cookie(COOKIE, _signer().dumps([device.account_id, device.failures]), max_age=KEPT_SECONDS,
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
