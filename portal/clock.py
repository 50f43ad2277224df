"""The one place the portal reads the clock. The engine never does: the web layer, the CLI and the
jobs pass it today's date.

Moments (when something was saved, sent or signed in) are timezone-aware UTC. Days, and the wall
time of an appointment, are Norwegian: a date is the date in Norway, whatever the server's zone.
Tests move time with time-machine, which these functions follow."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

NORWAY = ZoneInfo("Europe/Oslo")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """The date in Norway now: a page opened at 00:30 on a Tuesday in Oslo says Tuesday."""
    return in_norway(now()).date()


def in_norway(moment: datetime) -> datetime:
    """A moment as a clock in Norway shows it."""
    return moment.astimezone(NORWAY)
