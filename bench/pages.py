"""Article-body extraction on saved web pages, scored the way the article-extraction benchmark scores it.

    python -m bench.pages                                   # $NEWS_PAGES_DIR or ../shared/bench/web-pages
    python -m bench.pages --pages DIR/pages --gold DIR/gold.json

A pages folder holds ``<id>.html.gz`` (or ``<id>.html``) and the gold file maps each id to
``{"articleBody": ..., "url": ...}``. Each page is read by the product's own reader
(``corpus.web.read_html``); per page the gold and the extracted text are lowercased, split into word
tokens and cut into 4-token shingles (multisets); precision and recall are over the shared shingles,
averaged over pages (precision over pages where something was extracted), and F1 is taken from the two
means, as the benchmark's evaluation does. It also prints how many pages got a title and a date, and the
seconds the reader took for all pages (trafilatura's import is timed apart).

>>> prf("The bridge opens in March, the mayor said.", "the bridge opens in march the mayor said today")
(1.0, 0.8333333333333334)
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.data import PAGES_ENV, resolve_pages_dir

SHINGLE = 4
_WORD = re.compile(r"\w+")


def shingles(text: str) -> Counter:
    """4-token shingles of the lowercased word tokens; a text shorter than that is one shingle."""
    tokens = _WORD.findall(text.lower())
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens)


def prf(extracted: str, gold: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the side it divides by is empty."""
    got, want = shingles(extracted), shingles(gold)
    shared = sum((got & want).values())
    precision = shared / sum(got.values()) if got else None
    recall = shared / sum(want.values()) if want else None
    return precision, recall


def load_pages(pages_dir: Path, gold_file: Path) -> dict[str, tuple[bytes, str]]:
    """{id: (page bytes, gold article body)}; a page missing from the folder is an error."""
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    out = {}
    for key, entry in gold.items():
        gz, plain = pages_dir / f"{key}.html.gz", pages_dir / f"{key}.html"
        data = gzip.decompress(gz.read_bytes()) if gz.exists() else plain.read_bytes()
        out[key] = (data, entry.get("articleBody", ""))
    return out


def evaluate(pages: dict[str, tuple[bytes, str]]) -> dict:
    from corpus.records import SourceFile
    started = time.perf_counter()
    import trafilatura  # noqa: F401  (timed apart: paid once per process, not per page)
    import_seconds = time.perf_counter() - started
    from corpus.web import read_html
    precisions, recalls, titles, dates = [], [], 0, 0
    started = time.perf_counter()
    for key, (data, gold) in pages.items():
        articles, _ = read_html(data, SourceFile(f"{key}.html", key))
        art = articles[0] if articles else None
        p, r = prf(art.text if art else "", gold)
        precisions += [p] if p is not None else []
        recalls += [r] if r is not None else []
        titles += bool(art and art.title and not art.is_derived("title"))
        dates += bool(art and art.date)
    seconds = time.perf_counter() - started
    precision, recall = statistics.mean(precisions), statistics.mean(recalls)
    return {"pages": len(pages), "precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "titles": titles, "dates": dates, "seconds": seconds, "import_seconds": import_seconds}


def main(argv=None) -> int:
    base = resolve_pages_dir()
    p = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    p.add_argument("--pages", type=Path, default=base / "pages", help=f"folder of pages (default ${PAGES_ENV}/pages)")
    p.add_argument("--gold", type=Path, default=base / "gold.json", help=f"gold file (default ${PAGES_ENV}/gold.json)")
    args = p.parse_args(argv)
    try:
        pages = load_pages(args.pages, args.gold)
    except (OSError, ValueError) as e:
        print(f"error: cannot read the pages or the gold file: {e}; set {PAGES_ENV} or pass --pages/--gold",
              file=sys.stderr)
        return 1
    m = evaluate(pages)
    n = m["pages"]
    print(f"{n} pages: article body F1 {m['f1']:.3f}  precision {m['precision']:.3f}  recall {m['recall']:.3f}")
    print(f"title on {m['titles']}/{n} pages, date on {m['dates']}/{n} ({m['dates'] / n:.0%})")
    print(f"read in {m['seconds']:.2f} s ({m['seconds'] / n * 1000:.0f} ms a page; importing trafilatura "
          f"{m['import_seconds']:.2f} s more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
