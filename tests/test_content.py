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

from .support.content import CANCER, HOME, LISTED, MENTAL_HEALTH, REMOVED_IN_2021
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
    categories = {"cancer": CANCER, "mental_health": MENTAL_HEALTH, "home": HOME}
    for category, ids in categories.items():
        assert {library.get(i).definition.category for i in ids} == {category}, category


@pytest.mark.skipif(not NORM_FILE.is_file(), reason="shared/reference is not next to the project")
def test_the_norm_file_has_no_pathway_in_force_that_content_lacks(library):
    entries = yaml.safe_load(NORM_FILE.read_text(encoding="utf-8"))["pathways"]
    wanted = {e["id"] for e in entries if e["category"] in ("cancer", "mental_health_addiction", "home_follow_up")}
    # Two collaboration modules have no pathway of their own for a patient to follow (the issue lists the rest).
    wanted -= {"phr-child-welfare", "phr-somatic-health-lifestyle"}
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
    for pathway in library.all():
        numbers = {int(n) for n in re.findall(r"\d+", yaml.safe_dump(entries[pathway.id], allow_unicode=True))}
        for norm in pathway.definition.norms:
            if norm.quality == "practice_model":
                continue  # HPH: the model's own rhythm from seed 004; there are no national times
            for interval in norm.intervals:
                for amount in (interval.amount, interval.amount_min):
                    assert amount is None or amount in numbers, (pathway.id, interval)


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
