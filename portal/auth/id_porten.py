"""Signing in with ID-porten, as Norwegian public services do: OpenID Connect with the authorization
code flow and PKCE (S256), asking for security level substantial, the person named by the `pid`
claim (their fødselsnummer or D-nummer). A patient whose number is registered gets into their own
timeline; their account is made the first time. Activation codes stay for people without an
electronic ID.

Configured by `IDPORTEN_ISSUER`, `IDPORTEN_CLIENT_ID` and `IDPORTEN_CLIENT_SECRET`; without them
the portal offers no ID-porten sign-in. authlib fetches the provider's metadata and keys, keeps the
state, nonce and code verifier in the session, and checks the ID token's signature and claims."""
from __future__ import annotations

from dataclasses import dataclass

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from sqlalchemy import select

from ..clock import now
from ..identity import NationalIdError, normalise
from ..models import Account, Patient

LEVELS = ("idporten-loa-substantial", "idporten-loa-high")  # substantial or better
_EXTENSION = "authlib.integrations.flask_client"


def init_app(app: Flask) -> None:
    if app.config.get("IDPORTEN_ISSUER"):
        oauth = OAuth(app)
        oauth.register("idporten", server_metadata_url=app.config["IDPORTEN_ISSUER"].rstrip("/")
                       + "/.well-known/openid-configuration",
                       client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"})


def offered() -> bool:
    return _EXTENSION in current_app.extensions


def _client():
    return current_app.extensions[_EXTENSION].idporten


def redirect_to_id_porten(back_to: str):
    return _client().authorize_redirect(back_to, acr_values=LEVELS[0])


@dataclass
class Outcome:
    """What came back: the patient's account, or why not ("cancelled", "level", "no_patient",
    "inactive")."""

    account: Account | None = None
    problem: str | None = None


def account_from_callback(db) -> Outcome:
    """Finish the flow: exchange the code, check the ID token and the level, find the patient."""
    try:
        token = _client().authorize_access_token()
    except OAuthError:  # a wrong or expired state, a code used twice, the person said no
        return Outcome(problem="cancelled")
    claims = token.get("userinfo") or {}
    if claims.get("acr") not in LEVELS:
        return Outcome(problem="level")
    try:
        number = normalise(str(claims.get("pid", "")), current_app.config["SYNTHETIC_NATIONAL_IDS"])
    except NationalIdError:
        return Outcome(problem="no_patient")
    patient = db.scalar(select(Patient).where(Patient.national_id == number))
    if patient is None:
        return Outcome(problem="no_patient")
    account = db.scalar(select(Account).where(Account.patient_id == patient.id))
    if account is None:  # the first time: ID-porten has said who it is
        account = Account(role="patient", display_name=patient.display_name, patient=patient, created_at=now(),
                          is_active=True, failed_logins=0)
        db.add(account)
        db.flush()
    if not account.is_active:
        return Outcome(problem="inactive")
    return Outcome(account=account)
