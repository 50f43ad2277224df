"""The public library: every pathway grouped, found by everyday words, its words explained, and
each normal time shown with where it comes from."""
from __future__ import annotations

import re

import pytest

from portal.content import LANGUAGES
from portal.content.glossary import alphabetical

from .test_content import CANCER, HOME, LISTED, LONG_TERM, MENTAL_HEALTH, REMOVED_IN_2021
from .test_pages import plain, text_of

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


def found_ids(response) -> set[str]:
    page = response.get_data(as_text=True)
    results = page.split('id="results-title"', 1)[1].split('id="all-title"', 1)[0]
    return set(re.findall(r'href="/pathways/([a-z0-9-]+)"', results))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("words", "expected"), SEARCHES)
def test_search_finds_a_pathway_by_everyday_words_in_any_language(client, language, words, expected):
    response = client.get("/", query_string={"q": words, "lang": language})
    assert response.status_code == 200
    assert expected <= found_ids(response), words
    if words not in ("rus",):
        assert found_ids(response) == expected, words


def test_search_with_no_match_says_so_and_still_lists_everything(client):
    response = client.get("/?q=xyzzy&lang=en")
    page = text_of(response)
    assert "0 pathways found for “xyzzy”" in page
    assert "Try another word" in page
    assert len(re.findall(r'href="/pathways/', response.get_data(as_text=True))) == len(LISTED)


def test_search_never_finds_the_packages_removed_in_2021(client):
    for words in ("leukemi", "leukaemia", "KLL", "CLL"):
        ids = found_ids(client.get("/", query_string={"q": words}))
        assert not ids & set(REMOVED_IN_2021), words


def test_index_groups_every_listed_pathway_under_its_heading(client, app):
    page = client.get("/?lang=en").get_data(as_text=True)
    library = app.extensions["library"]
    groups = {"Cancer": CANCER, "Mental health and substance use": MENTAL_HEALTH,
              "Long-lasting health problems": LONG_TERM, "Home and municipality": HOME}
    positions = {heading: page.index(f">{heading}</h3>") for heading in groups}
    order = sorted(positions, key=positions.get)
    for n, heading in enumerate(order):
        end = positions[order[n + 1]] if n + 1 < len(order) else len(page)
        block = page[positions[heading]:end]
        assert set(re.findall(r'href="/pathways/([a-z0-9-]+)"', block)) == set(groups[heading]), heading
    for pathway_id in REMOVED_IN_2021:
        assert f"/pathways/{pathway_id}" not in page
        assert client.get(f"/pathways/{pathway_id}").status_code == 404
        assert library.get(pathway_id) is not None  # old referrals still compute


def test_search_works_without_javascript_as_a_plain_form(client):
    page = client.get("/").get_data(as_text=True)
    form = re.search(r'<form method="get" action="/" role="search".*?</form>', page, re.S).group(0)
    assert 'name="q"' in form and '<label for="field-q">' in form and 'type="submit"' in form


@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_page_explains_every_word_in_order(client, app, language):
    entries = app.extensions["library"].glossary[language]
    page = client.get(f"/glossary?lang={language}").get_data(as_text=True)
    for entry in entries:
        assert f'<dt id="term-{entry.id}">{entry.term}</dt>' in page
    terms = re.findall(r'<dt id="term-[^"]+">([^<]+)</dt>', page)
    assert terms == sorted(terms, key=alphabetical)


