"""A request for a timeline, as the API and the CLI receive it: parsed, checked, computed.

Both callers go through `compute_from_json`, so the same input gives the same JSON and the same
errors, each naming its field.
"""
from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from .content import Library
from .timeline import Event, Options, Problem, TimelineInputError, compute_timeline, timeline_to_dict
from .timeline.model import EVENT_FIELDS, ID_LENGTH, OPTION_FIELDS, FieldSpec

MAX_EVENTS = 500


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


def _schema(name: str, specs: tuple[FieldSpec, ...]) -> type[_Strict]:
    """A request model with the engine's fields: a day in ISO form, or an id of at most ID_LENGTH."""
    def annotation(spec: FieldSpec):
        kind = date if spec.is_date else str
        return kind if spec.required else kind | None

    return create_model(name, __base__=_Strict, **{
        spec.name: (annotation(spec), Field(... if spec.required else None,
                                            **({} if spec.is_date else {"max_length": ID_LENGTH})))
        for spec in specs})


EventIn = _schema("EventIn", EVENT_FIELDS)
OptionsIn = _schema("OptionsIn", OPTION_FIELDS)


class TimelineRequest(_Strict):
    pathway: str = Field(max_length=ID_LENGTH)
    today: date
    events: list[EventIn] = Field(default_factory=list, max_length=MAX_EVENTS)
    options: OptionsIn = Field(default_factory=OptionsIn)


class RequestProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in problems))


def _problem(loc: tuple, code: str) -> Problem:
    """Pydantic's location of an error, as the engine names fields."""
    match loc:
        case ("events", int(index), *rest):
            return Problem(".".join(map(str, rest)), code, event=index)
        case ("options", name, *_):
            return Problem(str(name), code, in_options=True)
        case ():
            return Problem("(body)", code)
    return Problem(".".join(map(str, loc)), code)


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
        raise RequestProblems([_problem(e["loc"], _code(e["type"])) for e in error.errors()]) from None


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
