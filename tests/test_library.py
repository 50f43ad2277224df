"""The public library: every pathway grouped, found by everyday words, its words explained, and
each normal time shown with where it comes from."""
from __future__ import annotations

import pytest

from portal.content import LANGUAGES
from portal.content.glossary import alphabetical

from .support.content import CANCER, HOME, LISTED, LONG_TERM, MENTAL_HEALTH, REMOVED_IN_2021
from .support.pages import find, links, parse, text_of, texts

# Public pages only: nothing here reaches the database.
pytestmark = pytest.mark.no_database

# Everyday words, as a person would type them, in bokmål, nynorsk and English.
SEARCHES = [
    ("bryst", {"cancer-breast"}),
    ("lunge", {"cancer-lung"}),
    ("rus", {"phr-tsb", "phr-pregnant-substance-use"}),
    ("spiseforstyrrelse", {"phr-eating-disorders-children"}),
    ("eldre hjemme", {"hph"}),
    ("eteforstyrring", {"phr-eating-disorders-children"}),
    ("eldre heime", {"hph"}),
    ("breast", {"cancer-breast"}),
    ("lung", {"cancer-lung"}),
    ("eating disorder", {"phr-eating-disorders-children"}),
    ("older people at home", {"hph"}),
    ("Kreft i BRYSTET", {"cancer-breast"}),
    ("smerteklinikk", {"npf-pain"}),
    ("chronic pain", {"npf-pain"}),
    ("fosterhjem", {"phr-child-welfare"}),
    ("foster care", {"phr-child-welfare"}),
]


def pathway_ids(page, css: str) -> set[str]:
    """The pathways that the links a CSS selector picks lead to."""
    return {href.removeprefix("/pathways/") for href in links(page, css) if href.startswith("/pathways/")}


def found_ids(response) -> set[str]:
    return pathway_ids(response, "section.results a")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("words", "expected"), SEARCHES)
def test_search_finds_a_pathway_by_everyday_words_in_any_language(read_only_client, language, words, expected):
    response = read_only_client.get("/", query_string={"q": words, "lang": language})
    assert response.status_code == 200
    assert expected <= found_ids(response)
    if words not in ("rus",):
        assert found_ids(response) == expected


def test_search_with_no_match_says_so_and_still_lists_everything(read_only_client):
    response = read_only_client.get("/?q=xyzzy&lang=en")
    page = text_of(response)
    assert "0 pathways found for “xyzzy”" in page
    assert "Try another word" in page
    assert len(links(response, "a[href^='/pathways/']")) == len(LISTED)


def test_search_never_finds_the_packages_removed_in_2021(read_only_client):
    for words in ("leukemi", "leukaemia", "KLL", "CLL"):
        ids = found_ids(read_only_client.get("/", query_string={"q": words}))
        assert not ids & set(REMOVED_IN_2021)


def test_index_groups_every_listed_pathway_under_its_heading(read_only_client, read_only_app):
    page = parse(read_only_client.get("/?lang=en"))
    library = read_only_app.extensions["library"]
    groups = {"Cancer": CANCER, "Mental health and substance use": MENTAL_HEALTH,
              "Long-lasting health problems": LONG_TERM, "Home and municipality": HOME}
    listed = {texts(section, "h3")[0]: pathway_ids(section, "a") for section in find(page, "nav section")}
    assert listed == {heading: set(ids) for heading, ids in groups.items()}
    for pathway_id in REMOVED_IN_2021:
        assert f"/pathways/{pathway_id}" not in links(page)
        assert read_only_client.get(f"/pathways/{pathway_id}").status_code == 404
        assert library.get(pathway_id) is not None  # old referrals still compute


def test_search_works_without_javascript_as_a_plain_form(read_only_client):
    (form,) = find(read_only_client.get("/"), "form[role=search]")
    assert (form.method, form.action) == ("GET", "/")
    assert find(form, "input[name=q]#field-q") and find(form, "label[for=field-q]")
    assert find(form, "[type=submit]")


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_page_explains_every_word_in_order(read_only_client, read_only_app, language):
    entries = read_only_app.extensions["library"].glossary[language]
    page = parse(read_only_client.get(f"/glossary?lang={language}"))
    terms = {dt.get("id"): dt.text_content() for dt in find(page, "dt")}
    assert terms == {f"term-{entry.id}": entry.term for entry in entries}
    assert list(terms.values()) == sorted(terms.values(), key=alphabetical)


