"""python -m bench.stories: how well the index groups articles into stories, on hand-labelled stories.

Scoring follows the bench README: B-cubed precision and recall over the labelled articles (members
grouped by their story; each hard negative its own group unless it is another story's member), F1
from their means; and, over every (story question, development) pair, the share of developments
whose article is in the timeline of that question. The plain approach the issue names is scored
beside ours: mean article vector, cosine >= 0.75 within 90 days, connected components. With
--sweep, the grouping is redone with each constant of index/stories.py and story_features.py
moved one step either way (the others at their defaults), to show whether they sit on a plateau; with
--cv, also the reading cross-validated by story (bench/stories_cv.py).

>>> gold = {"a": "s1", "b": "s1", "n": "n"}
>>> [round(x, 3) for x in bcubed(gold, {"a": 1, "b": 1, "n": 1})]
[0.556, 1.0, 0.714]
>>> bcubed(gold, {"a": 1, "b": 1, "n": 2})
(1.0, 1.0, 1.0)
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.data import resolve_bench_dir
from corpus.errors import NewsError
from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV

STORIES_FILE = "stories-dev.json"
BASELINE_COSINE, BASELINE_DAYS = 0.75, 90
SWEEP = {"join": (0.46, 0.50), "window_days": (45, 90), "gap_penalty": (0.03, 0.07), "title_weight": (0.4, 0.6)}


@dataclass(frozen=True)
class Labelled:
    gold: dict            # article id -> gold group (story name, or the article id for a lone hard negative)
    questions: list       # (story name, question, development article ids)
    missing: int          # labelled urls not found in the index
    listed: dict = None   # article id -> names of the labelled stories listing it (member or hard negative)


def load_labels(path: Path, articles: dict) -> Labelled:
    """The labelled stories, matched to the index's articles by URL (as feeds and pages are matched: no
    scheme, "www." or trailing slash). A story without hard negatives, questions or developments has none:
    the held-out stories are scored with this command, whatever of these their file leaves out."""
    from corpus.urls import url_key
    by_url = {url_key(a.url): a.id for a in articles.values() if url_key(a.url)}

    def find(url):
        return by_url.get(url_key(url))
    stories = json.loads(Path(path).read_text(encoding="utf-8"))
    gold, missing, listed = {}, 0, {}
    for s in stories:
        for m in s["members"]:
            if find(m["url"]) is not None:
                gold[find(m["url"])] = s["story"]
            missing += find(m["url"]) is None
    for s in stories:
        for n in s.get("hard_negatives", []):
            aid = find(n["url"])
            if aid is not None and aid not in gold:
                gold[aid] = aid
    labelled = [(s["story"], m) for s in stories for m in s["members"] + s.get("hard_negatives", [])]
    url_of = {(story, m.get("id")): m["url"] for story, m in labelled}
    questions = [(s["story"], q, tuple(find(url_of.get((s["story"], d.get("id")), ""))
                                       for d in s.get("developments", [])))
                 for s in stories for q in s.get("questions", [])]
    for story, m in labelled:
        if find(m["url"]) is not None:
            listed.setdefault(find(m["url"]), []).append(story)
    return Labelled(gold, questions, missing, listed)


def bcubed(gold: dict, predicted: dict) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over the items of `gold` (predicted: item -> cluster)."""
    items = list(gold)
    p = r = 0.0
    for i in items:
        same_pred = [j for j in items if predicted[j] == predicted[i]]
        same_gold = [j for j in items if gold[j] == gold[i]]
        both = sum(gold[j] == gold[i] for j in same_pred)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def baseline_stories(features) -> dict:
    """Mean article vector, cosine >= 0.75 within 90 days, connected components: article id -> component."""
    n = len(features.ids)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    dated = np.nonzero(features.days >= 0)[0]
    for i in dated:
        close = dated[(np.abs(features.days[dated] - features.days[i]) <= BASELINE_DAYS) & (dated > i)]
        for j in close[features.dense[close] @ features.dense[i] >= BASELINE_COSINE]:
            parent[find(j)] = find(i)
    return {aid: find(i) for i, aid in enumerate(features.ids)}


