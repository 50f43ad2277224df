"""Small FHIR elements made and read the same way everywhere: a model with its fields checked
against the model's own element list, codings, references and the date types."""
from __future__ import annotations

import json
from datetime import date, datetime

from fhirclient.models.codeableconcept import CodeableConcept
from fhirclient.models.coding import Coding
from fhirclient.models.fhirdate import FHIRDate
from fhirclient.models.fhirdatetime import FHIRDateTime
from fhirclient.models.fhirinstant import FHIRInstant
from fhirclient.models.fhirreference import FHIRReference
from flask import Response, current_app

from ..clock import NORWAY, in_norway
from .systems import FHIR_JSON


def as_response(resource, status: int = 200) -> Response:
    """A resource as FHIR JSON (fhirclient's as_json() checks that every required element is there)."""
    return current_app.response_class(json.dumps(resource.as_json(), ensure_ascii=False), status,
                                      content_type=FHIR_JSON)


def make(model: type, **values):
    """A fhirclient model with these fields. A name the model does not have is a mistake here, not
    something to drop silently (as_json() would leave it out)."""
    made = model()
    known = {name for name, *_ in made.elementProperties()}
    unknown = set(values) - known
    if unknown:
        raise AttributeError(f"{model.__name__} has no {sorted(unknown)}")
    for name, value in values.items():
        if value not in (None, [], ""):  # FHIR has no empty elements
            setattr(made, name, value)
    return made


def coding(system: str, code: str, display: str | None = None) -> Coding:
    return make(Coding, system=system, code=code, display=display)


def concept(*codings: Coding, text: str | None = None) -> CodeableConcept:
    return make(CodeableConcept, coding=list(codings), text=text)


def reference(target: str | None = None, display: str | None = None, kind: str | None = None) -> FHIRReference:
    return make(FHIRReference, reference=target, display=display, type=kind)


def fhir_date(day: date | None) -> FHIRDate | None:
    return FHIRDate(day.isoformat()) if day else None


def fhir_datetime(day: date | None) -> FHIRDateTime | None:
    return FHIRDateTime(day.isoformat()) if day else None


def fhir_instant(wall_time: datetime) -> FHIRInstant:
    """An appointment's Norwegian wall time as an instant, with the offset in force that day."""
    return FHIRInstant(wall_time.replace(tzinfo=NORWAY).isoformat())


def codes_in(concepts, system: str) -> list[str]:
    """The codes of `system` in a CodeableConcept or a list of them."""
    if concepts is None:
        return []
    concepts = concepts if isinstance(concepts, list) else [concepts]
    return [c.code for cc in concepts for c in (cc.coding or []) if c.system == system and c.code]


def day_of(value: FHIRDate | None) -> date | None:
    """The day of a FHIR date or dateTime, as the day in Norway; None when it is missing or names
    only a year or a month."""
    if value is None or len(value.as_json() or "") < len("YYYY-MM-DD"):
        return None
    moment = value.date
    if isinstance(moment, datetime) and moment.tzinfo:
        moment = _in_norway(moment)
    return moment.date() if isinstance(moment, datetime) else moment


def wall_time_of(value: FHIRDate | None) -> datetime | None:
    """An instant as the wall time in Norway (no time zone), as an appointment letter says it."""
    if value is None or not isinstance(value.date, datetime) or value.date.tzinfo is None:
        return None
    moment = _in_norway(value.date)
    return moment.replace(tzinfo=None) if moment else None


def _in_norway(moment: datetime) -> datetime | None:
    """The moment in Norway; None at the very ends of the calendar (year 1 or 9999 in another time
    zone), where Norway has no such day."""
    try:
        return in_norway(moment)
    except OverflowError:
        return None
