"""Quality gates for content/: every pathway there, complete in three languages, every normal time
traceable to its source, and every text easy to read."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portal.content import LANGUAGES, load_library
from portal.content.readability import FLESCH_MIN, LIX_MAX, lix, score_content
from portal.content.texts import PATHWAY_SECTIONS, PHASE_SECTIONS, TIME_FIGURE

from .support.content import CANCER, HOME, LISTED, LONG_TERM, MENTAL_HEALTH, REFERRED_MENTAL_HEALTH, REMOVED_IN_2021
from .support.pages import plain

ROOT = Path(__file__).parents[1]
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
NORM_FILE = SHARED / "reference" / "norm_times.yaml"

QUALITIES = {"official", "official_mirror", "official_2019_restated", "secondary", "secondary_derived",
             "practice_model"}


@pytest.fixture(scope="module")
def library():
    return load_library(CONTENT)


def test_every_pathway_is_there_and_only_the_removed_ones_are_unlisted(library):
    assert sorted(p.id for p in library.listed()) == sorted(LISTED)
    assert sorted(library.pathways) == sorted(LISTED + REMOVED_IN_2021)
    categories = {"cancer": CANCER, "mental_health": MENTAL_HEALTH, "long_term": LONG_TERM, "home": HOME}
    for category, ids in categories.items():
        assert {library.get(i).definition.category for i in ids} == {category}, category


@pytest.mark.skipif(not NORM_FILE.is_file(), reason="shared/reference is not next to the project")
def test_the_norm_file_has_no_pathway_in_force_that_content_lacks(library):
    entries = yaml.safe_load(NORM_FILE.read_text(encoding="utf-8"))["pathways"]
    categories = ("cancer", "mental_health_addiction", "home_follow_up", "other_national_pathway")
    wanted = {e["id"] for e in entries if e["category"] in categories and not str(e["status"]).startswith("draft")}
    # A module built into every mental-health pathway, not a pathway of its own for a patient to follow.
    wanted -= {"phr-somatic-health-lifestyle"}
    assert wanted == set(library.pathways)


def test_every_phase_has_every_section_in_every_language(library):
    for pathway in library.all():
        assert set(pathway.texts) == set(LANGUAGES), pathway.id
        for language, texts in pathway.texts.items():
            assert texts.title.strip(), (pathway.id, language)
            assert list(texts.sections) == list(PATHWAY_SECTIONS), (pathway.id, language)
            assert list(texts.phases) == [phase.id for phase in pathway.definition.phases]
            for phase_id, sections in texts.phases.items():
                assert list(sections) == list(PHASE_SECTIONS), (pathway.id, language, phase_id)
                for section in sections.values():
                    assert section.heading.strip() and plain(section.html)


# The day each cancer package started (norm_times_notes.md §2.4; the blood-cancer packages from
# helsebiblioteket's copy of the blood-cancer guidelines). The others' day is not known.
CANCER_STARTS = {
    "2015-01-01": {"cancer-breast", "cancer-lung", "cancer-prostate", "cancer-colorectal"},
    "2015-05-01": {"cancer-testicular", "cancer-bladder", "cancer-kidney", "cancer-oesophagus-stomach",
                   "cancer-head-neck", "cancer-lymphoma", "cancer-ovarian", "cancer-endometrial",
                   "cancer-cervical", "cancer-diagnostic"},
    "2015-09-01": {"cancer-sarcoma", "cancer-melanoma", "cancer-children", "cancer-acute-leukaemia-mds",
                   "cancer-cll", "cancer-myeloma"},
}


def test_a_cancer_package_starts_on_its_own_day_or_says_the_day_is_not_known(library):
    for pathway_id in CANCER + REMOVED_IN_2021:
        spec = library.get(pathway_id).spec
        known = [day for day, ids in CANCER_STARTS.items() if pathway_id in ids]
        if known:
            assert (spec.start_date_known, spec.effective_from.isoformat()) == (True, known[0]), pathway_id
        else:
            assert spec.start_date_known is False, f"{pathway_id}: start date given as if it were known"
    unknown = {p.id for p in library.all() if p.definition.category != "cancer" and not p.spec.start_date_known}
    assert unknown == {"npf-pain", "phr-child-welfare"}  # the file gives only a year, or a page date


def test_every_norm_carries_its_source_quality_and_date(library):
    for pathway in library.all():
        definition = pathway.definition
        for norm in definition.norms:
            assert norm.effective_from, pathway.id
            for interval in norm.intervals:
                assert interval.source.strip() and interval.quality in QUALITIES, (pathway.id, interval)
        if not definition.norms:
            assert pathway.spec.norm_gap, f"{pathway.id}: no norms and no word on where they should come from"


@pytest.mark.skipif(not NORM_FILE.is_file(), reason="shared/reference is not next to the project")
def test_every_figure_stands_in_the_norm_file_for_that_pathway(library):
    """No invented figure: each amount in a pathway's norms is a number the norm file gives for that
    pathway (a table value, a span's end, or an earlier version's value in its notes)."""
    entries = {e["id"]: e for e in yaml.safe_load(NORM_FILE.read_text(encoding="utf-8"))["pathways"]}
    legal = legal_assessment_time(entries)
    for pathway in library.all():
        numbers = {int(n) for n in re.findall(r"\d+", yaml.safe_dump(entries[pathway.id], allow_unicode=True))}
        for norm in pathway.definition.norms:
            if norm.quality == "practice_model":
                continue  # HPH: the model's own rhythm from seed 004; there are no national times
            for interval in norm.intervals:
                if interval.source.startswith(LAW):
                    assert (interval.amount, interval.unit) == legal, (pathway.id, interval)
                    continue
                for amount in (interval.amount, interval.amount_min):
                    assert amount is None or amount in numbers, (pathway.id, interval)


# The law's time for assessing a referral to specialist care: one rule for every referral. The norm
# file gives it once, under phr-adults, as a general legal rule rather than a pathway's own norm.
LAW = "pasient- og brukerrettighetsloven § 2-2"


def legal_assessment_time(entries: dict) -> tuple[int, str]:
    rule = next(i for i in entries["phr-adults"]["intervals"] if i["id"] == "vurdering")
    assert "legal rule" in rule["note"] and LAW.split(maxsplit=1)[0] in rule["note"]
    return rule["days"], rule["unit"]


@pytest.mark.skipif(not NORM_FILE.is_file(), reason="shared/reference is not next to the project")
def test_every_pathway_a_referral_starts_has_the_legal_time_for_assessing_it_in_every_version(library):
    """Pasient- og brukerrettighetsloven § 2-2 applies to every referral to specialist care, not only
    to adults': each mental-health and substance-use pathway a referral starts counts it, with the law
    as its source, and so does the pain pathway."""
    entries = yaml.safe_load(NORM_FILE.read_text(encoding="utf-8"))["pathways"]
    legal = legal_assessment_time({e["id"]: e for e in entries})
    for pathway_id in REFERRED_MENTAL_HEALTH + LONG_TERM:
        definition = library.get(pathway_id).definition
        for norm in definition.norms:
            rule = norm.intervals_to("referral_assessed")
            assert len(rule) == 1 and rule[0].from_milestone == definition.clock_start, \
                (pathway_id, norm.effective_from)
            assert (rule[0].amount, rule[0].unit) == legal and rule[0].source.startswith(LAW), pathway_id


def test_the_2019_mental_health_times_end_with_2022_and_from_2023_the_assessed_referral_starts_the_clock(library):
    for pathway_id in REFERRED_MENTAL_HEALTH:
        pathway = library.get(pathway_id)
        old, new = pathway.definition.norms
        assert old.effective_until.isoformat() == "2022-12-31" and old.clock_start is None, pathway_id
        assert new.effective_from.isoformat() == "2023-01-01" and new.clock_start == "referral_assessed", pathway_id
        assert new.note and pathway.spec.norm_gap, f"{pathway_id}: say which times are not known"
        if pathway_id != "phr-eating-disorders-children":  # the only table read in its 2022 version
            assert len(new.intervals) == 1, f"{pathway_id}: no figure of 2019 is carried into 2023"


def test_no_text_holds_a_time_figure():
    for path in CONTENT.glob("*/**/*.md"):  # the texts, not content/README.md
        figure = TIME_FIGURE.search(path.read_text(encoding="utf-8"))
        assert figure is None, f"{path}: {figure.group(0)!r}"


def test_the_figure_check_finds_figures_in_words_and_digits():
    for text in ("normalt innen 12 dager", "inntil seks uker", "about 3 to 4 months", "10 virkedager"):
        assert TIME_FIGURE.search(text), text
    for text in ("ring 116 117", "fra 1. mai 2021", "en time hos fastlegen", "fra fylte 16 år"):
        assert not TIME_FIGURE.search(text), text


def test_lix_counts_words_per_sentence_and_long_words():
    # 19 words, 3 sentences, 2 words longer than six letters: 19/3 + 100*2/19
    text = "Du får svar og en plan. Spør hvordan du får svaret, og av hvem. Datoen står på tidslinjen din."
    assert round(lix(text), 1) == 16.9


def test_every_text_is_easy_to_read():
    scores = score_content(CONTENT, LANGUAGES)
    assert len({s.language for s in scores}) == 3 and len(scores) > 100
    hard = [f"{s.path.relative_to(CONTENT)}: {s.measure} {s.value}" for s in scores if not s.passes]
    assert not hard, f"LIX above {LIX_MAX} or Flesch below {FLESCH_MIN}: " + "; ".join(hard)


@pytest.mark.no_database
def test_the_readability_command_lists_the_hardest_texts(read_only_app):
    result = read_only_app.test_cli_runner().invoke(args=["content", "readability", "--count", "3"])
    assert result.exit_code == 0, result.output
    assert result.output.count(" words  ") == 3
    for language in LANGUAGES:
        assert re.search(rf"^{language}: \d+ texts, (LIX|Flesch) median", result.output, re.M)


@pytest.mark.skipif(not (SHARED / "tools" / "copycheck.py").is_file(), reason="shared/tools is not next to the project")
def test_no_sentence_repeats_the_source_documents():
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "copycheck.py"), "content", "templates"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_listed_pathway_has_search_words_in_every_language(library):
    for pathway in library.listed():
        for language, texts in pathway.texts.items():
            assert len(texts.labels["keywords"]) >= 3, (pathway.id, language)


def test_the_glossary_explains_the_same_words_in_every_language(library):
    ids = {language: [e.id for e in library.glossary[language]] for language in LANGUAGES}
    assert len(ids["nb"]) >= 25
    assert set(ids["nb"]) == set(ids["nn"]) == set(ids["en"])
    for wanted in ("utredning", "pakkeforlop", "forlopskoordinator", "parorende", "fastlege", "kriseplan"):
        assert wanted in ids["nb"], wanted


def test_the_new_pathways_carry_what_the_norm_file_has(library):
    """Pain: the official times in calendar weeks, with their source and page date. Child welfare: no
    figures, and a word on where they would come from."""
    pain = library.get("npf-pain").definition
    (norm,) = pain.norms
    assert norm.quality == "official" and norm.page_date.isoformat() == "2025-04-07"
    weeks = {(i.from_milestone, i.to_milestone): i.amount for i in norm.intervals if i.unit == "weeks"}
    assert weeks == {("referral_received", "assessment_start"): 12, ("assessment_start", "summary_meeting"): 12,
                     ("summary_meeting", "follow_up_meeting"): 26}
    welfare = library.get("phr-child-welfare")
    assert welfare.definition.norms == () and "helsedirektoratet.no" in welfare.spec.norm_gap
