"""bench/stories_cv.py: each labelled story is scored under constants chosen without it."""
from bench.stories_cv import cross_validated, per_article, pooled

GOLD = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "n": "n"}
# "n" is B's article that story A also lists (a hard negative of A): it may not choose A's point either.
LISTED = {"a1": ["A"], "a2": ["A"], "b1": ["B"], "b2": ["B"], "n": ["B", "A"]}


def test_each_story_is_scored_under_the_point_chosen_on_the_other_stories():
    p = {"a1": 1, "a2": 1, "b1": 2, "b2": 3, "n": 4}      # right for A, wrong for B
    q = {"a1": 1, "a2": 2, "b1": 3, "b2": 3, "n": 4}      # wrong for A, right for B
    (precision, recall, _), chosen = cross_validated({"p": p, "q": q}, GOLD, LISTED)
    assert chosen == ["q", "p"]          # A held out: chosen on b1, b2; B held out: on a1, a2
    assert (precision, recall) == (1.0, 0.6)   # a1, a2 and b1, b2 each apart (recall 0.5); n alone (1.0)


def test_where_held_out_articles_were_grouped_does_not_sway_the_choice():
    r = {"a1": 3, "a2": 1, "b1": 3, "b2": 3, "n": 4}      # b1, b2 right; a1 (held out) put with them
    q = {"a1": 1, "a2": 2, "b1": 3, "b2": 3, "n": 4}
    # On b1, b2 alone both points are perfect: the first is kept. Had a1's label been read, r would lose.
    assert cross_validated({"r": r, "q": q}, GOLD, LISTED)[1][0] == "r"


def test_per_article_b_cubed_pools_to_the_whole_figure():
    gold = {"a": "s", "b": "s", "c": "t"}
    scores = per_article(gold, {"a": 1, "b": 2, "c": 2})
    assert scores == {"a": (1.0, 0.5), "b": (0.5, 0.5), "c": (0.5, 1.0)}
    assert [round(x, 3) for x in pooled(scores, gold)] == [0.667, 0.667, 0.667]


def test_a_labels_file_leaving_out_negatives_and_developments_still_loads(tmp_path):
    """The held-out stories are scored with this command: a file of that shape, or barer, must load."""
    import json

    from bench.stories import load_labels
    from corpus.records import Article
    arts = {i: Article(i, "f", "Text.", "T", url=f"https://www.news.example/{i}") for i in ("a", "b", "c", "d")}
    stories = [{"story": "A", "members": [{"id": 1, "url": "https://news.example/a/"},   # no www., a slash more
                                          {"id": 2, "url": "https://www.news.example/b"}],
                "hard_negatives": [{"id": 3, "url": "https://www.news.example/c"}],
                "questions": ["What happened?"], "developments": [{"id": 2, "date": "2024-01-02"}]},
               {"story": "B", "members": [{"url": "https://www.news.example/d"}]}]   # nothing else given
    (tmp_path / "s.json").write_text(json.dumps(stories))
    labels = load_labels(tmp_path / "s.json", arts)
    assert labels.gold == {"a": "A", "b": "A", "d": "B", "c": "c"} and labels.missing == 0
    assert labels.questions == [("A", "What happened?", ("b",))]
