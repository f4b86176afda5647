"""The review model: near duplicates fold into one story, undated stories sort last in their
group, passages replace the opening words, share-safe reviews stay under the word cap."""

from __future__ import annotations

import re
from typing import Any

from clipper.formats import markdown_digest
from clipper.formats.press_review import Options, build, opening_sentences
from clipper.formats.stories import fold
from clipper.model import Clipping

LONG = " ".join(f"Sentence {n} has exactly six words." for n in range(1, 40))


def clipping(number: int, **fields: Any) -> Clipping:
    values: dict[str, Any] = {
        "id": number, "uuid": f"00000000-0000-4000-8000-{number:012d}", "title": f"Title {number}",
        "text": f"Text of clipping {number}.", "captured": "2026-12-01T10:00:00Z",
    }  # fmt: skip
    values.update(fields)
    return Clipping(**values).with_changes(text=values["text"])


def wire_story() -> list[Clipping]:
    """One wire story carried by four outlets (Trend twice), and an unrelated clipping."""
    return [
        clipping(1, source="Trend", published="2026-11-21", near_duplicates=[2, 3, 4],
                 url="https://trend.az/1"),
        clipping(2, source="APA", published="2026-11-20", near_duplicates=[1],
                 url="https://apa.az/2"),
        clipping(3, source="Trend", published="2026-11-22", near_duplicates=[1]),
        clipping(4, source="Report", published="2026-11-23", near_duplicates=[1, 9]),
        clipping(5, source="APA", published="2026-11-22"),
    ]  # fmt: skip


def test_near_duplicates_fold_into_one_story_led_by_the_earliest_copy() -> None:
    stories = fold(wire_story())
    assert [(s.lead.id, [c.id for c in s.copies]) for s in stories] == [(2, [1, 3, 4]), (5, [])]
    assert stories[0].also_in() == "Trend (2), Report"


def test_a_starred_copy_leads_its_story() -> None:
    items = wire_story()
    items[3] = items[3].with_changes(starred=True)
    story = fold(items)[0]
    assert story.lead.id == 4 and [c.id for c in story.copies] == [2, 1, 3]
    assert story.also_in() == "APA, Trend (2)"


def test_no_group_keeps_every_copy() -> None:
    review = build(wire_story(), Options(group_by="none", group_copies=False))
    assert [e.clipping.id for e in review.parts[0].entries] == [4, 5, 3, 1, 2]
    assert all(e.also_in == "" for e in review.parts[0].entries)


def test_the_review_shows_each_story_once_with_the_other_outlets() -> None:
    document = markdown_digest.render(wire_story(), group_by="none")
    assert document.count("### Title") == 2
    assert "Also in: Trend (2), Report · Trend, 21 Nov 2026 ([link](<https://trend.az/1>)); " \
           "Trend, 22 Nov 2026; Report, 23 Nov 2026" in document  # fmt: skip
    assert "5 clippings · 2 stories · 20 Nov 2026 – 23 Nov 2026" in document
    assert "**Outlets:** APA 2 · Trend 2 · Report 1" in document


def test_undated_stories_come_after_dated_ones_in_their_group() -> None:
    # Clipped after the dated ones were published: sorting by the capture day would put the
    # undated clipping first.
    items = [
        clipping(1, source="APA", published="2026-11-20"),
        clipping(2, source="APA", captured="2026-12-01T10:00:00Z"),
        clipping(3, source="APA", published="2026-11-25"),
    ]
    review = build(items, Options(group_by="source"))
    assert [e.clipping.id for e in review.parts[0].entries] == [3, 1, 2]
    assert review.parts[0].entries[2].dateline == "undated, clipped 1 Dec 2026"


def test_passages_replace_the_opening_words_of_an_excerpt() -> None:
    item = clipping(1, text=LONG, passages=["Sentence 7 has exactly six words."])
    entry = build([item], Options(excerpt_words=5)).parts[0].entries[0]
    assert entry.passages == ("Sentence 7 has exactly six words.",) and entry.body == ""
    full = build([item], Options()).parts[0].entries[0]
    assert full.passages == entry.passages and full.body == LONG


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_share_safe_quotes_whole_sentences_up_to_the_cap_with_attribution() -> None:
    item = clipping(1, text=LONG, source="APA", url="https://apa.az/1", published="2026-11-20")
    entry = build([item], Options(share_safe=True, excerpt_words=20)).parts[0].entries[0]
    assert entry.body == " ".join(f"Sentence {n} has exactly six words." for n in (1, 2, 3))
    assert entry.cut
    assert entry.attribution is not None
    assert "APA" in entry.attribution and "https://apa.az/1" in entry.attribution


def test_share_safe_cuts_passages_to_the_cap_together() -> None:
    passages = [f"Sentence {n} has exactly six words." for n in (2, 5, 9)]
    item = clipping(1, text=LONG, passages=passages)
    entry = build([item], Options(share_safe=True, excerpt_words=10)).parts[0].entries[0]
    assert entry.body == ""
    assert sum(words(p) for p in entry.passages) == 10
    assert entry.passages == ("Sentence 2 has exactly six words.", "Sentence 5 has exactly…")


def test_a_first_sentence_longer_than_the_cap_is_cut_to_it() -> None:
    text, cut = opening_sentences("one two three four five six seven. Eight.", 4)
    assert (text, cut) == ("one two three four…", True)


def test_a_share_safe_review_holds_no_full_text() -> None:
    item = clipping(1, text=LONG, note="Our own note.")
    document = markdown_digest.render([item], share_safe=True)
    assert LONG not in document and "Sentence 11 " not in document
    assert "Our own note." in document
