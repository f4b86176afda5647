"""Ranking: stems per language, exact words in quotes, stopwords, partial matches, feedback."""

from __future__ import annotations

from typing import Any

import pytest

from clipper.library.core import Library
from clipper.model import Draft


def ids(library: Library, query: str, **options: Any) -> list[int]:
    return [hit.clipping.id for hit in library.search(query, **options).hits]


def add(library: Library, *drafts: Draft) -> None:
    result = library.add_many(list(drafts))
    assert not result.failed


@pytest.fixture
def languages(library: Library) -> Library:
    """One clipping per language, each with a word in an inflected form, and an unrelated one."""
    add(
        library,
        Draft(title="Vote", text="The elections were held in spring.", language="en"),
        Draft(title="Bau", text="Die neuen Häuser stehen am Fluss.", language="de"),
        Draft(title="Итоги", text="Итоги выборов объявлены в Москве.", language="ru"),
        Draft(title="Okul", text="Öğrenciler kitapları okudular.", language="tr"),
        Draft(title="Weather", text="Rain and wind all week long.", language="en"),
    )
    return library


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("election", [1]),  # English: elections -> election
        ("Haus", [2]),  # German: Häuser -> Haus
        ("выборы", [3]),  # Russian: выборов -> выбор
        ("kitap", [4]),  # Turkish: a plural with a possessive -> kitap
    ],
)
def test_a_word_finds_its_other_forms_in_the_clippings_language(
    languages: Library, query: str, expected: list[int]
) -> None:
    assert ids(languages, query) == expected


def test_a_quoted_word_matches_only_as_written(languages: Library) -> None:
    assert ids(languages, '"election"') == []
    assert ids(languages, '"elections"') == [1]
    assert ids(languages, '"kitap"') == []
    assert ids(languages, '"kitapları"') == [4]  # accents folded, the word whole
    assert ids(languages, 'title:"Vote"') == [1]


def test_lang_analyses_the_query_in_that_language_only(languages: Library) -> None:
    assert ids(languages, "election lang:en") == [1]
    assert ids(languages, "Häuser lang:de") == [2]


def test_prefixes_and_phrases_still_match_the_words(languages: Library) -> None:
    assert ids(languages, "elect*") == [1]
    assert ids(languages, '"the elections were"') == [1]
    assert ids(languages, '"elections held"') == []


def test_an_azerbaijani_word_is_kept_whole(library: Library) -> None:
    add(
        library,
        Draft(title="Xocalı", text="Xocalı soyqırımının ildönümü qeyd olundu.", language="az"),
        Draft(title="Başqa", text="Xocalının tarixi haqqında kitab.", language="az"),
    )
    assert ids(library, "xocali") == [1]  # no Snowball stemmer: the genitive is another word
    assert sorted(ids(library, "xocali*")) == [1, 2]


def test_stopwords_neither_select_nor_rank(library: Library) -> None:
    add(
        library,
        Draft(
            title="One", text="The budget of the city and the state for the year.", language="en"
        ),
        Draft(title="Two", text="Budget approved.", language="en"),
        Draft(title="Three", text="The river and the bridge.", language="en"),
    )
    # "the" and "of" are left out when other words are asked: clipping 2 has neither.
    assert sorted(ids(library, "the budget of", words="all")) == [1, 2]
    found = library.search("budget").hits
    with_stopwords = library.search("the budget of the").hits
    assert [(h.clipping.id, h.score) for h in found] == [
        (h.clipping.id, h.score) for h in with_stopwords
    ]
    assert sorted(ids(library, "the")) == [1, 3]  # alone, a stopword still matches
    assert ids(library, '"the bridge"') == [3]


def test_plain_words_all_match_then_partial_matches_fill_the_page(library: Library) -> None:
    add(
        library,
        Draft(title="Storm", text="A storm hit the coast; the port closed.", language="en"),
        Draft(title="Coast", text="The coast road reopened.", language="en"),
        Draft(title="Port", text="The port is busy.", language="en"),
        Draft(title="Other", text="Nothing of that kind.", language="en"),
    )
    results = library.search("storm port")
    assert [(h.clipping.id, h.partial) for h in results.hits] == [(1, False), (3, True)]
    assert results.total == 1
    assert ids(library, "storm port", words="all") == [1]
    assert ids(library, "storm port", limit=1) == [1]  # a full page needs no filling
    assert sorted(ids(library, "storm port coast", words="any")) == [1, 2, 3]
    assert not any(h.partial for h in library.search("storm port", words="any").hits)


def test_expand_brings_in_a_clipping_that_shares_no_query_word(library: Library) -> None:
    add(
        library,
        Draft(title="Volcano erupts", text="The volcano erupted: lava and ash.", language="en"),
        Draft(
            title="Volcano alert", text="Lava flows and ash clouds near the volcano.", language="en"
        ),
        Draft(title="Island", text="Ash and lava reached the villages; magma rose.", language="en"),
        *(
            Draft(title=f"Market {n}", text=f"Shares rose on day {n} of trading.", language="en")
            for n in range(6)
        ),
    )
    assert sorted(ids(library, "volcano")) == [1, 2]
    expanded = ids(library, "volcano", expand=True)
    assert sorted(expanded[:2]) == [1, 2]  # the original matches stay first
    assert 3 in expanded
    assert not set(expanded) & set(range(4, 10))  # nothing about markets


def test_related_scores_and_stops_at_unrelated_clippings(library: Library) -> None:
    add(
        library,
        Draft(
            title="Glacier melting",
            text="Alpine glaciers are melting faster; ice loss grows each summer.",
            language="en",
        ),
        Draft(
            title="Ice loss",
            text="The glaciers lose ice as summers warm; melting speeds up.",
            language="en",
        ),
        *(
            Draft(
                title=f"Match {n}",
                text=f"The team won game {n} at home; ice cold drinks.",
                language="en",
            )
            for n in range(8)
        ),
    )
    found = library.related(1, limit=10)
    hits = found.hits
    assert found.total == 1
    assert [hit.clipping.id for hit in hits] == [2]
    assert hits[0].score is not None and 0 < hits[0].score <= 1


def test_the_forms_a_stem_found_are_highlighted(languages: Library) -> None:
    hit = languages.search("election").hits[0]
    assert [piece for piece, lit in hit.snippet.pieces if lit] == ["elections"]
    quoted = languages.search('"elections"').hits[0]
    assert [piece for piece, lit in quoted.snippet.pieces if lit] == ["elections"]


def test_expand_leaves_out_terms_most_clippings_have(library: Library) -> None:
    # "reported" is in every clipping: BM25 gives it no weight, it would only bring them all in.
    add(
        library,
        Draft(title="Volcano", text="Volcano lava, reported today.", language="en"),
        Draft(title="Lava", text="Lava near the volcano, reported today.", language="en"),
        Draft(title="Flows", text="Lava flows, reported.", language="en"),
        *(
            Draft(title=f"Market {n}", text=f"Shares up {n}, reported.", language="en")
            for n in range(4)
        ),
    )
    expanded = ids(library, "volcano", expand=True)
    assert sorted(expanded) == [1, 2, 3]
