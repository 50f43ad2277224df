"""The code mapping file and national ids: a code means what its source says and nothing is
guessed; a broken row is reported with its line and column; a fødselsnummer or D-nummer is
checked by its check digits."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from portal.content import load_library
from portal.content.codes import CODES_FILE, load_codes
from portal.identity import DNR_SYSTEM, FNR_SYSTEM, NationalIdError, normalise, synthetic, system_of

ROOT = Path(__file__).parents[1]
NORM_FILE = ROOT.parent / "shared" / "reference" / "norm_times.yaml"
HEADER = "code,pathway,milestone,outcome,treatment,reason,valid_from,valid_until,source\n"
SOURCE = "https://www.helsedirektoratet.no/example"


@pytest.fixture(scope="module")
def library():
    return load_library(ROOT / "content")


@pytest.mark.skipif(not NORM_FILE.is_file(), reason="shared/reference is not next to the project")
def test_every_code_belongs_to_a_package_number_found_in_the_sources(library):
    entries = yaml.safe_load(NORM_FILE.read_text(encoding="utf-8"))["pathways"]
    found = {e["id"]: e.get("code_prefix") or e.get("type_forlop_code") for e in entries}
    for row in library.codes.rows:
        assert found[row.pathway] and row.code.startswith(found[row.pathway]), row
        assert row.source.startswith("https://"), row


def test_a_code_means_one_thing_on_any_day(library):
    codes = library.codes
    assert codes.meaning("A16CK", date(2026, 3, 1)).records() == {
        "milestone": "clinical_decision", "outcome": "cancer_confirmed", "treatment": None, "reason": None}
    assert codes.meaning("D11", date(2022, 6, 1)).milestone == "referral_received"
    assert codes.meaning("D11", date(2023, 1, 1)).milestone == "referral_assessed"
    assert codes.meaning("D11CP", date(2023, 1, 1)) is None and codes.known("D11CP")
    assert not codes.known("A01A")  # the breast package's number was not found: no row, no guess
    assert codes.code_for("cancer-prostate", date(2026, 3, 1), "treatment_start", treatment="surgery") == "A16FK"
    assert codes.code_for("phr-adults", date(2026, 3, 1), "evaluation") is None


def test_each_broken_row_is_reported_with_its_line_and_column(library, tmp_path):
    path = tmp_path / CODES_FILE
    path.parent.mkdir()
    path.write_text(HEADER + "\n".join([
        f"A16A,cancer-prostate,referral_received,,,,,,{SOURCE}",
        f"a16s,cancer-prostate,first_attendance,,,,,,{SOURCE}",
        f"A16CK,cancer-prostate,clinical_decision,,,,,,{SOURCE}",
        f"A16FK,cancer-prostate,treatment_start,,chemo,,,,{SOURCE}",
        f"A16X,cancer-nowhere,pathway_ended,,,other,,,{SOURCE}",
        "A16O,cancer-prostate,transferred,,,,,,",
        f"A16A,cancer-prostate,referral_received,,,,2020-01-01,,{SOURCE}",
        f"D11,phr-adults,referral_received,,,,2019-13-01,,{SOURCE}",
    ]) + "\n", encoding="utf-8")
    problems: list[str] = []
    load_codes(tmp_path, {p.id: p.definition for p in library.all()}, problems)
    assert [p.removeprefix(f"{path}: ") for p in problems] == [
        "line 3: code: 'a16s' is not a pathway code (a letter, two digits, up to two letters)",
        "line 4: outcome: clinical_decision needs an outcome",
        "line 5: treatment: 'chemo' is not a treatment in cancer-prostate",
        "line 6: pathway: 'cancer-nowhere' is not a pathway in content/",
        "line 7: source: every code needs the address of its source",
        "line 8: code: A16A is already in use on these dates",
        "line 9: valid_from: '2019-13-01' is not a date (YYYY-MM-DD)",
    ]


def test_a_national_id_is_checked_by_its_check_digits():
    assert normalise("210305 50231") == "21030550231"  # HL7 Norway's example, with a space
    assert system_of("21030550231") == FNR_SYSTEM
    assert normalise("２１０３０５５０２３１") == "21030550231"  # full-width digits, as some phones type them
    for text, code in (("2103055023", "format"), ("21030550232", "check_digits"), ("210377xxxxx", "format"),
                       ("2103055023²", "format")):
        with pytest.raises(NationalIdError) as error:
            normalise(text)
        assert error.value.code == code, text


def test_synthetic_numbers_are_accepted_only_when_the_setting_allows_them():
    number = synthetic(12, 5, 1958, 123)
    assert number[2:4] == "85"
    assert normalise(number, synthetic_allowed=True) == number
    with pytest.raises(NationalIdError):
        normalise(number)


def test_a_d_number_has_its_own_identifier_system():
    d_number = "61030550063"  # born on the 21st: a D-nummer adds 40 to the day
    assert normalise(d_number) == d_number
    assert system_of(d_number) == DNR_SYSTEM