def test_the_glossary_is_in_norwegian_alphabetical_order():
    assert sorted(["år", "øye", "Ære", "zebra", "ape"], key=alphabetical) == ["ape", "zebra", "Ære", "øye", "år"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_glossary_word_is_linked_where_it_first_appears_and_only_there(client, app, language):
    page = client.get(f"/pathways/cancer-breast?lang={language}").get_data(as_text=True)
    links = re.findall(r'<a class="term" href="/glossary#term-([a-z0-9-]+)">', page)
    assert links, "no glossary word linked"
    assert len(links) == len(set(links))
    glossary_ids = {e.id for e in app.extensions["library"].glossary[language]}
    assert set(links) <= glossary_ids
    assert client.get("/glossary").status_code == 200


def test_glossary_links_never_go_inside_headings_or_other_links(client):
    page = client.get("/pathways/phr-adults").get_data(as_text=True)
    for tag in ("summary", "h1", "h2", "h3", "a"):
        for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", page, re.S):
            assert 'class="term"' not in inner, (tag, inner)


def test_each_normal_time_names_its_source_and_the_date_it_took_effect(client):
    page = client.get("/pathways/cancer-breast?lang=en").get_data(as_text=True)
    assert re.search(r"Normally within 12 days after .*?<a href=\"#source-1\"", page, re.S)
    source = re.search(r'<li id="source-1">(.*?)</li>', page, re.S).group(1)
    assert "https://www.helsedirektoratet.no/" in source and "(official)" in source
    assert "In force from 1 May 2021." in plain(source)


def test_a_start_date_nobody_knows_is_said_to_be_unknown(client):
    """Brain cancer: the day the package started is not known; 1 January 2015 only stands in for it."""
    page = client.get("/pathways/cancer-brain?lang=en").get_data(as_text=True)
    sources = plain(page.split('id="source-title"', 1)[1])
    assert "Start date not known." in sources
    assert "In force from" not in sources and "1 January 2015" not in sources
    assert "Normally within" in plain(page)  # the times are still shown


def test_a_known_start_date_is_the_packages_own(client):
    page = client.get("/pathways/cancer-sarcoma?lang=en").get_data(as_text=True)
    assert "In force from 1 September 2015." in plain(page.split('id="source-title"', 1)[1])


def test_a_secondary_source_is_shown_as_such(client):
    page = client.get("/pathways/cancer-lung?lang=en").get_data(as_text=True)
    sources = plain(page.split('id="source-title"', 1)[1])
    assert "restated by a hospital, a patient organisation or an article" in sources


def test_a_pathway_without_figures_says_the_times_are_not_in_the_portal(client):
    page = text_of(client.get("/pathways/cancer-prostate?lang=en"))
    assert "does not have the official normal times for every step" in page
    assert "Normally within" not in page



def test_the_pain_pathway_shows_its_times_in_weeks_and_says_its_start_date_is_not_known(client):
    page = client.get("/pathways/npf-pain?lang=en").get_data(as_text=True)
    assert "Normally within 12 weeks after “Referral received”." in plain(page)
    assert "Normally within 26 weeks after “Summary meeting”." in plain(page)
    assert "Normally within 10 working days after “Referral received”." in plain(page)
    sources = plain(page.split('id="source-title"', 1)[1])
    assert "https://www.helsedirektoratet.no/nasjonale-forlop/smerte/forlopstider" in sources
    assert "Start date not known." in sources and "Page last updated 7 April 2025." in sources


def test_the_child_welfare_pathway_explains_the_steps_without_times(client):
    page = plain(client.get("/pathways/phr-child-welfare?lang=nb").get_data(as_text=True))
    for step in ("Barnevernet foreslår forløpet", "Avklaringsmøte", "Samarbeidsmøte"):
        assert step in page
    assert "Normalt innen" not in page
    assert "Portalen har ikke de offisielle normale tidene for alle stegene i dette forløpet ennå." in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_mr_is_explained_as_ct_is_and_linked_where_a_page_first_names_it(client, app, language):
    glossary = {e.id: e for e in app.extensions["library"].glossary[language]}
    assert {"ct", "mr"} <= set(glossary)
    assert "magnet" in glossary["mr"].text
    page = client.get(f"/pathways/cancer-colorectal?lang={language}").get_data(as_text=True)
    assert 'href="/glossary#term-mr">' in page  # the colorectal texts name MR without explaining it
