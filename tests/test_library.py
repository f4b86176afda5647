"""The library facade, used directly as a script would: no CLI involved."""

from __future__ import annotations

import pytest

from clipper.errors import DuplicateError, ExitCode, NotFoundError, UsageError
from clipper.library.core import Library
from clipper.model import Clipping, Draft, content_hash
from clipper.selection import Filter


def draft(text: str, **fields: object) -> Draft:
    return Draft(text=text, title=fields.pop("title", "A title"), **fields)  # type: ignore[arg-type]


def ids(clippings: list[Clipping]) -> list[int]:
    return [c.id for c in clippings]


# Every test runs on a library folder and on a team library (PostgreSQL).
pytestmark = pytest.mark.usefixtures("backend")


# Adding and getting ----------------------------------------------------------------------


def test_add_validates_stores_and_returns_the_clipping(library: Library) -> None:
    added = library.add(
        draft(
            "Harbour city council approves tram line.\r\n\r\n\r\nThirty-one voted in favour.",
            title=" Tram line approved ",
            url="https://www.portmere-courier.example/tram",
            source="Portmere Courier",
            authors=["Ann Smith", "Bo Lee"],
            published="2026-03-14",
            language="EN",
            tags=["Transport", "Region/Portmere"],
            note="Vote 31-18.",
            starred=True,
        )
    )
    assert added.id == 1
    assert added.title == "Tram line approved"
    assert added.title_source == "given"
    assert added.text == "Harbour city council approves tram line.\n\nThirty-one voted in favour."
    assert added.language == "en"
    assert added.tags == ["transport", "region/portmere"]
    assert added.site == "portmere-courier.example"
    assert added.word_count == 11
    assert added.content_hash == content_hash(added.text)
    assert added.captured.endswith("Z")
    assert library.get(1) == added


def test_an_invalid_draft_is_refused_and_nothing_is_stored(library: Library) -> None:
    with pytest.raises(UsageError):
        library.add(draft("Some text.", published="2023-02-30"))
    assert library.clippings() == []
    assert library.add(draft("Some text.")).id == 1


def test_get_of_a_missing_id_points_to_list(library: Library) -> None:
    with pytest.raises(NotFoundError) as caught:
        library.get(42)
    assert caught.value.exit_code == ExitCode.NOT_FOUND
    assert "no clipping 42" in caught.value.message
    assert "clip list" in caught.value.message


def test_get_many_keeps_the_order_asked_for(library: Library) -> None:
    for n in range(3):
        library.add(draft(f"Article {n}."))
    assert ids(library.get_many([3, 1, 2])) == [3, 1, 2]


def test_get_many_of_a_trashed_id_suggests_restoring_it(library: Library) -> None:
    library.add(draft("First."))
    library.add(draft("Second."))
    library.remove([2])
    with pytest.raises(NotFoundError) as caught:
        library.get_many([1, 2])
    assert "clipping 2 is in the trash" in caught.value.message
    assert "clip trash restore 2" in caught.value.message


# Selecting -------------------------------------------------------------------------------


@pytest.fixture
def newsroom(library: Library) -> Library:
    """Five clippings with distinct tags, outlets, dates and stars."""
    library.add(draft("Tram vote.", tags=["transport", "region/portmere"],
                      source="Portmere Courier", published="2026-03-14"))  # fmt: skip
    library.add(draft("Khojaly seminar.", tags=["region/azerbaijan", "history"],
                      url="https://www.news.az/news/1", published="2023-02-23"))  # fmt: skip
    library.add(draft("Budget passed.", tags=["politics"], source="BBC News",
                      published="2024-11-02", starred=True))  # fmt: skip
    library.add(draft("Regional weather.", tags=["regional"], source="bbc news",
                      published="2024-11-02"))  # fmt: skip
    library.add(draft("Undated item.", tags=["politics/local"]))
    return library


def select_ids(library: Library, **conditions: object) -> list[int]:
    return ids(library.select(Filter(**conditions), sort="added"))  # type: ignore[arg-type]


def test_a_tag_selects_its_whole_subtree_and_nothing_else(newsroom: Library) -> None:
    assert select_ids(newsroom, tags=["region"]) == [2, 1]
    assert select_ids(newsroom, tags=["region/azerbaijan"]) == [2]
    assert select_ids(newsroom, tags=["politics"]) == [5, 3]
    assert select_ids(newsroom, tags=["reg"]) == []


def test_several_tags_must_all_be_present(newsroom: Library) -> None:
    assert select_ids(newsroom, tags=["region", "history"]) == [2]
    assert select_ids(newsroom, tags=["region", "politics"]) == []


