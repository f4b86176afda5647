"""A watch run: fetch the watches' feeds, judge their new items with each watch's query,
capture what matches from its page, add it all in one write (near duplicates linked), and
remember what was seen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError, DuplicateError, UsageError
from clipper.model import Clipping, Draft, normalize_tags
from clipper.watch.fetching import FeedAnswer, FeedRequest, HostGate, fetch_feeds
from clipper.watch.items import SUMMARY_TAG, FeedItem, for_watch, parse_items, too_old
from clipper.watch.state import FeedState, memory_of
from clipper.watch.watches import Watch, find

if TYPE_CHECKING:
    from clipper.library.core import Library
    from clipper.team.library import TeamLibrary

    AnyLibrary = Library | TeamLibrary

MAX_AGE_DAYS = 30


@dataclass(slots=True)
class WatchReport:
    """What one watch did in a run."""

    name: str
    feeds: list[str]
    failed: list[str] = field(default_factory=list)
    added: list[Clipping] = field(default_factory=list)
    already_kept: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "feeds": len(self.feeds), "failed_feeds": self.failed,
                "new": len(self.added), "already_kept": self.already_kept,
                "added": [c.id for c in self.added]}  # fmt: skip


@dataclass(slots=True)
class RunReport:
    """What a run did: per watch, per feed, and the warnings (one line each)."""

    watches: list[WatchReport]
    feeds: dict[str, FeedAnswer]
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [url for url, answer in self.feeds.items() if answer.outcome == "failed"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": not self.failed,
            "watches": [w.to_dict() for w in self.watches],
            "feeds": {
                url: {"outcome": a.outcome, "error": a.error} for url, a in self.feeds.items()
            },
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class _Candidate:
    watch: Watch
    item: FeedItem
    draft: Draft
    summary: bool  # the text is the feed's, and stays so
    page: bytes | None = None  # the item's page, once captured


def run_watches(
    library: AnyLibrary,
    names: list[str],
    *,
    now: datetime,
    cutoff: datetime | None = None,
    wait: float = 600.0,
    waiting: Callable[[], None] | None = None,
    feed_done: Callable[[FeedAnswer], None] | None = None,
    snapshot: bool = False,
) -> RunReport:
    """Run the named watches (all when none is named), holding the library's watch lock. On
    a watch's first run on a feed, items published before `cutoff` (default: 30 days before
    `now`) are left out; with `snapshot`, the pages of the items kept go to snapshots/."""
    oldest = cutoff or now - timedelta(days=MAX_AGE_DAYS)
    memory = memory_of(library)
    with memory.lock(wait, waiting):
        watches = find(library.watches(), names)
        if not watches:
            raise UsageError("there is no watch to run yet; save one with `clip watch add`.")
        states = memory.load()
        report = _run(library, watches, states, now, oldest, feed_done, snapshot)
        memory.save(states)
    return report


def _run(
    library: AnyLibrary, watches: list[Watch], states: dict[str, FeedState], now: datetime,
    cutoff: datetime, feed_done: Callable[[FeedAnswer], None] | None, snapshot: bool,
) -> RunReport:  # fmt: skip
    urls = list(dict.fromkeys(url for watch in watches for url in watch.feeds))
    requests = []
    for url in urls:
        state = states.setdefault(url, FeedState())
        # A watch new to this feed has seen none of it: a 304 would hide every item from it.
        newcomer = any(w.name not in state.seen for w in watches if url in w.feeds)
        validators = (None, None) if newcomer else (state.etag, state.last_modified)
        requests.append(FeedRequest(url, *validators, retry_after=state.retry_after))
    gate = HostGate()
    answers = fetch_feeds(requests, gate, now=now, done=feed_done)
    items: dict[str, list[FeedItem]] = {}
    for url, answer in answers.items():
        if answer.outcome == "fetched":
            try:
                items[url] = parse_items(url, answer.body, answer.final_url)
            except UsageError as error:
                answer.outcome, answer.error = "failed", error.message
    report = RunReport([WatchReport(w.name, list(w.feeds)) for w in watches], answers)
    report.warnings += [f"feed {url} {answers[url].error}" for url in report.failed]
    report.warnings += [
        f"feed {url} asked to be left alone until {answer.retry_after}; not fetched this time"
        for url, answer in answers.items()
        if answer.outcome == "deferred"
    ]
    for watch_report in report.watches:
        watch_report.failed = [url for url in watch_report.feeds if url in report.failed]
    candidates, seen = _new_items(watches, items, states, cutoff)
    kept = _judge_and_capture(library, candidates, gate, report.warnings)
    _add(library, kept, report, snapshot=snapshot)
    for url, answer in answers.items():
        _remember(states[url], answer, seen.get(url, {}))
    return report


def _new_items(
    watches: list[Watch], items: dict[str, list[FeedItem]], states: dict[str, FeedState],
    cutoff: datetime,
) -> tuple[list[_Candidate], dict[str, dict[str, list[str]]]]:  # fmt: skip
    """The items each watch has not seen (on its first run on a feed, not older than the
    cutoff), and every item's keys by feed and watch, to remember."""
    candidates: list[_Candidate] = []
    seen: dict[str, dict[str, list[str]]] = {}
    for watch in watches:
        tags = watch.clipping_tags
        for url in watch.feeds:
            if url not in items:
                continue
            state = states[url]
            first, known = watch.name not in state.seen, state.seen_by(watch.name)
            seen.setdefault(url, {})[watch.name] = [k for item in items[url] for k in item.keys]
            for item in items[url]:
                if any(key in known for key in item.keys) or (first and too_old(item, cutoff)):
                    continue
                summary = item.link is None or not watch.full_text
                draft = for_watch(item, tags, summary=summary)
                candidates.append(_Candidate(watch, item, draft, summary))
    return candidates, seen


