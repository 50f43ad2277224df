"""GET /fhir/metadata: what the FHIR API does, as a CapabilityStatement."""
from __future__ import annotations

from datetime import date

from fhirclient.models.capabilitystatement import (
    CapabilityStatement,
    CapabilityStatementImplementation,
    CapabilityStatementRest,
    CapabilityStatementRestInteraction,
    CapabilityStatementRestResource,
    CapabilityStatementRestResourceInteraction,
    CapabilityStatementRestResourceOperation,
    CapabilityStatementRestResourceSearchParam,
    CapabilityStatementRestSecurity,
    CapabilityStatementSoftware,
)

from . import systems
from .elements import fhir_datetime, make

EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
SECURITY = ("A bearer token of an API client, made by the portal's administrator for one unit: "
            "the client reads and writes that unit's patients only.")
TRANSACTION = ("A transaction Bundle of Patient (identified by fødselsnummer or D-nummer, never created), "
               "EpisodeOfCare (read, not stored), CarePlan (its completed activities are pathway events) and "
               "Appointment entries: all of it is applied, or nothing.")


def _search(name: str, kind: str, documentation: str):
    return make(CapabilityStatementRestResourceSearchParam, name=name, type=kind, documentation=documentation)


def _resource(kind: str, search, operation=None):
    return make(CapabilityStatementRestResource, type=kind, searchParam=[search],
                interaction=[make(CapabilityStatementRestResourceInteraction, code="search-type")],
                operation=[operation] if operation else None)


def capability_statement(base: str, today: date) -> CapabilityStatement:
    by_patient = _search("patient", "reference", "Patient/<id> or <id>: one of the unit's patients")
    resources = [
        _resource("Patient", _search("identifier", "token", "urn:oid:2.16.578.1.12.4.1.4.1|<fødselsnummer> "
                                                            "or urn:oid:2.16.578.1.12.4.1.4.2|<D-nummer>"),
                  make(CapabilityStatementRestResourceOperation, name="everything", definition=EVERYTHING)),
        *(_resource(kind, by_patient) for kind in ("EpisodeOfCare", "CarePlan", "Goal", "Appointment")),
    ]
    rest = make(CapabilityStatementRest, mode="server", resource=resources,
                documentation="Answers are FHIR JSON; a transaction may also be sent as FHIR XML.",
                security=make(CapabilityStatementRestSecurity, description=SECURITY),
                interaction=[make(CapabilityStatementRestInteraction, code="transaction", documentation=TRANSACTION)])
    return make(CapabilityStatement, status="active", date=fhir_datetime(today), kind="instance",
                fhirVersion=systems.FHIR_VERSION, format=["application/fhir+json", "application/fhir+xml"],
                software=make(CapabilityStatementSoftware, name="Forløp"),
                implementation=make(CapabilityStatementImplementation, description="Forløp", url=base),
                rest=[rest])