def test_source_matches_the_outlet_case_insensitively_or_the_site(newsroom: Library) -> None:
    assert select_ids(newsroom, source="BBC NEWS") == [4, 3]
    assert select_ids(newsroom, source="news.az") == [2]
    assert select_ids(newsroom, source="BBC") == []


def test_since_and_until_are_inclusive_days(newsroom: Library) -> None:
    assert select_ids(newsroom, since="2024-11-02", until="2024-11-02") == [4, 3]
    assert select_ids(newsroom, until="2023-02-23") == [2]
    assert select_ids(newsroom, since="2026-03-14") == [5, 1]  # 5 has today's capture date
    assert select_ids(newsroom, since="2023-02-24", until="2024-11-02") == [4, 3]


def test_starred_selects_only_starred(newsroom: Library) -> None:
    assert select_ids(newsroom, starred=True) == [3]
    assert select_ids(newsroom, starred=False) == [5, 4, 2, 1]


@pytest.mark.parametrize("published", ["2023", "2023-02"])
def test_a_year_or_month_date_is_within_since_and_until_of_that_period(
    library: Library, published: str
) -> None:
    library.add(draft("Vaguely dated.", published=published))
    assert select_ids(library, since=f"{published[:4]}-01-01") == [1]
    assert select_ids(library, since="2023-02-01", until="2023-02-28") == [1]
    assert select_ids(library, until="2022-12-31") == []
    assert select_ids(library, since="2024-01-01") == []


def test_sorts_newest_oldest_and_added(newsroom: Library) -> None:
    assert ids(newsroom.select(sort="newest")) == [5, 1, 4, 3, 2]
    assert ids(newsroom.select(sort="oldest")) == [2, 3, 4, 1, 5]
    assert ids(newsroom.select(sort="added")) == [5, 4, 3, 2, 1]


def test_an_unknown_sort_is_a_usage_error(newsroom: Library) -> None:
    with pytest.raises(UsageError, match="newest, oldest, added"):
        newsroom.select(sort="random")


def test_limit_takes_the_first_after_sorting(newsroom: Library) -> None:
    assert ids(newsroom.select(sort="oldest", limit=2)) == [2, 3]
    assert newsroom.select(limit=0) == []


def test_tag_counts_most_used_first_then_by_name(newsroom: Library) -> None:
    newsroom.tag([1, 3], ["history"])
    assert newsroom.tag_counts() == {
        "history": 3, "politics": 1, "politics/local": 1, "region/azerbaijan": 1,
        "region/portmere": 1, "regional": 1, "transport": 1,
    }  # fmt: skip


# Duplicates ------------------------------------------------------------------------------


def test_the_same_url_is_refused_naming_the_existing_clipping(library: Library) -> None:
    library.add(draft("First text.", url="https://example.org/a"))
    with pytest.raises(DuplicateError) as caught:
        library.add(draft("Another text entirely.", url="https://example.org/a"))
    assert caught.value.existing_id == 1
    assert caught.value.exit_code == ExitCode.CONFLICT
    assert "same URL" in caught.value.message
    assert "clipping 1" in caught.value.message
    assert ids(library.clippings()) == [1]


def test_a_duplicate_keeps_its_reason_and_its_hint_apart(library: Library) -> None:
    library.add(draft("Kept; then sent again.", url="https://example.org/a"))
    with pytest.raises(DuplicateError) as caught:
        library.add(draft("Kept; then sent again, elsewhere.", url="https://example.org/a"))
    assert caught.value.reason == "the same URL is already kept as clipping 1"
    assert caught.value.hint == "nothing was saved. Use --allow-duplicate to keep it twice."
    assert caught.value.message == f"{caught.value.reason}; {caught.value.hint}"
    library.add(draft("Another story.", url="https://example.org/b"))
    with pytest.raises(DuplicateError) as edited:
        library.edit(2, {"url": "https://example.org/a"})
    assert (edited.value.reason, edited.value.hint) == (
        "the same URL is already kept as clipping 1",
        "the edit was not saved.",
    )


def test_the_same_text_modulo_case_and_spacing_is_refused(library: Library) -> None:
    library.add(draft("The council approved the tram line.\n\nIt opens in 2030."))
    with pytest.raises(DuplicateError, match="same text") as caught:
        library.add(draft("  the COUNCIL approved the tram line. It opens   in 2030. "))
    assert caught.value.existing_id == 1


def test_a_duplicate_in_the_trash_says_how_to_restore_it(library: Library) -> None:
    library.add(draft("Same story."))
    library.remove([1])
    with pytest.raises(DuplicateError) as caught:
        library.add(draft("Same story."))
    assert caught.value.existing_id == 1
    assert "trash" in caught.value.message
    assert "clip trash restore 1" in caught.value.message


