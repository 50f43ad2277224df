"""Who may use which page. Every view declares it with `@public`, `@allow(...roles)` or `@system`
(the API for a unit's own systems, see portal.auth.clients); a view without a declaration is
refused, so a new route is closed until someone opens it on purpose.

The signed-in account is loaded once per request into `g.account`, from the session's sign-in
(portal.models.SignIn), which the server keeps: the cookie only holds its token. A sign-in stops
working when it is signed out, when the password is changed, when the account is deactivated, when
an admin ends it, or when it is older than `SESSION_HOURS`; a copy of the cookie stops with it."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from .. import database
from ..clock import now
from ..models import Account, SignIn
from .clients import client_from_request
from .secrets import digest, new_token

PUBLIC = "public"
SYSTEM = "system"
ROLES = ("patient", "relative", "nurse", "coordinator", "admin")
STAFF = ("nurse", "coordinator")

# Framework views that cannot carry a declaration themselves.
_PUBLIC_ENDPOINTS = {"static"}


def public(view):
    view.access = PUBLIC
    return view


def system(view):
    """For a unit's systems only, with their own token: never a browser session, never anonymous."""
    view.access = SYSTEM
    return view


def allow(*roles: str):
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def declare(view):
        view.access = frozenset(roles)
        return view

    return declare


def access_of(app: Flask, endpoint: str):
    """The declaration of an endpoint: PUBLIC, a set of roles, or None (refused)."""
    if endpoint in _PUBLIC_ENDPOINTS:
        return PUBLIC
    return getattr(app.view_functions.get(endpoint), "access", None)


def current_account() -> Account | None:
    return g.get("account")


# Why a sign-in ended.
ENDINGS = ("signed_out", "new_password", "deactivated", "ended_by_admin", "ended_by_staff")


def sign_in(account: Account) -> None:
    """A fresh session for `account` (the old one is dropped, so a planted session id is useless).
    The sign-in is added to the request's database session; the caller commits."""
    language = session.get("lang")
    session.clear()
    token = new_token()
    database.session().add(SignIn(token_hash=digest(token), account=account, started_at=now()))
    session["sign_in"] = token
    if account.patient is not None:
        session["lang"] = account.patient.preferred_language
    elif language:
        session["lang"] = language


def sign_out() -> None:
    """End this browser's sign-in, on the server too (committed at once), and forget it here."""
    token = session.get("sign_in")
    if isinstance(token, str):
        db = database.session()
        db.execute(update(SignIn).where(SignIn.token_hash == digest(token), SignIn.ended_at.is_(None))
                   .values(ended_at=now(), ended_why="signed_out"))
        db.commit()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


def end_sign_ins(db: Session, account: Account, why: str) -> int:
    """End every sign-in of `account` that is still going, wherever it is; the caller commits.
    Returns how many there were."""
    ended = db.execute(update(SignIn).where(SignIn.account_id == account.id, SignIn.ended_at.is_(None))
                       .values(ended_at=now(), ended_why=why))
    return ended.rowcount


# Built once: every request of someone signed in runs it, and building it costs more than running it.
_SIGN_IN = select(SignIn).where(SignIn.token_hash == bindparam("token_hash")).options(joinedload(SignIn.account))


def _load_account() -> Account | None:
    token = session.get("sign_in")
    if not isinstance(token, str):
        return None
    signed_in = database.session().scalar(_SIGN_IN, {"token_hash": digest(token)})
    too_old = signed_in is not None and (
        now() - signed_in.started_at > timedelta(hours=current_app.config["SESSION_HOURS"]))
    if signed_in is None or signed_in.ended_at is not None or not signed_in.account.is_active or too_old:
        sign_out()
        return None
    return signed_in.account


def _enforce():
    if request.endpoint is None:
        return None  # no such route: 404 follows
    access = access_of(current_app, request.endpoint)
    if access == PUBLIC:
        g.account = _load_account() if "sign_in" in session else None
        return None
    if access is None:
        current_app.logger.error("Route %s declares no access; refused", request.endpoint)
        abort(403)
    if access == SYSTEM:
        g.account = None
        g.client = client_from_request(database.session())
        if g.client is None:
            abort(401)
        return None
    g.account = _load_account()
    if g.account is None:
        if request.method == "GET" and not request.path.startswith("/api/"):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if g.account.role not in access:
        abort(403)
    return None


# Where each role's pages start, in the order the site's menu shows them.
_MENU = {
    "patient": (("patient.my_timeline", _l("My timeline")), ("patient.goals", _l("What matters to me")),
                ("patient.relatives", _l("Relatives")), ("patient.notifications", _l("Notifications")),
                ("patient.access_log", _l("Who has looked"))),
    "relative": (("relative.index", _l("Shared with me")), ("relative.notifications", _l("Notifications"))),
    "admin": (("admin.index", _l("Accounts and units")),),
    "coordinator": (("staff.worklist", _l("Worklist")), ("staff.goals", _l("Goals")),
                    ("staff.figures", _l("Figures")), ("staff.new_patient", _l("New patient"))),
}
_MENU["nurse"] = _MENU["coordinator"]


def _menu() -> dict:
    """For every page: who is signed in, and the links of their menu."""
    account = current_account()
    links = [(url_for(endpoint), label) for endpoint, label in _MENU[account.role]] if account else []
    return {"signed_in": account, "menu": links}


def init_app(app: Flask) -> None:
    app.before_request(_enforce)
    app.context_processor(_menu)
