"""Form fields shared by the patient's and the care team's forms."""
from __future__ import annotations

from collections.abc import Iterable

from wtforms import IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput


class VersionField(IntegerField):
    """The version of the record a form was filled in from (hidden). After a conflict the view
    moves `data` on to the current version, and the page must send that one back: not the stale
    one that was posted, which WTForms would otherwise show again and so conflict for ever."""

    widget = HiddenInput()

    def _value(self):
        return "" if self.data is None else str(self.data)


def choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """The options of a select or radio field, from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def optional_text(value: str | None) -> str | None:
    """What was typed in an optional field, trimmed; None when nothing but spaces was typed."""
    return (value.strip() or None) if value else None