def _verdicts(
    library: AnyLibrary, candidates: list[_Candidate], complete: bool
) -> list[bool | None]:
    """Each candidate's watch query on it (None: its summary cannot decide)."""
    from clipper.search.drafts import judge

    verdicts: list[bool | None] = [False] * len(candidates)
    by_watch: dict[str, list[int]] = {}
    for position, candidate in enumerate(candidates):
        by_watch.setdefault(candidate.watch.name, []).append(position)
    for positions in by_watch.values():
        watch = candidates[positions[0]].watch
        clippings: dict[int, Clipping] = {}
        for position in positions:
            try:
                clean = candidates[position].draft.validated(order=library.date_order)
            except ClipperError:
                continue  # an item clip could not keep anyway (a date that is no date)
            clippings[position + 1] = Clipping.create(position + 1, clean)
        whole = [i for i in clippings if complete or candidates[i - 1].summary]
        judged = judge(watch.parsed(order=library.date_order), clippings, whole)
        for clipping_id, verdict in judged.items():
            verdicts[clipping_id - 1] = verdict
    return verdicts


def _judge_and_capture(
    library: AnyLibrary, candidates: list[_Candidate], gate: HostGate, warnings: list[str]
) -> list[_Candidate]:
    """The candidates that match, with their page's article where the watch fetches pages."""
    from clipper.library.importing_fetch import merge_article
    from clipper.watch.pages import ItemPage, fetch_pages

    verdicts = _verdicts(library, candidates, complete=False)
    wanted = [(c, v) for c, v in zip(candidates, verdicts, strict=True) if v is not False]
    pages = fetch_pages([c.item.link for c, _ in wanted if not c.summary and c.item.link], gate)
    ruled_out = _ruled_out(library, wanted, pages)
    kept: list[_Candidate] = []
    undecided: list[_Candidate] = []
    for candidate, verdict in wanted:
        if id(candidate) in ruled_out:
            continue
        page = pages.get(candidate.item.link or "") if not candidate.summary else None
        article = None
        if isinstance(page, ItemPage):
            try:
                article = page.capture()
            except ClipperError as error:
                page = error
        if isinstance(page, ClipperError):
            if verdict is True:
                warnings.append(f"{candidate.item.link}: page not captured ({page.message}); "
                                "kept the feed's summary")  # fmt: skip
                tags = [*candidate.draft.tags, SUMMARY_TAG]
                kept.append(replace(candidate, draft=replace(candidate.draft, tags=tags)))
            else:
                warnings.append(f"{candidate.item.link}: page not captured ({page.message}); "
                                "judged on the feed's summary")  # fmt: skip
            continue
        if article is not None:
            candidate.draft, candidate.page = merge_article(candidate.draft, article[0]), article[1]
        (kept if verdict is True else undecided).append(candidate)
    if undecided:
        final = _verdicts(library, undecided, complete=True)
        kept += [c for c, v in zip(undecided, final, strict=True) if v is True]
    return kept


