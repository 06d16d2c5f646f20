"""bench/stories_cv.py: each labelled story is scored under constants chosen without it."""
from bench.stories_cv import cross_validated, per_article, pooled


def test_each_story_is_scored_under_the_point_chosen_on_the_other_stories():
    good, bad = (1.0, 1.0), (0.5, 0.5)
    # "n" is B's article that story A also lists (a hard negative of A): it may not choose A's point either.
    listed = {"a1": ["A"], "a2": ["A"], "b1": ["B"], "b2": ["B"], "n": ["B", "A"]}
    table = {"p": {"a1": good, "a2": good, "b1": bad, "b2": bad, "n": (1.0, 1.0)},
             "q": {"a1": bad, "a2": bad, "b1": good, "b2": good, "n": (0.0, 0.0)}}
    (p, r, f), chosen = cross_validated(table, listed)
    assert chosen == ["q", "p"]          # A's fold chose on b1, b2 only (with n it would tie and take "p")
    assert (p, r) == (0.6, 0.6)          # a1, a2 under q (0.5); b1, b2 under p (0.5); n under p (1.0)
    assert cross_validated(table, listed, points=["p"])[1] == ["p", "p"]


def test_per_article_b_cubed_pools_to_the_whole_figure():
    gold = {"a": "s", "b": "s", "c": "t"}
    scores = per_article(gold, {"a": 1, "b": 2, "c": 2})
    assert scores == {"a": (1.0, 0.5), "b": (0.5, 0.5), "c": (0.5, 1.0)}
    assert [round(x, 3) for x in pooled(scores, gold)] == [0.667, 0.667, 0.667]
