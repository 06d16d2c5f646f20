"""python -m search QUESTION [--k N] [--json] [--index DIR] [--since D] [--until D] [--as-of D] [--source NAME]
                  [--per-source N] [--mode MODE] [--one-per-article] [--all-copies]
python -m search timeline QUESTION [--as-of D] [--json] ...  |  python -m search stories [--since D] ...
                  (search/stories_cli.py)"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap

from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV
from search.ranking import DEFAULT_MODE, MODES


INDEX_HELP = f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})"


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (write YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m search", description="Ask the news index a question.",
                                epilog="Stories: python -m search timeline QUESTION [--as-of DATE] [--json]; "
                                       "python -m search stories [--since DATE] (each with --help).")
    p.add_argument("question", help="the question, in quotes")
    p.add_argument("--k", type=int, default=10, help="how many passages (default 10)")
    p.add_argument("--json", action="store_true", help="one JSON object per hit, one per line")
    p.add_argument("--since", type=_date, help="only articles published on or after YYYY-MM-DD")
    p.add_argument("--until", type=_date, help="only articles published on or before YYYY-MM-DD")
    p.add_argument("--as-of", type=_date, help="the news as known on YYYY-MM-DD: only articles published by then")
    p.add_argument("--source", action="append", help="only this outlet (repeat for several)")
    p.add_argument("--per-source", type=int, metavar="N", help="at most N passages per outlet")
    p.add_argument("--mode", choices=MODES, default=DEFAULT_MODE, help=f"retrieval mode (default {DEFAULT_MODE})")
    p.add_argument("--one-per-article", action="store_true",
                   help="only the best passage of each article (as the page's toggle): k articles")
    p.add_argument("--all-copies", action="store_true",
                   help="list near-duplicate passages (syndicated copies) separately instead of folding them")
    p.add_argument("--index", metavar="DIR", help=INDEX_HELP)
    return p


def _print_hit(hit, out) -> None:
    from search.view import byline
    print(f"{hit.rank:>2}. [{hit.score:.3f}] {byline(hit.date_label, hit.source, hit.title, hit.derived)}", file=out)
    if hit.url:
        print(f"    {hit.url}", file=out)
    print(textwrap.indent(textwrap.fill(" ".join(hit.text.split()), 100), "    "), file=out)
    print(file=out)


def main(argv=None, out=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    out = out or sys.stdout
    from search.stories_cli import COMMANDS
    if argv and argv[0] in COMMANDS:
        from search import stories_cli
        return stories_cli.main(argv, out, _date, INDEX_HELP)
    args = _parser().parse_args(argv)
    from corpus.errors import NewsError
    from search.request import CLI_NAMES, BadRequest
    from search.searcher import Searcher
    from search.arrange import one_per_article, to_fetch
    try:
        searcher = Searcher.open(args.index)
        hits = searcher.search(
            args.question, k=to_fetch(args.k, args.one_per_article, len(searcher.data.passages)), since=args.since, until=args.until, sources=args.source, mode=args.mode,
            as_of=args.as_of, per_source=args.per_source, collapse=not args.all_copies)
    except NewsError as e:   # a bad request names the flags, not the Python arguments
        print(f"error: {e.told(CLI_NAMES) if isinstance(e, BadRequest) else e}", file=sys.stderr)
        return 1
    hits = one_per_article(hits, args.k) if args.one_per_article else hits
    if not hits:
        print("no passages match these filters", file=sys.stderr)
    for hit in hits:
        if args.json:
            print(json.dumps(hit.to_json(), ensure_ascii=False), file=out)
        else:
            _print_hit(hit, out)
    return 0


if __name__ == "__main__":
    from index.cli import run_piped
    sys.exit(run_piped(main))
