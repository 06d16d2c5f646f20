"""Folding near-duplicates: which copy a hit shows, outlet limits over folded copies, and passages of one article.

Invented texts only. The recency prior is the point of the first test, so it runs the real model; the others
rank by BM25 over a fake embedder, where the words decide the order.
"""
import datetime as dt

import numpy as np

from search.dedup import collapse, duplicates
from tests.news_texts import built_searcher

FERRY = ("Eleven people died when fire broke out on the Lindholm ferry on Tuesday night, the coast guard said. "
         "The ferry was crossing from Brask to the island of Ornö with 240 passengers on board. Crew members "
         "said the fire started in the engine room shortly after ten o'clock. Fishing boats from Brask helped "
         "to lift passengers from the water before rescue helicopters arrived from the mainland.")


def _wire(name, date, source):
    head = f"Title: Lindholm ferry fire kills eleven\n" + (f"Date: {date}\n" if date else "") + f"Source: {source}\n\n"
    return {name: head + FERRY + "\n"}


def test_a_folded_hit_shows_the_first_publication_with_the_best_copys_score(tmp_path_factory, embedder):
    articles = {**_wire("first.txt", "2024-05-07", "Harbour Post"), **_wire("rerun.txt", "2024-05-14", "Inland Mail"),
                **_wire("digest.txt", None, "Wire Digest"),
                "later.txt": "Title: Ferry fire toll rises\nDate: 2024-05-10\nSource: Harbour Post\n\nThe death "
                             "toll from the Lindholm ferry fire rose to fourteen on Friday, the coast guard said.\n",
                "other.txt": "Title: Bakery wins prize\nDate: 2024-05-12\nSource: Inland Mail\n\nA bakery in "
                             "Brask won the national rye bread prize for the third year running.\n"}
    searcher = built_searcher(tmp_path_factory, embedder, articles)
    q = "How many people died in the Lindholm ferry fire?"
    apart = searcher.search(q, k=6, collapse=False)
    copies = [h for h in apart if h.article_id in ("first.txt", "rerun.txt", "digest.txt")]
    assert copies[0].article_id == "rerun.txt"   # the case at hand: the recency prior puts the re-run first
    hits = searcher.search(q, k=6)
    wire = [h for h in hits if h.article_id in ("first.txt", "rerun.txt", "digest.txt")]
    assert len(wire) == 1
    hit = wire[0]
    assert (hit.article_id, hit.date, hit.source) == ("first.txt", dt.date(2024, 5, 7), "Harbour Post")
    assert set(hit.also) == {("Inland Mail", dt.date(2024, 5, 14), "rerun.txt"), ("Wire Digest", None, "digest.txt")}
    assert hit.score == copies[0].score   # the group keeps its best copy's score ...
    others = [h.article_id for h in apart if h.article_id not in ("first.txt", "digest.txt")]
    assert [h.article_id for h in hits] == [{"rerun.txt": "first.txt"}.get(a, a) for a in others]   # ... and place
    assert hit.text == searcher.data.articles["first.txt"].text[hit.start:hit.end] and "Eleven" in hit.text


def test_the_shown_copy_is_the_earliest_undated_last_and_the_best_ranked_of_one_day():
    from search.dedup import earliest_first, shown
    dates = {1: 30, 2: -1, 3: 10, 4: 10, 5: 40}
    outlets = dict.fromkeys(dates, "")
    assert earliest_first([1, 2, 3, 4], dates) == [3, 4, 1, 2]
    assert shown([(1, [2, 4, 3]), (5, [])], dates, outlets) == [(4, [1, 2, 3], 1), (5, [], 5)]
    assert shown([(2, [5])], dates, outlets) == [(5, [2], 2)]    # an undated copy shows only when no copy is dated
    assert shown([(2, [])], dates, outlets) == [(2, [], 2)]
    assert shown([(1, []), (3, []), (5, [])], dates, outlets, k=2) == [(1, [], 1), (3, [], 3)]


BRIDGE = ("Workers finished the new footbridge over the Saltvik canal by the harbour on Monday after two years. "
          "The bridge is forty metres long and was paid for by the regional council.")


