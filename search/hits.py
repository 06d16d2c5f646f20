"""A search hit, and hits as a table.

>>> import datetime as dt
>>> h = Hit(rank=1, score=0.71, text="The Pentagon offered ...", title="Talks resume",
...         date=dt.date(2026, 3, 5), source="Cointelegraph", url=None,
...         article_id="texts/a.txt", start=0, end=24)
>>> h.date_label, hits_to_frame([h]).loc[0, "source"]
('2026-03-05', 'Cointelegraph')
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Hit:
    rank: int                 # 1 = best
    score: float              # the mode's ranking score: cosine (dense), BM25, fused (hybrid), blended (rerank)
    text: str                 # the passage, exactly article_text[start:end]
    title: str
    date: dt.date | None      # publication date; None = undated
    source: str | None        # the outlet
    url: str | None
    article_id: str
    start: int                # character offsets of the passage in its article's text
    end: int
    author: str | None = None
    file: str = ""            # the source file the article came from
    derived: tuple[str, ...] = ()  # metadata fields derived, not given (e.g. "title")
    # Near-duplicates folded into this hit (syndicated copies, repeated wire text): (outlet, date, article id).
    also: tuple[tuple[str | None, dt.date | None, str], ...] = ()
    answer_start: int = 0     # the sentence that best answers the question: text[answer_start:answer_end]
    answer_end: int = 0

    @property
    def answer(self) -> str:
        """The best-answering sentence of the passage."""
        return self.text[self.answer_start:self.answer_end]

    @property
    def date_label(self) -> str:
        return self.date.isoformat() if self.date else "undated"

    def to_json(self) -> dict:
        row = asdict(self)
        row["date"] = self.date_label if self.date else None
        row["derived"] = list(self.derived)
        row["also"] = [{"source": s, "date": d.isoformat() if d else None, "article_id": a} for s, d, a in self.also]
        return row


def hits_to_frame(hits: list[Hit]):
    """A pandas DataFrame with one row per hit, columns in Hit field order."""
    import pandas as pd

    columns = [f.name for f in fields(Hit)]
    return pd.DataFrame([{c: getattr(h, c) for c in columns} for h in hits], columns=columns)
