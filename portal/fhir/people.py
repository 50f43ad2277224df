"""Who a transaction's resources are about. A person is named only by fødselsnummer or D-nummer:
in a Patient entry's identifier, which other entries reference (by its fullUrl or Patient/<id>),
in a conditional reference (Patient?identifier=system|value), in a reference's identifier, or by
Patient/<our id> for one of the unit's patients. A Patient entry never creates or changes a patient."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

from fhirclient.models.fhirreference import FHIRReference
from fhirclient.models.patient import Patient as PatientResource
from sqlalchemy import select

from ..addresses import whole_number
from ..identity import NationalIdError, normalise
from ..imports import Refusal
from ..models import Patient, Unit
from ..timeline import Problem
from ..unit_scope import in_unit
from .systems import NATIONAL_ID_SYSTEMS

_ENTRY_ID = re.compile(r"(?:.*/)?(Patient/[^/]+)")


class People:
    """The people of one transaction; `refusals` collects every reference that names no one."""

    def __init__(self, db, unit: Unit, entries: list, synthetic_allowed: bool):
        self.db, self.unit, self.synthetic_allowed = db, unit, synthetic_allowed
        self.refusals: list[Refusal] = []
        self.of_entry: dict[int, str | None] = {}
        self._by_reference: dict[str, str | None] = {}  # a Patient entry's names -> its national id
        self._ids: dict[str, int] | None = None
        for n, entry in enumerate(entries):
            if isinstance(entry.resource, PatientResource):
                number = self._identified(entry.resource, f"Bundle.entry[{n}].resource")
                self.of_entry[n] = number
                names = [entry.fullUrl, entry.resource.id and f"Patient/{entry.resource.id}"]
                names += [found.group(1) for found in [_ENTRY_ID.fullmatch(entry.fullUrl or "")] if found]
                self._by_reference.update((name, number) for name in names if name)

    def names_patient(self, ref: FHIRReference) -> bool:
        target = ref.reference or ""
        return ref.type == "Patient" or target.startswith("Patient") or target in self._by_reference

    def of(self, ref: FHIRReference | None, where: str) -> str | None:
        """The national id `ref` names, or None (with a refusal, unless the Patient entry it points
        to was refused already)."""
        if ref is None or not (ref.reference or ref.identifier):
            return self._refuse(where, "missing")
        target = ref.reference
        if target is None:
            at = f"{where}.identifier"
            return self._number(ref.identifier.system, ref.identifier.value, f"{at}.system", f"{at}.value")
        if target in self._by_reference:
            return self._by_reference[target]
        if target.startswith("Patient?"):
            return self._conditional(target, f"{where}.reference")
        if target.startswith("Patient/") and (our_id := whole_number(target.removeprefix("Patient/"))):
            patient = self.db.scalar(select(Patient).where(Patient.id == our_id, in_unit(self.unit.id)))
            if patient is not None:
                return patient.national_id or self._refuse(f"{where}.reference", "national_id_missing")
        return self._refuse(f"{where}.reference", "unresolved_reference")

    def patient_id(self, number: str | None) -> int | None:
        """Our id of the unit's patient with this national id, for a response's location."""
        if self._ids is None:  # the Patient entries' people, in one query
            numbers = [n for n in self.of_entry.values() if n]
            self._ids = dict(self.db.execute(select(Patient.national_id, Patient.id).where(
                Patient.national_id.in_(numbers), in_unit(self.unit.id))).all()) if numbers else {}
        return self._ids.get(number) if number else None

    def _identified(self, patient: PatientResource, where: str) -> str | None:
        for k, identifier in enumerate(patient.identifier or []):
            if identifier.system in NATIONAL_ID_SYSTEMS:
                at = f"{where}.identifier[{k}]"
                return self._number(identifier.system, identifier.value, f"{at}.system", f"{at}.value")
        return self._refuse(f"{where}.identifier", "national_id_missing")

    def _conditional(self, target: str, where: str) -> str | None:
        asked = parse_qs(target.partition("?")[2]).get("identifier", [])
        if len(asked) != 1 or "|" not in asked[0]:
            return self._refuse(where, "unresolved_reference")
        system, _, value = asked[0].partition("|")
        return self._number(system, value, where, where)

    def _number(self, system: str | None, value: str | None, system_at: str, value_at: str) -> str | None:
        if system not in NATIONAL_ID_SYSTEMS:
            return self._refuse(system_at, "national_id_missing")
        try:
            return normalise(value or "", self.synthetic_allowed)
        except NationalIdError as error:
            return self._refuse(value_at, f"national_id_{error.code}")

    def _refuse(self, where: str, code: str) -> None:
        self.refusals.append(Refusal(where, Problem("", code)))
