"""Today's date for the web layer. The engine never reads a clock; this is where the pages do.
`TODAY` in the config pins the date (tests and demos)."""
from __future__ import annotations

from datetime import date

from flask import current_app


def today() -> date:
    pinned = current_app.config.get("TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()