def test_allow_duplicate_keeps_it_twice(library: Library) -> None:
    library.add(draft("Same story.", url="https://example.org/a"))
    second = library.add(draft("Same story.", url="https://example.org/a"), allow_duplicate=True)
    assert second.id == 2
    assert ids(library.clippings()) == [1, 2]


def test_a_different_url_with_different_text_is_not_a_duplicate(library: Library) -> None:
    library.add(draft("Story one.", url="https://example.org/a"))
    assert library.add(draft("Story two.", url="https://example.org/b")).id == 2


# Editing ---------------------------------------------------------------------------------


def test_edit_validates_and_saves_the_changes(library: Library) -> None:
    library.add(draft("Old text.", title="Old"))
    updated = library.edit(
        1, {"text": "New text with more words.", "published": "2023-02-23", "tags": ["A B"]}
    )
    assert updated.text == "New text with more words."
    assert updated.word_count == 5
    assert updated.content_hash == content_hash("new text with more words.")
    assert updated.tags == ["a-b"]
    assert library.get(1) == updated
    assert updated.uuid == library.get(1).uuid
    assert updated.captured == library.get(1).captured


def test_editing_the_title_marks_it_given(library: Library) -> None:
    library.add(draft("Some text.", title="Made from the text", title_source="generated"))
    assert library.edit(1, {"title": "A real headline"}).title_source == "given"
    assert library.get(1).title_source == "given"


def test_an_edit_that_leaves_the_title_as_it_was_keeps_its_origin(library: Library) -> None:
    library.add(draft("Some text.", title="Made from the text", title_source="generated"))
    edited = library.edit(1, {"title": "Made from the text", "note": "checked"})
    assert edited.title_source == "generated"


@pytest.mark.parametrize(
    "changes",
    [{"published": "2023-02-30"}, {"url": "ftp://example.org"}, {"text": "   "},
     {"title": ""}, {"language": "english"}, {"tags": ["-x"]}, {"colour": "red"}],
)  # fmt: skip
def test_an_invalid_edit_changes_nothing(library: Library, changes: dict[str, object]) -> None:
    before = library.add(draft("Some text.", url="https://example.org/a"))
    with pytest.raises(UsageError):
        library.edit(1, changes)
    assert library.get(1) == before


def test_an_edit_to_another_clippings_url_is_refused(library: Library) -> None:
    library.add(draft("First.", url="https://example.org/a"))
    library.add(draft("Second.", url="https://example.org/b"))
    with pytest.raises(DuplicateError) as caught:
        library.edit(2, {"url": "https://example.org/a"})
    assert caught.value.existing_id == 1
    assert "not saved" in caught.value.message
    assert library.get(2).url == "https://example.org/b"


def test_an_edit_to_another_clippings_text_is_refused(library: Library) -> None:
    library.add(draft("First story."))
    library.add(draft("Second story."))
    with pytest.raises(DuplicateError):
        library.edit(2, {"text": "FIRST   story."})
    assert library.get(2).text == "Second story."


def test_an_edit_keeping_its_own_url_and_text_is_no_duplicate(library: Library) -> None:
    library.add(draft("First.", url="https://example.org/a"))
    edited = library.edit(1, {"url": "https://example.org/a", "text": "first.", "note": "n"})
    assert edited.note == "n"


def test_editing_a_missing_or_trashed_clipping_is_not_found(library: Library) -> None:
    library.add(draft("First."))
    library.remove([1])
    with pytest.raises(NotFoundError, match="clip trash restore 1"):
        library.edit(1, {"title": "x"})
    with pytest.raises(NotFoundError, match="no clipping 9"):
        library.edit(9, {"title": "x"})


# Tags ------------------------------------------------------------------------------------


def test_tag_normalizes_and_keeps_existing_tags(library: Library) -> None:
    library.add(draft("First.", tags=["politics"]))
    library.add(draft("Second."))
    changed = library.tag([1, 2], ["Region / AZ", "POLITICS"])
    assert [c.tags for c in changed] == [["politics", "region/az"], ["region/az", "politics"]]
    assert library.get(1).tags == ["politics", "region/az"]


def test_untag_removes_normalized_tags_and_ignores_absent_ones(library: Library) -> None:
    library.add(draft("First.", tags=["politics", "region/az", "keep"]))
    library.untag([1], ["POLITICS", "Region/AZ", "never-there"])
    assert library.get(1).tags == ["keep"]


def test_untagging_a_parent_leaves_its_children(library: Library) -> None:
    library.add(draft("First.", tags=["region", "region/az"]))
    library.untag([1], ["region"])
    assert library.get(1).tags == ["region/az"]


def test_a_bad_tag_is_a_usage_error_and_changes_nothing(library: Library) -> None:
    library.add(draft("First.", tags=["keep"]))
    with pytest.raises(UsageError):
        library.tag([1], ["ok", " / "])
    assert library.get(1).tags == ["keep"]


