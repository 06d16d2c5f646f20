"""python -m search QUESTION [--k N] [--json] [--index DIR] [--since D] [--until D] [--as-of D] [--source NAME]
                  [--per-source N] [--mode MODE] [--one-per-article] [--all-copies]
python -m search timeline QUESTION [--as-of D] [--json] ...  |  python -m search stories [--since D] ...
                  (search/stories_cli.py)

The first argument that is neither an option nor an option's value is the command when it is `timeline`
or `stories` (`--index DIR stories` is `stories --index DIR`), else the question. To search for the word
itself, end the options with `--`: python -m search --k 5 -- stories"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import textwrap

from index.config import DEFAULT_INDEX_DIR, INDEX_DIR_ENV
from search.ranking import DEFAULT_MODE, MODES
from search.request import iso_day


INDEX_HELP = f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})"


def _date(value: str) -> dt.date:
    try:
        return iso_day(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (write YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m search", description="Ask the news index a question.",
                                epilog="Stories: python -m search timeline QUESTION [--as-of DATE] [--json]; "
                                       "python -m search stories [--since DATE] (each with --help). "
                                       "To search for the word timeline or stories itself: python -m search -- stories")
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


def _command_at(argv: list, commands) -> int | None:
    """Where the sub-command stands: the first argument that is neither an option nor an option's value,
    if it is a command's name; None for a question. After `--` there are no options and no command."""
    values = _value_options()
    skip = False
    for at, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "--":
            return None
        elif arg.startswith("-") and arg != "-":
            skip = "=" not in arg and _takes_value(arg, values)
        else:
            return at if arg in commands else None
    return None


def _value_options() -> dict:
    """Each option of the search and of its sub-commands -> whether a value follows it (read from the
    parsers, so that an option added there is skipped here too)."""
    from search import stories_cli
    found, parsers = {}, [_parser(), stories_cli._parser(_date, INDEX_HELP)]
    while parsers:
        actions = parsers.pop()._actions   # argparse lists its options nowhere public
        parsers += [sub for a in actions if isinstance(a, argparse._SubParsersAction) for sub in a.choices.values()]
        found.update((name, a.nargs != 0) for a in actions for name in a.option_strings)
    return found


def _takes_value(arg: str, values: dict) -> bool:
    # argparse reads an unambiguous prefix as the option (--ind DIR is --index DIR), so a prefix counts too.
    names = [arg] if arg in values else [name for name in values if name.startswith(arg)]
    return bool(names) and all(values[name] for name in names)


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
    at = _command_at(argv, COMMANDS)
    if at is not None:   # the options before it are the command's too: its parser reads them after it
        from search import stories_cli
        return stories_cli.main([argv[at], *argv[:at], *argv[at + 1:]], out, _date, INDEX_HELP)
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
