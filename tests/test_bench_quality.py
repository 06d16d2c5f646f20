"""The evaluation command: metrics on hand-made rankings, answer matching, the question file, the CLI."""
import csv
import datetime as dt
import json

import pytest

from bench.quality import (BadQuestions, Question, contains_answer, evaluate, first_relevant, format_table,
                             load_questions, main, metrics, resolve_bench_dir)


def test_metrics_of_hand_made_ranks():
    # First relevant ranks of five questions: 1, 2, 6, 15 and a miss.
    m = metrics([1, 2, 6, 15, None])
    assert m["R@1"] == pytest.approx(1 / 5)
    assert m["R@5"] == pytest.approx(2 / 5)
    assert m["R@10"] == pytest.approx(3 / 5)
    assert m["R@20"] == pytest.approx(4 / 5)
    assert m["MRR@10"] == pytest.approx((1 + 1 / 2 + 1 / 6) / 5)   # rank 15 is past 10: counts 0


def test_metrics_of_all_hits_and_all_misses():
    assert metrics([1, 1]) == {"R@1": 1.0, "R@5": 1.0, "R@10": 1.0, "R@20": 1.0, "MRR@10": 1.0}
    assert set(metrics([None, None]).values()) == {0.0}
    assert set(metrics([]).values()) == {0.0}


def test_answer_match_folds_case_and_whitespace():
    assert contains_answer("Talks in  New\nYORK ended.", ["new york"])
    assert not contains_answer("Talks in Newark ended.", ["New York"])
    assert not contains_answer("anything", [""])          # an empty answer matches nothing
    ranking = ["no answer here", "still none", "the Chicago   Marathon record"]
    assert first_relevant(ranking, ["chicago marathon"]) == 3
    assert first_relevant(ranking, ["Boston"]) is None


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_questions_file_in_the_bench_format(tmp_path):
    path = _write(tmp_path / "q.jsonl", [
        {"id": "a", "date": "2023-10-06", "question": "Which city?", "choices": ["X"], "answers": ["Granada"],
         "answer_in_corpus": True, "quiz_source": "CNN"},
        {"id": "b", "date": "2023-10-13", "question": "Who?", "answers": ["Nobody"], "answer_in_corpus": False}])
    qs = load_questions(path)
    assert qs[0] == Question("a", dt.date(2023, 10, 6), "Which city?", ("Granada",), True)
    assert not qs[1].answer_in_corpus


@pytest.mark.parametrize("line, field", [('{"id": "a", "date": "2023-10-06", "question": "Q?"}', "answers"),
                                         ('{"id": "a", "date": "06/10/2023", "question": "Q?", "answers": []}',
                                          "date"),
                                         ("not json", "line 1")])
def test_bad_question_lines_name_the_file_line_and_fix(tmp_path, line, field):
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(BadQuestions, match="line 1") as err:
        load_questions(path)
    assert str(path) in str(err.value) and field in str(err.value)


def test_bench_dir_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWS_BENCH_DIR", str(tmp_path))
    assert resolve_bench_dir() == tmp_path
    assert resolve_bench_dir(tmp_path / "other") == tmp_path / "other"


class _Hit:
    def __init__(self, text, title="Council vote"):
        self.text, self.title = text, title


class _Stub:
    """Answers every question with fixed passages; records the as_of it was given."""

    def __init__(self):
        self.calls = []

    def search(self, question, k, mode, as_of, spans):
        self.calls.append((question, mode, as_of))
        texts = {"dense": ["nothing", "Glasgow approved it"], "bm25": ["Glasgow approved it"]}[mode]
        return [_Hit(t) for t in texts][:k]


def test_evaluate_scores_each_mode_and_reading():
    qs = [Question("a", dt.date(2023, 9, 29), "Which city?", ("glasgow",)),
          Question("b", dt.date(2023, 9, 29), "Not in corpus?", ("x",), answer_in_corpus=False)]
    stub = _Stub()
    rows = evaluate(stub, qs, ["dense", "bm25"], as_of=True)
    assert [(r["mode"], r["questions"], r["R@1"], r["R@5"], r["MRR@10"]) for r in rows] == [
        ("dense", 1, 0.0, 1.0, 0.5), ("bm25", 1, 1.0, 1.0, 1.0)]
    assert {c[2] for c in stub.calls} == {dt.date(2023, 9, 29)}      # as-of reading passes the question date
    assert "| dense | as of question date | 1 | 0.000 | 1.000 |" in format_table(rows)


def test_an_answer_in_the_title_counts_only_when_asked():
    q = [Question("a", dt.date(2023, 9, 29), "Which vote?", ("council",))]
    assert evaluate(_Stub(), q, ["bm25"])[0]["R@20"] == 0.0
    row = evaluate(_Stub(), q, ["bm25"], with_title=True)[0]
    assert (row["R@1"], row["reading"]) == (1.0, "whole corpus, title counts")


def test_cli_writes_the_table_as_csv_and_json(tmp_path, news_dir, fake_embedder, capsys):
    from index.build import build
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    questions = _write(tmp_path / "q.jsonl", [
        {"id": "1", "date": "2024-02-01", "question": "Grindavik lava harbour", "answers": ["Grindavik"],
         "answer_in_corpus": True}])
    code = main(["--index", str(tmp_path / "idx"), "--questions", str(questions), "--modes", "bm25",
                 "--csv", str(tmp_path / "t.csv"), "--json", str(tmp_path / "t.json")])
    assert code == 0
    assert "| bm25 | whole corpus | 1 | 1.000 |" in capsys.readouterr().out
    rows = list(csv.DictReader((tmp_path / "t.csv").open()))
    assert [(r["mode"], r["reading"], float(r["R@1"])) for r in rows] == [
        ("bm25", "whole corpus", 1.0), ("bm25", "whole corpus, cross-validated by week", 1.0),
        ("bm25", "as of question date", 1.0), ("bm25", "as of question date, cross-validated by week", 1.0)]
    assert json.loads((tmp_path / "t.json").read_text())[0]["MRR@10"] == 1.0


def test_cli_says_how_to_build_a_missing_index(tmp_path, capsys):
    questions = _write(tmp_path / "q.jsonl", [{"id": "1", "date": "2024-02-01", "question": "Q", "answers": ["a"]}])
    assert main(["--index", str(tmp_path / "none"), "--questions", str(questions)]) == 1
    assert "python -m index build" in capsys.readouterr().err


def test_cli_prints_the_cross_validated_reading_unless_told_not_to(tmp_path, news_dir, fake_embedder, capsys):
    from index.build import build
    build(news_dir, tmp_path / "idx", embedder=fake_embedder)
    questions = _write(tmp_path / "q.jsonl", [
        {"id": str(i), "date": day, "question": "Grindavik lava harbour", "answers": ["Grindavik"]}
        for i, day in enumerate(["2024-02-01", "2024-02-08"])])
    args = ["--index", str(tmp_path / "idx"), "--questions", str(questions), "--modes", "hybrid", "--as-of", "no"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "| hybrid | whole corpus, cross-validated by week | 2 |" in out and "the 2 folds chose" in out
    assert main(args + ["--no-cv"]) == 0
    assert "cross-validated" not in capsys.readouterr().out
