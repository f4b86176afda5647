"""Near duplicates: the same story republished is kept with a warning, and both are linked."""

from __future__ import annotations

import json
from typing import Any

from clipper.capture.dedup import near_duplicates, overlap, similarity
from clipper.model import count_words
from clipper.signature import shingle_hashes, text_signature
from tests.conftest import Clip

STORY = [
    "The city council of Portmere voted on Thursday to build a 6.4-kilometre tram line linking "
    "the central station with the redeveloped old docks, ending a debate that has divided the "
    "harbour city for almost a decade.",
    "Thirty-one councillors voted in favour and eighteen against. The line, with nine stops, is "
    "expected to carry 28,000 passengers a day when it opens in 2030. Its cost is estimated at "
    "410 million euros, two thirds of which will come from the regional transport fund.",
    "Mayor Ines Calloway called the vote a promise kept to the east side, where the docks now "
    "house 12,000 residents but no rail link. Opponents argued that an electric bus route would "
    "have served the same neighbourhoods at a quarter of the price.",
    "Shopkeepers on Canal Street, where the tracks will run, asked for compensation during two "
    "years of construction. The council said a support fund would be set up before work begins "
    "next spring, and a public consultation on the design of the stops opens in May.",
]
ORIGINAL = "\n\n".join(STORY)
# The wire story as another outlet ran it: its own dateline, a sentence added, a paragraph cut.
REPUBLISHED = "\n\n".join(
    ["PORTMERE (Harbour Wire) - " + STORY[0], STORY[1], STORY[3],
     "The Harbour Wire will follow the consultation."]
)  # fmt: skip
UNRELATED = (
    "The national football team beat its neighbours three goals to one on Saturday evening in "
    "front of a sold-out stadium, with two late goals from the captain sealing a place in the "
    "final tournament for the first time in twenty years. The coach praised the defence and "
    "said the squad would rest before the friendly against the champions next month."
)


def sign(text: str) -> tuple[str, int]:
    return text_signature(text), count_words(text)


def test_signatures_are_compact_and_stable() -> None:
    signature = text_signature(ORIGINAL)
    assert len(signature) == 128 and int(signature, 16) >= 0
    assert text_signature(ORIGINAL.upper().replace("\n\n", " ")) == signature
    assert text_signature("Too short to compare.") == ""


def test_the_same_story_is_similar_and_others_are_not() -> None:
    original, republished, unrelated = sign(ORIGINAL), sign(REPUBLISHED), sign(UNRELATED)
    assert similarity(original[0], republished[0]) > 0.5
    assert overlap(*original, *republished) >= 0.8
    assert overlap(*original, *unrelated) < 0.2
    assert similarity(original[0], "") == 0.0


def test_a_shortened_copy_still_counts_as_the_same_story() -> None:
    half = "\n\n".join(STORY[:2])
    assert overlap(*sign(ORIGINAL), *sign(half)) >= 0.8


def test_near_duplicates_among_candidates() -> None:
    candidates = [(1, *sign(UNRELATED)), (2, *sign(ORIGINAL)), (3, "", 0), (4, "zz", 5)]
    found = near_duplicates(*sign(REPUBLISHED), candidates)
    assert [i for i, _ in found] == [2]


def test_the_estimate_follows_the_true_jaccard() -> None:
    first, second = shingle_hashes(ORIGINAL), shingle_hashes(REPUBLISHED)
    true = len(first & second) / len(first | second)
    assert abs(similarity(text_signature(ORIGINAL), text_signature(REPUBLISHED)) - true) < 0.2


def shown(clip: Clip, clipping_id: int) -> dict[str, Any]:
    return json.loads(clip("show", str(clipping_id), "--json").stdout)[0]  # type: ignore[no-any-return]


def test_adding_the_same_story_warns_and_links_both(clip: Clip) -> None:
    assert clip("add", ORIGINAL, "--title", "Tram line approved", "-t", "transport").stdout == "1\n"
    assert clip("add", UNRELATED, "--title", "Football").exit_code == 0
    result = clip("add", REPUBLISHED, "--title", "Portmere says yes to trams")
    assert result.exit_code == 0
    assert result.stdout == "3\n"
    assert "Warning: clipping 3 tells the same story as clipping 1 “Tram line approved”" in (
        result.stderr)  # fmt: skip
    assert "kept anyway" in result.stderr
    # One line a warning when stderr is not a terminal (a log keeps it whole, unwrapped).
    warning = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warning) == 1 and warning[0].endswith("kept anyway."), result.stderr
    assert shown(clip, 3)["near_duplicates"] == [1]
    assert shown(clip, 1)["near_duplicates"] == [3]
    assert shown(clip, 2)["near_duplicates"] == []


def test_show_lists_the_near_duplicates(clip: Clip) -> None:
    clip("add", ORIGINAL, "--title", "Tram line approved")
    clip("add", REPUBLISHED, "--title", "Portmere says yes to trams")
    shown_text = clip("show", "1").stdout
    assert "same story: #2" in shown_text


def test_an_exact_copy_is_still_refused(clip: Clip) -> None:
    clip("add", ORIGINAL, "--title", "Tram line approved")
    result = clip("add", ORIGINAL, "--title", "Again")
    assert result.exit_code == 4
    assert "clipping 1" in result.stderr
