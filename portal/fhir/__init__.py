"""FHIR R4 (4.0.1) for a unit's own systems: what the portal holds about a patient as FHIR
resources (export, capability), and a transaction Bundle read into pathway events and
appointments (reading, from_xml, transaction, appointments). Resources are fhirclient models,
never hand-built dicts; the code systems are in `systems`. docs/fhir.md describes the mapping."""
