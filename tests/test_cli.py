"""The two commands, driven through main([...]): exit codes, messages, output."""
import json
import subprocess
import sys

import pytest

import index.__main__ as index_cli
import search.__main__ as search_cli
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    from tests.news_texts import write_corpus
    news = write_corpus(tmp_path_factory.mktemp("news"))
    index_dir = tmp_path_factory.mktemp("idx")
    assert index_cli.main(["build", str(news), "--index", str(index_dir), "--quiet"]) == 0
    return index_dir


def test_build_prints_a_one_line_summary(tmp_path, news_dir, capsys):
    (news_dir / "broken.jsonl").write_text('{"title": "ok", "text": "Fine text here."}\n{not json\n')
    (news_dir / "empty.txt").write_text("")
    assert index_cli.main(["build", str(news_dir), "--index", str(tmp_path / "i"), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and "5 articles" in out and "1 skipped, 1 degraded" in out
    assert "empty.txt: skipped" in err and "broken.jsonl: degraded" in err


def test_build_of_a_missing_folder_fails_clearly(tmp_path, capsys):
    assert index_cli.main(["build", str(tmp_path / "nope"), "--index", str(tmp_path / "i")]) == 1
    assert "corpus path not found" in capsys.readouterr().err


def test_info_lists_counts_and_skipped_files(built_index, capsys):
    assert index_cli.main(["info", "--index", str(built_index)]) == 0
    assert "4 articles" in capsys.readouterr().out


def test_search_prints_ranked_passages_with_date_and_source(built_index, capsys):
    assert search_cli.main(["Who won the chess title?", "--k", "2", "--index", str(built_index)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(" 1. [") and "2023-12-28 · Board Games Weekly · Teenager wins" in out


def test_search_json_lines(built_index, capsys):
    assert search_cli.main(["volcano", "--json", "--k", "3", "--index", str(built_index)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["rank"] for r in rows] == [1, 2, 3] and rows[0]["date"] == "2024-01-14"
    assert {"score", "text", "title", "source", "url", "article_id", "start", "end"} <= set(rows[0])


def test_search_without_an_index_says_which_command_builds_it(tmp_path, capsys):
    assert search_cli.main(["anything", "--index", str(tmp_path / "none")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "python -m index build" in err


def test_empty_question_is_a_clear_error(built_index, capsys):
    assert search_cli.main(["   ", "--index", str(built_index)]) == 1
    assert "question is empty" in capsys.readouterr().err


@pytest.mark.parametrize("code", [
    "import index.__main__ as m, sys\ntry: m.main(['--help'])\nexcept SystemExit: pass",
    "import search.__main__ as m, sys\ntry: m.main(['--help'])\nexcept SystemExit: pass",
    "import corpus, index, search",
])
def test_quick_paths_do_not_import_torch(code):
    check = code + "\nimport sys; assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", check], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_search_piped_into_a_closed_pipe_exits_cleanly(built_index):
    cmd = [sys.executable, "-m", "search", "volcano", "--k", "5", "--index", str(built_index)]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the answer is written, as `| head` that has read enough does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0 and "Traceback" not in err


def test_answering_a_question_imports_no_torch_bm25s_or_scipy(built_index):
    # The query path reads the index's own files: the heavy libraries are for builds only.
    code = ("import sys; from search import Searcher; from tests.conftest import FakeEmbedder\n"
            f"hits = Searcher.open({str(built_index)!r}, embedder=FakeEmbedder()).search('volcano lava', k=3)\n"
            "assert hits and hits[0].answer_end > hits[0].answer_start\n"
            "heavy = [m for m in ('torch', 'sentence_transformers', 'bm25s', 'scipy') if m in sys.modules]\n"
            "assert not heavy, heavy")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_search_flags_reach_the_searcher(built_index, capsys):
    def ask(*flags):
        assert search_cli.main(["volcano lava eruption", "--json", "--index", str(built_index), *flags]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert ask("--k", "3")[0]["article_id"] == "volcano.md"
    # As of a day before the eruption article was published, it cannot answer.
    assert "volcano.md" not in {h["article_id"] for h in ask("--as-of", "2024-01-13")}
    assert ask("--mode", "bm25", "--k", "1")[0]["article_id"] == "volcano.md"
    outlets = [h["source"] for h in ask("--per-source", "1", "--k", "10")]
    assert len(outlets) == len(set(outlets)) > 1


def test_an_unknown_mode_is_refused_by_the_command_line(built_index, capsys):
    with pytest.raises(SystemExit) as exit_:
        search_cli.main(["volcano", "--mode", "magic", "--index", str(built_index)])
    assert exit_.value.code == 2 and "invalid choice: 'magic'" in capsys.readouterr().err


def test_build_of_a_folder_of_bad_files_names_each_once_then_one_short_error(tmp_path, capsys):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    assert index_cli.main(["build", str(bad), "--index", str(tmp_path / "i"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("empty.txt: skipped: empty file") == 1 and err.count("binary.txt: skipped: binary file") == 1
    assert err.splitlines()[-1] == (f"error: nothing could be indexed from {bad}: 2 files skipped (listed above); "
                                    "fix them or point to another folder")


def test_build_of_an_empty_folder_says_no_news_texts_were_found(tmp_path, capsys):
    from corpus import SUPPORTED
    (tmp_path / "empty").mkdir()
    assert index_cli.main(["build", str(tmp_path / "empty"), "--index", str(tmp_path / "i"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: nothing could be indexed from {tmp_path / 'empty'}: no news texts found there "
                   f"(accepted: {' '.join(SUPPORTED)}); point to a folder of news texts\n")


def test_info_counts_one_of_each_in_the_singular(tmp_path, embedder, monkeypatch, capsys):
    monkeypatch.setattr("index.embed.Embedder", lambda *a, **k: embedder)   # the session's model, loaded once
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "one.txt").write_text("Title: Ferry resumes\n\nThe ferry to Kessin runs again from Monday.\n")
    assert index_cli.main(["build", str(tmp_path / "news"), "--index", str(tmp_path / "i"), "--quiet"]) == 0
    capsys.readouterr()
    assert index_cli.main(["info", "--index", str(tmp_path / "i")]) == 0
    assert capsys.readouterr().out.startswith("1 article, 1 passage from 1 file; ")


def test_one_per_article_gives_each_articles_best_passage_once(tmp_path, embedder, capsys):
    from index.build import build
    from tests.crash_sweep import extra_articles
    from tests.news_texts import write_corpus
    build(write_corpus(tmp_path / "news", extra_articles(4, words=600)), tmp_path / "idx", embedder=embedder)

    def ask(*flags):
        assert search_cli.main(["ferry crew calm seas", "--json", "--all-copies", "--index", str(tmp_path / "idx"),
                                *flags]) == 0
        return [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    every = ask("--k", "30")
    articles = [h["article_id"] for h in every]
    assert len(articles) > len(set(articles)) == 4       # several passages of each harbour report
    one = ask("--k", "30", "--one-per-article")
    assert [h["article_id"] for h in one] == list(dict.fromkeys(articles))   # each once, at its best rank
    assert [h["rank"] for h in one] == [1, 2, 3, 4]
    assert len(ask("--k", "2", "--one-per-article")) == 2


STORY_QUESTION = "How many people died in the Marrowby floods?"   # tests/story_texts.py FLOOD


def test_options_may_stand_before_the_sub_command(story_corpus, capsys):
    index = str(story_corpus[1])

    def run(*argv):
        assert search_cli.main(argv) == 0
        return capsys.readouterr().out
    assert run("--index", index, "stories") == run("stories", "--index", index) != ""
    assert run("--json", "--ind", index, "stories") == run("stories", "--json", "--index", index)
    assert run("--index=" + index, "--since", "2024-03-06", "stories") == run("stories", "--since", "2024-03-06",
                                                                              "--index", index)
    timeline = run("timeline", STORY_QUESTION, "--index", index)
    assert "[first report]" in timeline and run("--index", index, "timeline", STORY_QUESTION) == timeline
    with pytest.raises(SystemExit) as exit_:   # an option the command has not is its error, not a search
        search_cli.main(["--k", "3", "--index", index, "stories"])
    assert exit_.value.code == 2 and "unrecognized arguments: --k 3" in capsys.readouterr().err


def test_after_a_double_dash_the_word_stories_is_the_question(story_corpus, capsys):
    assert search_cli.main(["--json", "--k", "2", "--index", str(story_corpus[1]), "--", "stories"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["rank"] for r in rows] == [1, 2]   # passages: a search, not the story list


@pytest.mark.parametrize("argv", [["volcano", "--since", "20240305"], ["volcano", "--as-of", "2024W10"],
                                  ["timeline", "volcano", "--as-of", "2024-W10-2"], ["stories", "--until", "2024-3-5"]])
def test_the_command_line_reads_days_written_yyyy_mm_dd_only(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        search_cli.main([*argv, "--index", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and f"not a date: {argv[-1]!r} (write YYYY-MM-DD)" in err
