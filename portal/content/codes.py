"""The pathway codes hospitals register and report to NPR (`A16CK`, `D11`, ...), and what each
means here: one row per code in `content/_codes/pathway-codes.csv`, with the pathway, step and
outcome, treatment or end reason it records, the dates the code was in use, and its source.

A code not in the file is refused, never guessed; a code whose package number was not found in
the sources has no row. The file is checked against the pathways when content is loaded."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from portal.timeline.model import END_MILESTONE, PathwayDefinition

CODES_FILE = Path("_codes") / "pathway-codes.csv"
COLUMNS = ("code", "pathway", "milestone", "outcome", "treatment", "reason", "valid_from", "valid_until", "source")
_CODE = re.compile(r"^[A-Z][0-9]{2}[A-Z]{0,2}$")


@dataclass(frozen=True)
class CodeRow:
    code: str
    pathway: str
    milestone: str
    outcome: str | None
    treatment: str | None
    reason: str | None
    valid_from: date | None
    valid_until: date | None
    source: str

    def in_use_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until)

    def records(self) -> dict:
        """What an event with this code records (the engine's Event fields)."""
        return {"milestone": self.milestone, "outcome": self.outcome, "treatment": self.treatment,
                "reason": self.reason}


class CodeBook:
    def __init__(self, rows: list[CodeRow]):
        self.rows = rows
        self._by_code: dict[str, list[CodeRow]] = {}
        for row in rows:
            self._by_code.setdefault(row.code, []).append(row)

    def known(self, code: str) -> bool:
        return code in self._by_code

    def meaning(self, code: str, day: date) -> CodeRow | None:
        """The row for `code` on `day`, or None when the code is unknown or was not in use then."""
        return next((row for row in self._by_code.get(code, ()) if row.in_use_on(day)), None)

    def code_for(self, pathway: str, day: date, milestone: str, outcome: str | None = None,
                 treatment: str | None = None, reason: str | None = None) -> str | None:
        """The code a recorded step is reported with, if it has one."""
        for row in self.rows:
            if (row.pathway == pathway and row.milestone == milestone and row.in_use_on(day)
                    and row.outcome in (None, outcome) and row.treatment in (None, treatment)
                    and row.reason in (None, reason)):
                return row.code
        return None


def load_codes(root: Path, definitions: dict[str, PathwayDefinition], problems: list[str]) -> CodeBook:
    path = root / CODES_FILE
    if not path.is_file():
        problems.append(f"{path}: file missing")
        return CodeBook([])
    rows: list[CodeRow] = []
    with path.open(encoding="utf-8", newline="") as file:
        reader = csv.DictReader(file)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            problems.append(f"{path}: line 1: the columns must be {', '.join(COLUMNS)}")
            return CodeBook([])
        for line, raw in enumerate(reader, start=2):
            found = []
            row = _row(raw, definitions, found)
            problems += [f"{path}: line {line}: {field}: {message}" for field, message in found]
            if row is not None and not found:
                overlapping = [r for r in rows if r.code == row.code and _overlap(r, row)]
                if overlapping:
                    problems.append(f"{path}: line {line}: code: {row.code} is already in use on these dates")
                rows.append(row)
    return CodeBook(rows)


def _overlap(a: CodeRow, b: CodeRow) -> bool:
    return (a.valid_until is None or b.valid_from is None or b.valid_from <= a.valid_until) and (
        b.valid_until is None or a.valid_from is None or a.valid_from <= b.valid_until)


def _row(raw: dict, definitions: dict[str, PathwayDefinition], found: list) -> CodeRow | None:
    value = {name: (raw.get(name) or "").strip() or None for name in COLUMNS}
    if not value["code"] or not _CODE.match(value["code"]):
        found.append(("code", f"{value['code']!r} is not a pathway code (a letter, two digits, up to two letters)"))
    if not value["source"] or not value["source"].startswith(("https://", "http://")):
        found.append(("source", "every code needs the address of its source"))
    days = {}
    for name in ("valid_from", "valid_until"):
        try:
            days[name] = date.fromisoformat(value[name]) if value[name] else None
        except ValueError:
            found.append((name, f"{value[name]!r} is not a date (YYYY-MM-DD)"))
    definition = definitions.get(value["pathway"] or "")
    if definition is None:
        found.append(("pathway", f"{value['pathway']!r} is not a pathway in content/"))
        return None
    if value["milestone"] not in definition.recordable():
        found.append(("milestone", f"{value['milestone']!r} is not a step of {definition.id}"))
        return None
    milestone = definition.milestone(value["milestone"])
    if value["outcome"] and (milestone is None or value["outcome"] not in milestone.outcomes):
        found.append(("outcome", f"{value['outcome']!r} is not an outcome of {value['milestone']}"))
    if milestone is not None and milestone.outcomes and not value["outcome"]:
        found.append(("outcome", f"{value['milestone']} needs an outcome"))
    if value["treatment"] and value["treatment"] not in definition.branches.get("treatment", ()):
        found.append(("treatment", f"{value['treatment']!r} is not a treatment in {definition.id}"))
    if value["milestone"] == END_MILESTONE and value["reason"] not in definition.end_reasons:
        found.append(("reason", f"{value['reason']!r} is not an end reason of {definition.id}"))
    if value["reason"] and value["milestone"] != END_MILESTONE:
        found.append(("reason", "only the end of a pathway has a reason"))
    if found:
        return None
    return CodeRow(value["code"], definition.id, value["milestone"], value["outcome"], value["treatment"],
                   value["reason"], days["valid_from"], days["valid_until"], value["source"])
