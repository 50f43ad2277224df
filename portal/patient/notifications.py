"""The patient's choice of how to be told there is news (portal.notifications)."""
from __future__ import annotations

from ..auth.access import allow
from ..notifications.choices import choice_page
from . import bp


@bp.route("/my/notifications", methods=["GET", "POST"])
@allow("patient")
def notifications():
    return choice_page()
