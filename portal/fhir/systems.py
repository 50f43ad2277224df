"""The code systems, identifier systems and media types of the FHIR API, in one place.

The cancer pathway codes (A16CK, ...) are registered with NPR, but no official OID or URI for them
as a code system was found in Helsedirektoratet's or e-helse's sources, so they carry our own URI;
the codes themselves are the official ones (content/_codes/pathway-codes.csv). "Type forløp"
(D01, D11, D12 for the mental-health and substance-use pathways) has its own volven code system."""
from __future__ import annotations

from ..identity import DNR_SYSTEM, FNR_SYSTEM

FHIR_VERSION = "4.0.1"
XML_TYPES = ("application/fhir+xml", "application/xml", "text/xml")
FHIR_JSON = "application/fhir+json; charset=utf-8"

NATIONAL_ID_SYSTEMS = (FNR_SYSTEM, DNR_SYSTEM)
NPR_PATHWAY_CODE = "urn:forlop:npr-pathway-code"
TYPE_FORLOP = "urn:oid:2.16.578.1.12.4.1.1.9321"
TYPE_FORLOP_CODES = ("D01", "D11", "D12")
PATHWAY = "urn:forlop:pathway"
MILESTONE = "urn:forlop:milestone"
OUTCOME = "urn:forlop:outcome"
TREATMENT = "urn:forlop:treatment"
SETTING = "urn:forlop:setting"
SEVERITY = "urn:forlop:severity"
END_REASON = "urn:forlop:end-reason"
# The fields of an engine Event carried as codings of a CarePlan activity's outcomeCodeableConcept.
EVENT_FIELD_SYSTEMS = {"outcome": OUTCOME, "treatment": TREATMENT, "setting": SETTING, "severity": SEVERITY,
                       "reason": END_REASON}
LANGUAGE = "urn:ietf:bcp:47"
