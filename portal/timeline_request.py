"""A request for a timeline, as the API and the CLI receive it: parsed, checked, computed.

Both callers go through `compute_from_json`, so the same input gives the same JSON and the same
errors, each naming its field.
"""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .content import Library
from .timeline import Event, Options, Problem, TimelineInputError, compute_timeline, timeline_to_dict

MAX_EVENTS = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class EventIn(_Strict):
    milestone: str = Field(max_length=80)
    date: date
    outcome: str | None = Field(default=None, max_length=80)
    treatment: str | None = Field(default=None, max_length=80)
    setting: str | None = Field(default=None, max_length=80)
    reason: str | None = Field(default=None, max_length=80)
    until: date | None = None
    severity: str | None = Field(default=None, max_length=80)


class OptionsIn(_Strict):
    treatment: str | None = Field(default=None, max_length=80)
    setting: str | None = Field(default=None, max_length=80)
    severity: str | None = Field(default=None, max_length=80)


class TimelineRequest(_Strict):
    pathway: str = Field(max_length=80)
    today: date
    events: list[EventIn] = Field(default_factory=list, max_length=MAX_EVENTS)
    options: OptionsIn = Field(default_factory=OptionsIn)


class RequestProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))


def _field(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(body)"


def _code(error_type: str) -> str:
    if error_type == "json_invalid":
        return "invalid_json"
    if error_type == "missing":
        return "missing"
    if error_type == "extra_forbidden":
        return "unknown_field"
    if "date" in error_type:
        return "invalid_date"
    if error_type == "too_long":
        return "too_long"
    return "invalid_value"


def parse(raw_json: str | bytes) -> TimelineRequest:
    try:
        return TimelineRequest.model_validate_json(raw_json)
    except ValidationError as error:
        raise RequestProblems([Problem(_field(e["loc"]), _code(e["type"])) for e in error.errors()]) from None


def compute_from_json(library: Library, raw_json: str | bytes) -> dict:
    request = parse(raw_json)
    pathway = library.get(request.pathway)
    if pathway is None:
        raise RequestProblems([Problem("pathway", "unknown_pathway", {"value": request.pathway})])
    events = [Event(**e.model_dump()) for e in request.events]
    try:
        timeline = compute_timeline(pathway.definition, events, request.today, Options(**request.options.model_dump()))
    except TimelineInputError as error:
        raise RequestProblems(error.problems) from None
    return timeline_to_dict(timeline)
