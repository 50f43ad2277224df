"""Addresses of the portal that people open elsewhere: an activation link, an invitation, the link in
a message, the sign-in callback a provider sends people back to. They are made from
PUBLIC_BASE_URL, never from the request's Host header, which whoever sends the request chooses."""
from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """The full address of `endpoint`, in a request or outside one (the job worker)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]):
        return url_for(endpoint, _external=True, **values)