def features_of(data):
    from index.story_features import ArticleFeatures
    return ArticleFeatures.of_index(data)   # the articles in the order the build grouped them


def sweep(features, articles: dict, gold: dict):
    """(constant, value, (P, R, F1)) at the defaults, then with one constant moved at a time (SWEEP)."""
    from dataclasses import replace

    from index.stories import Rule, group
    yield "defaults", "", bcubed(gold, group(features, articles).story_of)
    for name, values in SWEEP.items():
        for value in values:
            if name == "title_weight":   # the rest shared evenly by the dense and lead-term cosines
                table = group(replace(features, title_weight=value, term_weight=(1 - value) / 2), articles)
            else:
                table = group(features, articles, rule=replace(Rule(), **{name: value}))
            yield name, value, bcubed(gold, table.story_of)


def developments_found(searcher, labelled: Labelled) -> float:
    """Share of (question, development) pairs whose development article is in the question's timeline."""
    found = total = 0
    for _, question, devs in labelled.questions:
        shown = {e.article_id for e in searcher.timeline(question)}
        found += sum(d in shown for d in devs)
        total += len(devs)
    return found / max(total, 1)


def print_cross_validated(features, articles: dict, labelled: Labelled) -> None:
    """Each story scored under the (title weight, JOIN) chosen on the other stories (bench/stories_cv.py)."""
    from bench.stories_cv import cross_validated, grid
    groupings = grid(features, articles,
                     lambda done, total: print(f"\rcross-validation grid: {done}/{total}", end="", file=sys.stderr))
    print(file=sys.stderr)
    from index.story_features import TITLE_WEIGHT
    for name, points in (("cross-validated by story", None),
                         ("  the same, JOIN alone", [k for k in groupings if k[0] == TITLE_WEIGHT]),
                         ("  no title match (the rule before)", [k for k in groupings if k[0] == 0])):
        (p, r, f), chosen = cross_validated(groupings, labelled.gold, labelled.listed, points)
        print(f"{name:<34} {p:6.3f} {r:6.3f} {f:6.3f}  chose (title weight, JOIN) {sorted(set(chosen))}")
    best = max(groupings, key=lambda k: bcubed(labelled.gold, groupings[k])[2])
    print(f"  best point on all ten stories: {best}, F1 {bcubed(labelled.gold, groupings[best])[2]:.3f}")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.stories", description=__doc__.split("\n\n")[0])
    p.add_argument("--index", metavar="DIR", help=f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})")
    p.add_argument("--bench", metavar="DIR", help="bench folder (default: $NEWS_BENCH_DIR or ../shared/bench/...)")
    p.add_argument("--stories", metavar="FILE", help=f"labelled stories (default: BENCH/{STORIES_FILE})")
    p.add_argument("--sweep", action="store_true", help="also regroup with each constant moved one step either way")
    p.add_argument("--cv", action="store_true", help="also the reading cross-validated by story (bench/stories_cv.py; "
                                                     "about three minutes)")
    args = p.parse_args(argv)
    from search import Searcher
    try:
        searcher = Searcher.open(args.index)
        labelled = load_labels(Path(args.stories or resolve_bench_dir(args.bench) / STORIES_FILE),
                               searcher.data.articles)
    except (NewsError, OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    ours = searcher.story_index().table.story_of
    features = features_of(searcher.data)
    base = baseline_stories(features)
    print(f"{len(labelled.gold)} labelled articles ({labelled.missing} labelled urls not in the index)")
    print(f"{'grouping':<34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}")
    for name, pred in (("ours (index/stories.py)", ours), ("baseline cos>=0.75/90d, components", base)):
        print(f"{name:<34} " + " ".join(f"{x:6.3f}" for x in bcubed(labelled.gold, pred)))
    for name, value, scores in sweep(features, searcher.data.articles, labelled.gold) if args.sweep else ():
        print(f"  {name + ' ' + str(value):<32} " + " ".join(f"{x:6.3f}" for x in scores))
    if args.cv:
        print_cross_validated(features, searcher.data.articles, labelled)
    print(f"developments found in the timeline: {developments_found(searcher, labelled):.3f} "
          f"({sum(len(d) for *_, d in labelled.questions)} question x development pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