def test_an_outlet_limit_shows_a_folded_group_through_a_copy_whose_outlet_has_room(tmp_path_factory, fake_embedder):
    articles = {
        "own.txt": "Title: Kessby harbour crane collapsed\nDate: 2024-05-01\nSource: Alpha Post\n\nThe crane at "
                   "Kessby harbour collapsed: the Kessby harbour crane collapsed onto the quay, and the collapsed "
                   "crane closed Kessby harbour.\n",
        # the same wire text, in Alpha Post first (with a line on the crane, so it ranks above Beta's copy)
        "wire-alpha.txt": f"Title: Footbridge done\nDate: 2024-05-02\nSource: Alpha Post\n\n{BRIDGE} "
                          "The crane at Kessby harbour collapsed.\n",
        "wire-beta.txt": f"Title: Footbridge done\nDate: 2024-05-09\nSource: Beta Daily\n\n{BRIDGE}\n",
    }
    searcher = built_searcher(tmp_path_factory, fake_embedder, articles)
    q = "crane collapsed at Kessby harbour"
    apart = [h.article_id for h in searcher.search(q, k=5, mode="bm25", collapse=False)]
    assert apart.index("own.txt") < apart.index("wire-alpha.txt") < apart.index("wire-beta.txt")
    hits = searcher.search(q, k=5, mode="bm25", per_source=1)
    # Alpha Post is full with own.txt; Beta Daily still has room, so the wire group is shown through its copy
    assert [(h.article_id, h.also) for h in hits] == [
        ("own.txt", ()), ("wire-beta.txt", (("Alpha Post", dt.date(2024, 5, 2), "wire-alpha.txt"),))]
    assert hits[1].score == searcher.search(q, k=5, mode="bm25", collapse=False)[1].score
    both = searcher.search(q, k=5, mode="bm25", per_source=2)   # room in Alpha Post: the earliest copy again
    assert [h.article_id for h in both] == ["own.txt", "wire-alpha.txt"]


def _farm_report():
    """A long invented article whose last passage is the overlap sentence and one short sentence."""
    crops = ["barley", "rye", "oats", "beet", "flax", "hops", "kale", "peas", "leeks", "plums", "pears", "apples"]
    lines = [f"On day {n} the {crops[n % 12]} growers of {place} district met the {crops[(n * 5) % 12]} buyers "
             f"to settle prices for the {crops[(n * 7 + 3) % 12]} harvest of week {n + 3}."
             for n, place in enumerate(["Arvik", "Belmo", "Corsa", "Dunn", "Elva", "Fjell", "Garde", "Holm",
                                        "Isby", "Jorn", "Kvarn", "Lida", "Mosse", "Norra", "Ostby", "Pello",
                                        "Quist", "Rauma", "Sälen", "Tolga", "Ulvö", "Vara", "Ystad", "Zorn"])]
    closing = ("The growers' council then spent the rest of the long evening arguing about whether the old "
               "drainage ditches along the northern fields of every district should be dug out again this "
               "autumn or filled in and replaced with buried clay pipes before the spring sowing begins.")
    return " ".join(lines) + " " + closing + " The chair of the council is Runa Vik."


def test_passages_of_one_article_are_never_folded_into_each_other(tmp_path_factory, fake_embedder):
    articles = {"farm.txt": f"Title: Growers meet\nDate: 2024-06-01\nSource: Farm Ledger\n\n{_farm_report()}\n",
                "other.txt": "Title: Market opens\nDate: 2024-06-02\nSource: Town News\n\nThe Saturday market "
                             "opened in the square with forty stalls of bread, cheese and flowers.\n"}
    searcher = built_searcher(tmp_path_factory, fake_embedder, articles)
    rows = [r for r, p in enumerate(searcher.data.passages) if p.article_id == "farm.txt"]
    texts = [searcher.passage_text(r) for r in rows]
    assert len(rows) >= 3 and texts[-1].endswith("Runa Vik.")
    # the case at hand: the last two passages count as near-duplicates by their shared (overlap) sentence
    assert duplicates(searcher.data.store.vectors(rows[-2:]), texts[-2:])[0, 1]
    q = "Who chairs the growers' council and what about the drainage ditches?"
    every = searcher.search(q, k=10, mode="bm25", collapse=False)
    assert sum(h.article_id == "farm.txt" for h in every) == len(rows)
    hits = searcher.search(q, k=10, mode="bm25")
    assert [(h.article_id, h.start) for h in hits] == [(h.article_id, h.start) for h in every]
    assert all(h.also == () for h in hits)


def test_a_group_holds_one_passage_per_article():
    """A's two passages each repeat a half of B's passage: both fold into B's hit only as separate hits."""
    v = np.eye(3, dtype=np.float32)
    half_a = "one two three four five six seven eight nine ten"
    half_b = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    texts = [f"{half_a} {half_b}", half_a, half_b]
    assert collapse([7, 8, 9], v, texts) == [(7, [8, 9])]                      # three articles: one group
    assert collapse([7, 8, 9], v, texts, ["b", "a", "a"]) == [(7, [8]), (9, [])]   # A's second passage stays a hit
