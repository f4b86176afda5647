"""Suggested tags after `clip add`: tags in use that fit, then the text's distinctive terms."""

from __future__ import annotations

import json
from collections import Counter

from clipper.capture.suggest import (
    LibraryTerms,
    distinctive_terms,
    fitting_tags,
    suggest_tags,
)
from tests.conftest import Clip

SEMINAR = (
    "The Embassy of Azerbaijan in Pakistan and the Harbour Institute of Technology held a "
    "seminar on the anniversary of the Khojaly tragedy. Participants viewed an exhibition "
    "prepared by the embassy. Pakistan's minister attended the seminar as a guest, and the "
    "ambassador of Azerbaijan thanked Pakistan for its support. The seminar ended with a "
    "minute of silence for the victims of Khojaly."
)


def test_names_that_recur_stand_out_in_an_empty_library() -> None:
    terms = distinctive_terms(SEMINAR, "", "en", [])
    assert terms[:4] == ["pakistan", "azerbaijan", "khojaly", "seminar"]
    assert "the" not in terms and "and" not in terms


def test_terms_common_in_the_library_lose_their_place() -> None:
    background = [f"The seminar number {i} was held in Pakistan." for i in range(30)]
    terms = distinctive_terms(SEMINAR, "", "en", background)
    assert terms.index("khojaly") < terms.index("pakistan")
    assert terms.index("azerbaijan") < terms.index("seminar")


def test_tags_in_use_fit_when_named() -> None:
    tags = Counter({"region/azerbaijan": 3, "sport": 9, "region/pakistan": 1, "ab": 4})
    assert fitting_tags(SEMINAR, "", tags) == ["region/pakistan", "region/azerbaijan"]
    assert fitting_tags("Sport once.", "", tags) == []
    assert fitting_tags("Nothing.", "Sport round-up", tags) == ["sport"]


def test_suggestions_skip_tags_already_given_and_are_limited() -> None:
    library = LibraryTerms(tag_counts=Counter({"region/azerbaijan": 2}),
                           related_tags=["transport"])  # fmt: skip
    found = suggest_tags(SEMINAR, "", "en", ["khojaly"], library)
    assert found[:2] == ["transport", "region/azerbaijan"]
    assert "khojaly" not in found and "azerbaijan" not in found
    assert len(found) == 5


def test_add_shows_suggestions_and_auto_tag_applies_them(clip: Clip) -> None:
    result = clip("add", SEMINAR, "--title", "Seminar", "-t", "khojaly", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["tags"] == ["khojaly"]
    result = clip("add", SEMINAR + " Again.", "--title", "Seminar two", "--auto-tag",
                  "--allow-duplicate", "--json")  # fmt: skip
    tags = json.loads(result.stdout)["tags"]
    assert tags[0] == "khojaly"  # the tag of the clipping telling the same story
    assert {"pakistan", "azerbaijan"} <= set(tags)
