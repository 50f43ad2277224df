"""The small status labels pages show (done, coming, later than normal), and the rule for when a
pathway's next step counts as later than normal (portal.goals has the one for goals). Pages show a
Badge with the `badge` macro; no template decides these for itself. The meaning is always in the
words and an icon, never in the colour alone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .i18n import day_of_record
from .timeline.model import ACTIVE, DONE, EXPECTED, LATE, SKIPPED

ICONS = {DONE: "✓", EXPECTED: "○", LATE: "!", SKIPPED: "–"}
# Translated when a badge is made: only the one it shows (a timeline makes one per step).
_STEP_TEXTS = {DONE: _l("Done"), EXPECTED: _l("Coming"), LATE: _l("Later than normal"), SKIPPED: _l("Not needed")}


@dataclass(frozen=True)
class Badge:
    kind: str  # a step status: it names the style (status-<kind>) and the icon
    text: str

    @property
    def icon(self) -> str:
        return ICONS[self.kind]


def step_badge(status: str) -> Badge:
    return Badge(status, str(_STEP_TEXTS[status]))


def past_normal_date(state: str | None, expected_by: date | None, today: date) -> Badge | None:
    """A pathway still running whose next step's normal date has gone by (the worklist's flag)."""
    if state == ACTIVE and expected_by is not None and expected_by < today:
        return Badge(LATE, _("Past the normal date"))
    return None


def result_overdue(expected_by: date | None) -> Badge | None:
    """An expected result whose day has gone by with nothing recorded (the worklist's flag; the
    query finds only those)."""
    if expected_by is None:
        return None
    return Badge(LATE, _("Result not recorded: it was expected by %(day)s", day=day_of_record(expected_by)))
