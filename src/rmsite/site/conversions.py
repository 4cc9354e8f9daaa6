"""Every built guide's Markdown converted to HTML, spread over worker processes; a guide
whose text and link targets are unchanged since an earlier build is not converted again."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from rmsite.core.hashing import digest
from rmsite.core.parallel import fork_map, worker_count
from rmsite.core.problems import Problem
from rmsite.core.stats import BuildStats
from rmsite.model.programme import GuideSource
from rmsite.site.markdown import ConvertedGuide, GuideConverter, check_anchors


@dataclass(frozen=True)
class CachedGuide:
    """A guide's conversion, with what it was made from."""

    key: str  # guide_key of its source
    lookups: tuple[tuple[str, object], ...]  # each linked guide and what it resolved to
    guide: ConvertedGuide
    problems: tuple[Problem, ...]


ConversionMemo = dict[str, CachedGuide]  # by the guide's path in content/


def guide_key(source: GuideSource, pretty: bool) -> str:
    """What a guide's HTML is made from, besides the guides it links to."""
    return digest(source.rel, source.body, source.body_first_line, pretty)


def cached(memo: ConversionMemo, source: GuideSource, pretty: bool,
           resolve: Mapping[str, object]) -> CachedGuide | None:
    """The kept conversion, if the guide and every guide it links to are unchanged."""
    entry = memo.get(source.rel)
    if entry is None or entry.key != guide_key(source, pretty):
        return None
    if any(resolve.get(target) != result for target, result in entry.lookups):
        return None
    return entry


def convert_guides(guides: list[GuideSource], drafts: bool, pretty: bool = True,
                   memo: ConversionMemo | None = None, jobs: int | None = None,
                   current: Mapping[str, ConvertedGuide] | None = None, stats: BuildStats | None = None,
                   meanwhile: Callable[[], object] | None = None) -> tuple[list[ConvertedGuide], list[Problem]]:
    """Markdown to HTML for the guides that are built, with links checked; with a memo, a
    guide whose text and link targets are unchanged is reused. `current` holds conversions
    made with this memo from these very source objects, for the same set of guides: they
    are used as they are. `meanwhile` runs here while worker processes convert, if they do."""
    built = [g for g in guides if drafts or not g.meta.draft]
    pages = {g.rel: g.page_path for g in built}
    unbuilt = frozenset(g.rel for g in guides if g.rel not in pages)
    converter = GuideConverter(pages, pretty, unbuilt)
    resolve: dict[str, object] = {**{rel: "draft" for rel in unbuilt}, **pages}

    done: dict[str, tuple[ConvertedGuide, list[Problem]]] = {}
    for guide in built:
        if memo is None:
            break
        known = current.get(guide.rel) if current is not None else None
        entry = memo.get(guide.rel) if known is not None else None
        if known is not None and entry is not None and known.source is guide and entry.guide.html is known.html:
            done[guide.rel] = known, list(entry.problems)
            continue
        kept = cached(memo, guide, pretty, resolve)
        if kept is not None:
            done[guide.rel] = replace(kept.guide, source=guide), list(kept.problems)
    todo = [g for g in built if g.rel not in done]

    def convert(share: Sequence[GuideSource]) -> list[tuple[str, ConvertedGuide, list[Problem]]]:
        out = []
        for guide in share:
            result, found = converter.convert(guide)
            out.append((guide.rel, replace(result, source=None), found))  # type: ignore[arg-type]  # the parent puts the source back
        return out

    by_rel = {g.rel: g for g in todo}
    for chunk in fork_map(convert, todo, worker_count(len(todo), jobs), meanwhile):
        for rel, result, found in chunk:
            result = replace(result, source=by_rel[rel])
            done[rel] = result, found
            if memo is not None:
                memo[rel] = CachedGuide(guide_key(by_rel[rel], pretty),
                                        tuple((t, resolve.get(t)) for t in sorted(result.targets)),
                                        result, tuple(found))
    if stats is not None:
        stats.guides_converted += len(todo)
    converted = [done[g.rel][0] for g in built]
    problems = [p for g in built for p in done[g.rel][1]]
    return converted, problems + check_anchors(converted)
