"""Signing in as Norwegian health services do, with OpenID Connect: patients with ID-porten, staff
with HelseID. The authorization code flow with PKCE (S256), asking for security level substantial;
the person is named by their fødselsnummer or D-nummer in the provider's `pid` claim. A patient
whose number is registered gets into their own timeline (their account is made the first time);
a member of staff, into the account the admin registered the number on. Activation codes and
passwords stay for people without an electronic ID.

Each provider is configured by `<NAME>_ISSUER`, `<NAME>_CLIENT_ID` and `<NAME>_CLIENT_SECRET`
(IDPORTEN_..., HELSEID_...); one without them is not offered. authlib fetches the provider's
metadata and keys, keeps the state, nonce and code verifier in the session, and checks the ID
token's signature and claims."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..identity import NationalIdError, normalise
from ..models import STAFF_ROLES, Account, Patient
from .accounts import account_of_patient

LEVELS = ("idporten-loa-substantial", "idporten-loa-high")  # substantial or better
_EXTENSION = "authlib.integrations.flask_client"
_OFFERED = "oidc_providers"


def _patient_account(db: Session, number: str) -> Account | None:
    patient = db.scalar(select(Patient).where(Patient.national_id == number))
    # The first time, the account is made: ID-porten has said who it is.
    return account_of_patient(db, patient) if patient is not None else None


def _staff_account(db: Session, number: str) -> Account | None:
    return db.scalar(select(Account).where(Account.national_id == number, Account.role.in_(STAFF_ROLES)))


@dataclass(frozen=True)
class Provider:
    name: str  # authlib's name for it, and its settings' prefix in capitals
    slug: str  # in the address: /login/<slug>
    pid_claim: str
    account_for: Callable[[Session, str], Account | None]


PROVIDERS = {provider.slug: provider for provider in (
    Provider("idporten", "id-porten", "pid", _patient_account),
    Provider("helseid", "helseid", "helseid://claims/identity/pid", _staff_account),
)}


def init_app(app: Flask) -> None:
    configured = [p for p in PROVIDERS.values() if app.config.get(f"{p.name.upper()}_ISSUER")]
    app.extensions[_OFFERED] = {p.slug for p in configured}
    if configured:
        oauth = OAuth(app)
        for provider in configured:
            issuer = app.config[f"{provider.name.upper()}_ISSUER"].rstrip("/")
            oauth.register(provider.name, server_metadata_url=f"{issuer}/.well-known/openid-configuration",
                           client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"})


def offered(slug: str) -> Provider | None:
    """The provider at /login/<slug>, if this portal is configured for it."""
    return PROVIDERS[slug] if slug in current_app.extensions[_OFFERED] else None


def redirect_to(provider: Provider, back_to: str):
    return current_app.extensions[_EXTENSION].create_client(provider.name).authorize_redirect(
        back_to, acr_values=LEVELS[0])


@dataclass
class Outcome:
    """What came back: the account, or why not ("cancelled", "level", "unknown", "inactive")."""

    account: Account | None = None
    problem: str | None = None


def account_from_callback(db: Session, provider: Provider) -> Outcome:
    """Finish the flow: exchange the code, check the ID token and the level, find the person."""
    try:
        token = current_app.extensions[_EXTENSION].create_client(provider.name).authorize_access_token()
    except OAuthError:  # a wrong or expired state, a code used twice, the person said no
        return Outcome(problem="cancelled")
    claims = token.get("userinfo") or {}
    if claims.get("acr") not in LEVELS:
        return Outcome(problem="level")
    try:
        number = normalise(str(claims.get(provider.pid_claim, "")), current_app.config["SYNTHETIC_NATIONAL_IDS"])
    except NationalIdError:
        return Outcome(problem="unknown")
    account = provider.account_for(db, number)
    if account is None:
        return Outcome(problem="unknown")
    if not account.is_active:
        return Outcome(problem="inactive")
    return Outcome(account=account)
