"""OperationOutcome: why a request was refused, each issue naming its element with a FHIRPath-like
expression ("Bundle.entry[2].resource.activity[0].detail.code") and saying what is wrong in the
reader's language; and, for a transaction, what it did."""
from __future__ import annotations

import re

from fhirclient.models.fhirabstractbase import FHIRValidationError
from fhirclient.models.operationoutcome import OperationOutcome, OperationOutcomeIssue

from ..addresses import whole_number
from ..imports import Refusal
from ..problem_messages import problem_message
from ..timeline import Problem
from .elements import make

# The FHIR issue type of a problem; any other is "invalid" (400) or "processing" (422).
_ISSUE_TYPES = {"missing": "required", "unknown_field": "structure", "invalid_json": "structure",
                "invalid_xml": "structure", "xml_declarations": "security", "too_long": "too-long",
                "unknown_code": "code-invalid", "code_not_in_use": "code-invalid"}
_HTTP_ISSUE_TYPES = {401: "login", 403: "forbidden", 404: "not-found", 405: "not-supported", 409: "conflict",
                     413: "too-long", 429: "throttled"}
_PROPERTY = re.compile(r'"([^"]+)"')


def refused(refusals: list[Refusal], status: int) -> OperationOutcome:
    default = "invalid" if status == 400 else "processing"
    return make(OperationOutcome, issue=[
        make(OperationOutcomeIssue, severity="error", code=_ISSUE_TYPES.get(r.problem.code, default),
             expression=[r.element], diagnostics=problem_message(r.problem)) for r in refusals])


def information(text: str) -> OperationOutcome:
    return make(OperationOutcome, issue=[make(OperationOutcomeIssue, severity="information", code="informational",
                                              diagnostics=text)])


def http_error(status: int, text: str) -> OperationOutcome:
    return make(OperationOutcome, issue=[make(OperationOutcomeIssue, severity="error", diagnostics=text,
                                              code=_HTTP_ISSUE_TYPES.get(status, "exception"))])


def validation_refusals(error: FHIRValidationError, root: str) -> list[Refusal]:
    """fhirclient's errors, nested as its models are, as one refusal per wrong element. Walked
    with a stack: a deeply nested message must not exhaust the recursion limit here."""
    found = []
    stack = [(error, root)]
    while stack:
        current, path = stack.pop()
        if isinstance(current, FHIRValidationError):
            here = _joined(path, current.path)
            stack.extend((inner, here) for inner in reversed(current.errors))
            continue
        named = _PROPERTY.search(str(current))
        if isinstance(current, KeyError):  # a required element is missing: name it
            found.append(Refusal(_joined(path, named.group(1) if named else None), Problem("", "missing")))
        elif isinstance(current, AttributeError):  # an element the resource does not have
            found.append(Refusal(_joined(path, named.group(1) if named else None), Problem("", "unknown_field")))
        else:
            found.append(Refusal(path, Problem("", "invalid_value")))
    return list({(r.element, r.problem.code): r for r in found}.values())


def _joined(path: str, more: str | None) -> str:
    """fhirclient's "entry.2.resource.class_fhir" as "Bundle.entry[2].resource.class"."""
    for part in (more or "").split("."):
        if not part:
            continue
        path += f"[{part}]" if whole_number(part, smallest=0) is not None else "." + part.removesuffix("_fhir")
    return path
