"""python -m search timeline QUESTION [--as-of D] [--json] ... | python -m search stories [--since D] ...

The two story commands of the search CLI (search/__main__.py hands them over here).
"""
from __future__ import annotations

import argparse
import json
import sys
import textwrap

from search.request import STORY_PASSAGES

COMMANDS = ("timeline", "stories")
SHOWN_NEW = 3   # new sentences printed per entry in the readable output (--json has all)


def _parser(date, index_help: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m search", description="Follow stories in the news index.")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("timeline", help="the question's story as a dated timeline: what each article added")
    t.add_argument("question", help="the question, in quotes")
    t.add_argument("--k", type=int, default=STORY_PASSAGES,
                   help=f"passages searched to find the story (default {STORY_PASSAGES})")
    t.add_argument("--as-of", type=date, help="the story as known on YYYY-MM-DD: the timeline ends there")
    s = sub.add_parser("stories", help="the stories of a period, newest first")
    s.add_argument("--limit", type=_at_least_one, default=50, help="at most this many stories (default 50)")
    for c in (t, s):
        c.add_argument("--since", type=date, help="only articles published on or after YYYY-MM-DD")
        c.add_argument("--until", type=date, help="only articles published on or before YYYY-MM-DD")
        c.add_argument("--source", action="append", help="only this outlet (repeat for several)")
        c.add_argument("--json", action="store_true", help="one JSON object per line")
        c.add_argument("--index", metavar="DIR", help=index_help)
    return p


def _at_least_one(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def main(argv, out, date, index_help: str) -> int:
    args = _parser(date, index_help).parse_args(argv)
    from corpus.errors import NewsError
    from search.request import CLI_NAMES, BadRequest
    from search.searcher import Searcher
    try:
        searcher = Searcher.open(args.index)
        if args.command == "timeline":
            entries = searcher.timeline(args.question, k=args.k, since=args.since, until=args.until,
                                        as_of=args.as_of, sources=args.source)
            _print_timeline(searcher, entries, args.json, out, (args.since, args.until, args.as_of))
        else:
            stories = searcher.stories(since=args.since, until=args.until, sources=args.source)[:args.limit]
            _print_stories(stories, args.json, out)
    except NewsError as e:   # a bad request names the flags, not the Python arguments
        print(f"error: {e.told(CLI_NAMES) if isinstance(e, BadRequest) else e}", file=sys.stderr)
        return 1
    return 0


def _print_stories(stories, as_json: bool, out) -> None:
    if not stories:
        print("no stories in this period", file=sys.stderr)
    for s in stories:
        if as_json:
            print(json.dumps(s.to_json(), ensure_ascii=False), file=out)
        else:
            first = s.first_date.isoformat() if s.first_date else "undated"
            last = s.last_date.isoformat() if s.last_date else ""
            n = len(s.article_ids)
            print(f"{s.id:>6}  {first} → {last:<10}  {n:>3} article{'s' * (n != 1)}  {s.label}"
                  f"  [{', '.join(s.sources)}]", file=out)


def _print_timeline(searcher, entries, as_json: bool, out, dates) -> None:
    """dates: (since, until, as_of) of the question: a story's header tells only of articles within them."""
    from search.stories import visible_story
    from search.timeline import by_story
    if not entries:
        print("no story matches this question within these filters", file=sys.stderr)
    if as_json:
        for e in entries:
            print(json.dumps(e.to_json(), ensure_ascii=False), file=out)
        return
    for story_id, own in by_story(entries).items():   # each story once, its entries in date order
        story = visible_story(searcher.story_index(), story_id, *dates)
        print(f"== {story.caption}{story.shown(len(own))} ==", file=out)
        for e in own:
            _print_entry(e, out)


def _print_entry(e, out) -> None:
    from search.view import byline
    first = "  [first report]" if e.first_report else ""
    print(f"{byline(e.date_label, e.source, e.title, e.derived)}{first}", file=out)
    if e.url:
        print(f"    {e.url}", file=out)
    for sentence in e.new[:SHOWN_NEW]:
        print(textwrap.fill(sentence, 100, initial_indent="    + ", subsequent_indent="      "), file=out)
    if len(e.new) > SHOWN_NEW:
        print(f"    … and {len(e.new) - SHOWN_NEW} more new sentences", file=out)
    for u in e.updates:
        print(textwrap.fill(f"update ({'; '.join(u.changed)}): \"{u.sentence}\" — earlier \"{u.earlier}\" "
                            f"({u.earlier_date or 'undated'}, {u.earlier_source or 'unknown outlet'})", 100,
                            initial_indent="    ! ", subsequent_indent="      "), file=out)
    print(file=out)