def test_rename_tag_renames_the_subtree(library: Library) -> None:
    library.add(draft("First.", tags=["region/az", "other"]))
    library.add(draft("Second.", tags=["region"]))
    library.add(draft("Third.", tags=["regional"]))
    assert library.rename_tag("Region", "places") == 2
    assert [c.tags for c in library.clippings()] == [
        ["places/az", "other"], ["places"], ["regional"]
    ]


def test_rename_tag_merges_into_an_existing_tag(library: Library) -> None:
    library.add(draft("First.", tags=["election", "elections"]))
    library.add(draft("Second.", tags=["elections"]))
    library.add(draft("Third.", tags=["election"]))
    assert library.rename_tag("election", "elections") == 2
    assert [c.tags for c in library.clippings()] == [["elections"]] * 3
    assert library.tag_counts() == {"elections": 3}


def test_rename_tag_renames_in_the_trash_too(library: Library) -> None:
    library.add(draft("Kept.", tags=["brexit"]))
    library.add(draft("Trashed.", tags=["brexit/deal"]))
    library.remove([2])
    assert library.rename_tag("brexit", "politics/brexit") == 1
    library.restore([2])
    assert library.get(2).tags == ["politics/brexit/deal"]


def test_rename_tag_of_a_tag_only_in_the_trash_counts_no_kept_clipping(
    library: Library,
) -> None:
    library.add(draft("Trashed.", tags=["old"]))
    library.remove([1])
    assert library.rename_tag("old", "new") == 0
    assert library.trash()[0].tags == ["new"]


def test_rename_of_an_unknown_tag_is_not_found(library: Library) -> None:
    library.add(draft("First.", tags=["regional"]))
    with pytest.raises(NotFoundError, match="clip tags"):
        library.rename_tag("region", "places")
    assert library.get(1).tags == ["regional"]


@pytest.mark.parametrize("new", ["politics", "POLITICS", " Politics "])
def test_rename_to_the_same_tag_is_a_usage_error(library: Library, new: str) -> None:
    library.add(draft("First.", tags=["politics"]))
    with pytest.raises(UsageError, match="same tag"):
        library.rename_tag("politics", new)


# The trash -------------------------------------------------------------------------------


def test_remove_moves_to_the_trash_and_restore_brings_back_the_same_clipping(
    library: Library,
) -> None:
    original = library.add(draft("First.", tags=["x"], note="mine"))
    library.add(draft("Second."))
    moved = library.remove([1, 1])
    assert ids(moved) == [1]
    assert ids(library.clippings()) == [2]
    assert ids(library.trash()) == [1]
    assert ids(library.restore([1])) == [1]
    assert library.get(1) == original
    assert library.trash() == []


def test_remove_of_a_missing_id_removes_nothing(library: Library) -> None:
    library.add(draft("First."))
    with pytest.raises(NotFoundError):
        library.remove([1, 5])
    assert ids(library.clippings()) == [1]
    assert library.trash() == []


def test_restore_of_an_id_not_in_the_trash_is_not_found(library: Library) -> None:
    library.add(draft("First."))
    with pytest.raises(NotFoundError, match="clip trash"):
        library.restore([1])


def test_the_trash_lists_highest_ids_first(library: Library) -> None:
    for n in range(3):
        library.add(draft(f"Article {n}."))
    library.remove([1, 3])
    assert ids(library.trash()) == [3, 1]


def test_empty_trash_deletes_for_good(library: Library) -> None:
    for n in range(3):
        library.add(draft(f"Article {n}."))
    library.remove([1, 2])
    assert library.empty_trash() == 2
    assert library.trash() == []
    assert ids(library.clippings()) == [3]
    assert library.empty_trash() == 0
    with pytest.raises(NotFoundError):
        library.restore([1])


# Notes and stars -------------------------------------------------------------------------


def test_set_note_strips_and_an_empty_note_removes_it(library: Library) -> None:
    library.add(draft("First."))
    assert library.set_note(1, "  Minister attended.  ").note == "Minister attended."
    assert library.get(1).note == "Minister attended."
    assert library.set_note(1, "   ").note is None
    assert library.set_note(1, None).note is None
    assert library.get(1).note is None


def test_set_starred_stars_and_unstars(library: Library) -> None:
    library.add(draft("First."))
    library.add(draft("Second."))
    assert [c.starred for c in library.set_starred([1, 2], True)] == [True, True]
    library.set_starred([2], False)
    assert [c.starred for c in library.clippings()] == [True, False]


def test_marks_on_a_missing_clipping_are_not_found(library: Library) -> None:
    with pytest.raises(NotFoundError):
        library.set_note(3, "x")
    with pytest.raises(NotFoundError):
        library.set_starred([3], True)
