"""The bench data: where it lives and how its questions are read (shared by every bench command).

The bench (`../shared/bench/`) is for evaluation and benchmarks only; its texts never enter the
repository. Its folder is a setting: `--bench DIR`, else `$NEWS_BENCH_DIR`, else the default below.

>>> resolve_bench_dir("/data/bench").as_posix()
'/data/bench'
"""
from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import NewsError
from index.config import PROJECT_ROOT

BENCH_ENV = "NEWS_BENCH_DIR"
DEFAULT_BENCH_DIR = PROJECT_ROOT.parent / "shared" / "bench" / "news-2023q4"
PAGES_ENV = "NEWS_PAGES_DIR"  # saved web pages + gold.json (python -m bench.pages)
DEFAULT_PAGES_DIR = PROJECT_ROOT.parent / "shared" / "bench" / "web-pages"


class BadQuestions(NewsError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    date: dt.date | None
    question: str
    answers: tuple[str, ...]
    answer_in_corpus: bool = True


def resolve_bench_dir(given=None) -> Path:
    """--bench wins, then $NEWS_BENCH_DIR, then <project>/../shared/bench/news-2023q4."""
    return Path(given or os.environ.get(BENCH_ENV) or DEFAULT_BENCH_DIR).expanduser()


def load_questions(path: Path) -> list[Question]:
    """Questions in the bench format: one JSON object a line with id, date, question, answers."""
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise BadQuestions(f"cannot read questions file {path}: {e}; point --questions to a .jsonl file") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(Question(str(row["id"]), dt.date.fromisoformat(row["date"]) if row.get("date") else None,
                                str(row["question"]), tuple(str(a) for a in row["answers"]),
                                bool(row.get("answer_in_corpus", True))))
        except (ValueError, KeyError, TypeError) as e:
            raise BadQuestions(f"{path} line {n}: {type(e).__name__} {e}; each line needs id, question, "
                               f"answers (a list) and date (YYYY-MM-DD)") from None
    return out


def resolve_pages_dir(given=None) -> Path:
    """The saved-pages folder: the argument, then $NEWS_PAGES_DIR, then <project>/../shared/bench/web-pages."""
    return Path(given or os.environ.get(PAGES_ENV) or DEFAULT_PAGES_DIR).expanduser()
