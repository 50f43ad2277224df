"""A transaction Bundle as a system sends it, in FHIR JSON or XML, read into a fhirclient Bundle with
strict validation. What cannot be read is refused with the element it concerns (400)."""
from __future__ import annotations

import json

from fhirclient.models.bundle import Bundle
from fhirclient.models.fhirabstractbase import FHIRValidationError

from ..imports import Refusal
from ..timeline import Problem
from .from_xml import XmlRefused, resource_json
from .outcome import validation_refusals
from .systems import XML_TYPES


class Unreadable(ValueError):
    def __init__(self, refusals: list[Refusal]):
        super().__init__(f"{len(refusals)} problem(s)")
        self.refusals = refusals


def read_transaction(body: bytes, media_type: str) -> Bundle:
    data = _from_xml(body) if media_type in XML_TYPES else _from_json(body)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise Unreadable([_refusal("Bundle", "not_transaction")])
    try:
        bundle = Bundle(data, strict=True)
    except FHIRValidationError as error:
        raise Unreadable(validation_refusals(error, "Bundle")) from None
    except RecursionError:  # nested deeper than any resource is
        raise Unreadable([_refusal("Bundle", "invalid_value")]) from None
    if bundle.type != "transaction":
        raise Unreadable([_refusal("Bundle.type", "not_transaction")])
    # A transaction says, for every entry, what to do with which resource (FHIR's rule bdl-3).
    missing = [_refusal(f"Bundle.entry[{n}].{part}", "missing") for n, entry in enumerate(bundle.entry or [])
               for part in ("resource", "request") if getattr(entry, part) is None]
    if missing:
        raise Unreadable(missing)
    return bundle


def _from_json(body: bytes):
    try:
        return json.loads(body, parse_constant=_not_json)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's limit
        raise Unreadable([_refusal("Bundle", "invalid_json")]) from None


def _not_json(constant: str):
    raise ValueError(f"{constant} is not JSON")


def _from_xml(body: bytes) -> dict:
    try:
        return resource_json(body)
    except XmlRefused as error:
        raise Unreadable([_refusal(error.where or "Bundle", error.code)]) from None


def _refusal(where: str, code: str) -> Refusal:
    return Refusal(where, Problem("", code))
