"""Ordering, one passage per article, date filters, coverage over time, CSV export, status rows."""
import datetime as dt
import io

import pandas as pd
import pytest

from search.arrange import coverage_frame, date_filter, hits_csv, one_per_article, sort_hits, status_rows
from search.hits import Hit, hits_to_frame

D = dt.date


def hit(rank, article_id, date):
    return Hit(rank=rank, score=1 - rank / 10, text=f"passage {rank}", title=article_id, date=date,
               source="Outlet", url=None, article_id=article_id, start=rank, end=rank + 5)


HITS = [hit(1, "a", D(2024, 1, 2)), hit(2, "b", None), hit(3, "a", D(2024, 1, 2)), hit(4, "c", D(2024, 3, 1)),
        hit(5, "d", D(2023, 12, 1))]


def test_sort_by_date_is_newest_first_with_undated_last_and_relevance_ranks_kept():
    by_date = sort_hits(list(reversed(HITS)), "date")
    assert [h.rank for h in by_date] == [4, 1, 3, 5, 2]
    assert [h.rank for h in sort_hits(list(reversed(HITS)), "relevance")] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="relevance, date"):
        sort_hits(HITS, "score")


def test_one_per_article_keeps_the_best_passage_of_each_and_reranks():
    kept = one_per_article(HITS)
    assert [(h.rank, h.article_id, h.start) for h in kept] == [(1, "a", 1), (2, "b", 2), (3, "c", 4), (4, "d", 5)]
    assert [h.article_id for h in one_per_article(HITS, k=2)] == ["a", "b"]


def test_date_filter_combines_range_and_as_of():
    assert date_filter((D(2024, 2, 1), D(2024, 1, 1))) == (D(2024, 1, 1), D(2024, 2, 1))
    assert date_filter((), as_of=D(2024, 1, 5)) == (None, D(2024, 1, 5))
    assert date_filter((D(2024, 1, 1), D(2024, 1, 3)), as_of=D(2024, 6, 1)) == (D(2024, 1, 1), D(2024, 1, 3))
    assert date_filter(None) == (None, None)


def test_coverage_counts_every_day_and_marks_the_days_of_hits():
    dates = {"a": D(2024, 1, 2), "b": None, "c": D(2024, 1, 5), "d": D(2024, 1, 5), "e": D(2024, 1, 1)}
    frame, unit = coverage_frame(dates, ["c", "b"])
    assert unit == "day"
    assert list(frame["period"].dt.date) == [D(2024, 1, d) for d in range(1, 6)]
    assert frame["articles with a hit"].tolist() == [0, 0, 0, 0, 1]
    assert frame["other articles"].tolist() == [1, 1, 0, 0, 1]


def test_long_spans_count_per_week_from_monday():
    dates = {f"x{i}": D(2023, 1, 1) + dt.timedelta(days=3 * i) for i in range(100)}   # ~300 days
    frame, unit = coverage_frame(dates, ["x0", "x99"])
    assert unit == "week" and all(p.weekday() == 0 for p in frame["period"].dt.date)
    assert (frame["articles with a hit"] + frame["other articles"]).sum() == 100
    assert frame["articles with a hit"].sum() == 2 and frame["period"].is_monotonic_increasing
    empty, _ = coverage_frame({"u": None})
    assert empty.empty


def test_the_chart_shows_the_weeks_around_the_hits_not_the_whole_index():
    dates = {f"x{i}": D(1994, 1, 1) + dt.timedelta(days=30 * i) for i in range(365)}   # thirty years, monthly
    dates.update({"hit1": D(2023, 8, 9), "hit2": D(2023, 8, 31)})
    frame, unit = coverage_frame(dates, ["hit1", "hit2"])
    shown = frame["period"].dt.date
    assert unit == "day" and shown.min() >= D(2023, 7, 10) and shown.max() <= D(2023, 9, 30)
    assert frame["articles with a hit"].sum() == 2 and frame["other articles"].sum() == 3   # 07-28, 08-27, 09-26
    whole, unit = coverage_frame(dates, [])          # no dated hit: the whole index, per week
    assert unit == "week" and (whole["articles with a hit"] + whole["other articles"]).sum() == 367


def test_csv_round_trips_hits_and_defuses_spreadsheet_formulas():
    hostile = hit(1, "a", D(2024, 1, 2))
    hostile = Hit(**{**hostile.__dict__, "text": '=HYPERLINK("https://evil.example")', "title": "Plain, \"quoted\""})
    back = pd.read_csv(io.BytesIO(hits_csv(hits_to_frame([hostile, HITS[1]]))))
    assert back.loc[0, "text"] == "'" + hostile.text and back.loc[0, "title"] == 'Plain, "quoted"'
    assert back.loc[0, "date"] == "2024-01-02" and pd.isna(back.loc[1, "date"])
    assert list(back["rank"]) == [1, 2]


def test_status_rows_say_counts_span_and_skipped_files():
    stats = {"articles": 4, "passages": 9, "outlets": 3, "first_date": D(2023, 8, 15), "last_date": D(2024, 1, 14),
             "undated": 1, "model": "all-MiniLM-L6-v2", "built_at": "2026-03-05T10:00:00+00:00",
             "problems": [{"file": "x.pdf", "kind": "skipped", "reason": "unsupported"},
                          {"file": "y.jsonl", "kind": "degraded", "reason": "bad line 3"}]}
    rows = dict(status_rows(stats, "/tmp/idx"))
    assert rows["dates"] == "2023-08-15 to 2024-01-14 (1 undated)"
    assert (rows["articles"], rows["skipped files"], rows["folder"]) == ("4", "1", "/tmp/idx")
    assert rows["files read in part"] == "1"   # counted beside the skipped one, so the list below adds up
    stats["problems"] = stats["problems"][:1]
    assert "files read in part" not in dict(status_rows(stats, "/tmp/idx"))
    # files, not reasons: a file with three bad lines is one file read in part
    stats["problems"] = [{"file": "y.jsonl", "kind": "degraded", "reason": f"bad line {n}"} for n in (3, 5, 9)]
    assert dict(status_rows(stats, "/tmp/idx"))["files read in part"] == "1"