def test_the_glossary_is_in_norwegian_alphabetical_order():
    assert sorted(["år", "øye", "Ære", "zebra", "ape"], key=alphabetical) == ["ape", "zebra", "Ære", "øye", "år"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_glossary_word_is_linked_where_it_first_appears_and_only_there(read_only_client, read_only_app, language):
    page = read_only_client.get(f"/pathways/cancer-breast?lang={language}")
    terms = [href.removeprefix("/glossary#term-") for href in links(page, "a.term")]
    assert terms, "no glossary word linked"
    assert len(terms) == len(set(terms))
    glossary_ids = {e.id for e in read_only_app.extensions["library"].glossary[language]}
    assert set(terms) <= glossary_ids
    assert read_only_client.get("/glossary").status_code == 200


def test_glossary_links_never_go_inside_headings_or_other_links(read_only_client):
    page = read_only_client.get("/pathways/phr-adults")
    assert find(page, "a.term")
    for tag in ("summary", "h1", "h2", "h3", "a"):
        assert not find(page, f"{tag} a.term"), tag


def test_each_normal_time_names_its_source_and_the_date_it_took_effect(read_only_client):
    page = read_only_client.get("/pathways/cancer-breast?lang=en")
    twelve_days = [norm for norm in find(page, "span.norm")
                   if text_of(norm).startswith("Normally within 12 days after ")]
    assert twelve_days and links(twelve_days[0], "a.source-ref") == ["#source-1"]
    (source,) = texts(page, "li#source-1")
    assert "(official)" in source and "In force from 1 May 2021." in source
    assert links(page, "li#source-1 a")[0].startswith("https://www.helsedirektoratet.no/")


def test_a_start_date_nobody_knows_is_said_to_be_unknown(read_only_client):
    """Brain cancer: the day the package started is not known; 1 January 2015 only stands in for it."""
    response = read_only_client.get("/pathways/cancer-brain?lang=en")
    sources = texts(response, "section.source")[0]
    assert "Start date not known." in sources
    assert "In force from" not in sources and "1 January 2015" not in sources
    assert "Normally within" in text_of(response)  # the times are still shown


def test_a_known_start_date_is_the_packages_own(read_only_client):
    sources = texts(read_only_client.get("/pathways/cancer-sarcoma?lang=en"), "section.source")[0]
    assert "In force from 1 September 2015." in sources


def test_a_secondary_source_is_shown_as_such(read_only_client):
    sources = texts(read_only_client.get("/pathways/cancer-lung?lang=en"), "section.source")[0]
    assert "restated by a hospital, a patient organisation or an article" in sources


def test_a_pathway_without_figures_says_the_times_are_not_in_the_portal(read_only_client):
    page = text_of(read_only_client.get("/pathways/cancer-prostate?lang=en"))
    assert "does not have the official normal times for every step" in page
    assert "Normally within" not in page


def test_the_pain_pathway_shows_its_times_in_weeks_and_says_its_start_date_is_not_known(read_only_client):
    response = read_only_client.get("/pathways/npf-pain?lang=en")
    page = text_of(response)
    assert "Normally within 12 weeks after “Referral received”." in page
    assert "Normally within 26 weeks after “Summary meeting”." in page
    assert "Normally within 10 working days after “Referral received”." in page
    sources = texts(response, "section.source")[0]
    assert "https://www.helsedirektoratet.no/nasjonale-forlop/smerte/forlopstider" in sources
    assert "Start date not known." in sources and "Page last updated 7 April 2025." in sources


def test_the_child_welfare_pathway_explains_the_steps_without_times(read_only_client):
    page = text_of(read_only_client.get("/pathways/phr-child-welfare?lang=nb"))
    for step in ("Barnevernet foreslår forløpet", "Avklaringsmøte", "Samarbeidsmøte"):
        assert step in page
    assert "Normalt innen" not in page
    assert "Portalen har ikke de offisielle normale tidene for alle stegene i dette forløpet ennå." in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_mr_is_explained_as_ct_is_and_linked_where_a_page_first_names_it(read_only_client, read_only_app, language):
    glossary = {e.id: e for e in read_only_app.extensions["library"].glossary[language]}
    assert {"ct", "mr"} <= set(glossary)
    assert "magnet" in glossary["mr"].text
    page = read_only_client.get(f"/pathways/cancer-colorectal?lang={language}")
    assert "/glossary#term-mr" in links(page)  # the colorectal texts name MR without explaining it