def _ruled_out(
    library: AnyLibrary, wanted: Sequence[tuple[_Candidate, bool | None]], pages: dict[str, Any]
) -> set[int]:
    """The undecided candidates whose query does not match even every word of their page,
    so not their article either: they need no extraction (see watch/pages.py)."""
    from clipper.watch.pages import ItemPage, monotone

    quick = [
        c for c, v in wanted
        if v is None and isinstance(pages.get(c.item.link or ""), ItemPage)
        and monotone(c.watch.parsed(order=library.date_order))
    ]  # fmt: skip
    if not quick:
        return set()
    probes = []
    for candidate in quick:
        words = pages[candidate.item.link or ""].words() or candidate.draft.text
        probes.append(replace(candidate, draft=replace(candidate.draft, text=words)))
    verdicts = _verdicts(library, probes, complete=True)
    return {id(c) for c, v in zip(quick, verdicts, strict=True) if v is False}


def _add(library: AnyLibrary, kept: list[_Candidate], report: RunReport, *, snapshot: bool) -> None:
    """Add what the watches kept in one write; one item kept by two watches (or on two of a
    watch's feeds) is one clipping with the tags of each."""
    merged: dict[str, tuple[Draft, list[str]]] = {}
    pages: dict[str, bytes] = {}
    for candidate in kept:
        key = candidate.draft.url or f"{candidate.draft.title}\n{candidate.draft.text}"
        draft, owners = merged.get(key, (candidate.draft, []))
        if SUMMARY_TAG in draft.tags and SUMMARY_TAG not in candidate.draft.tags:
            draft = candidate.draft  # one watch fetched the article: keep it, not the summary
        tags = normalize_tags([*draft.tags, *candidate.draft.tags])
        if SUMMARY_TAG not in draft.tags:
            tags = [tag for tag in tags if tag != SUMMARY_TAG]
        merged[key] = (replace(draft, tags=tags), [*owners, candidate.watch.name])
        if candidate.page is not None and snapshot:
            pages.setdefault(key, candidate.page)
    if not merged:
        return
    drafts = [draft for draft, _ in merged.values()]
    kept_pages = {i: pages[key] for i, key in enumerate(merged) if key in pages}
    result = library.add_many(drafts, pages=kept_pages)
    failed = dict(result.failed)
    added = iter(result.added)
    by_name = {w.name: w for w in report.watches}
    for position, (_, owners) in enumerate(merged.values()):
        error = failed.get(position)
        if error is None:
            clipping = next(added)
            for name in dict.fromkeys(owners):
                by_name[name].added.append(clipping)
        elif isinstance(error, DuplicateError):
            for name in dict.fromkeys(owners):
                by_name[name].already_kept += 1
        else:
            what = drafts[position].url or drafts[position].title
            report.warnings.append(f"{what}: not kept ({error.message})")


def _remember(state: FeedState, answer: FeedAnswer, seen: dict[str, list[str]]) -> None:
    if answer.outcome in ("fetched", "unchanged"):
        state.etag, state.last_modified, state.retry_after = (
            answer.etag, answer.last_modified, None,
        )  # fmt: skip
    elif answer.outcome == "failed":
        state.retry_after = answer.retry_after
    for name, keys in seen.items():
        state.remember(name, keys)
