"""What a build collects: articles, passages and their vectors, in canonical order.

A file whose bytes are unchanged since the live index keeps its rows (passages, passage
vectors, sentence vectors); new or changed files are read, chunked and embedded. Rows are laid
out file by file in listing order, so an incremental build equals a full one row for row.

    >>> plan = Plan(IndexConfig(), previous=None)                  # doctest: +SKIP
    >>> plan.add_file(source); vectors, sentences = plan.embed(progress)  # doctest: +SKIP

Feeds come last (``corpus.feeds.feeds_last``): an entry whose URL some other file's article has (a saved
page, or an earlier feed: Monday's and Tuesday's snapshot of one feed list the same stories) is left out,
as is a feed's own repeat of an entry, so a story is indexed once, from its full page if there is one.
A feed file is reused only while the set of its entries so covered is unchanged.
"""
from __future__ import annotations

from dataclasses import asdict

import numpy as np

from corpus import NewsError, Problem, file_digest, read_file
from corpus.dates import latest_date, refused_date
from corpus.feeds import is_feed
from corpus.urls import url_key
from index import storage
from index.chunking import Chunker, split_sentences
from index.config import IndexConfig, resolve_cache_dir
from index import embed
from index.embed import encode_passages, load_tokenizer
from index.faults import checkpoint
from index.sentences import SentenceTable

SMALL_JOB = 64  # passages; up to this many are embedded torch-free (see embedder_for)


def _due(reason: str) -> bool:
    """Whether a problem is a date refused as in the future whose day has come (not re-read before: a feed
    with one entry dated ahead would be embedded again on every build)."""
    refused = refused_date(reason)
    return refused is not None and refused <= latest_date()


class ModelMismatch(NewsError):
    """An embedder for one model handed to a build whose config (the live index's, or --model) names another."""

    def __init__(self, given: str, wanted: str):
        super().__init__(f"the embedder given loads model {given} but this index is built with {wanted}; "
                         f"rebuild with --model {given} (re-embeds all) or embed with {wanted}")


class Plan:
    """Collects articles, passages and vectors in canonical (file, article, passage) order."""

    def __init__(self, config: IndexConfig, previous, embedder=None):
        self.config, self.previous, self._embedder = config, previous, embedder
        self.articles, self.passages, self.problems, self.files = [], [], [], {}
        self._parts = []         # per passage run: ("reuse", row ids) or ("new", start in self._texts)
        self._texts = []
        self._sentences = []     # per new passage: its sentence spans in the passage text
        self._shifts = []        # where the passage text starts in the embedded text (after the title)
        self.embedded = 0
        self.loaded_embedder = None  # the torch model, if this build needed it
        self._rows_by_file = _rows_by_file(previous) if previous else {}
        self._chunker = None
        self._pages = None       # url_key of every non-feed article, taken when the first feed comes

    def add_file(self, source) -> None:
        old = self.previous.manifest["files"].get(source.key) if self.previous else None
        feed = is_feed(source.key)
        if feed and self._pages is None:
            self._pages = {url_key(a.url) for a in self.articles} - {None}
        try:
            digest = file_digest(source.path) if old else None
        except OSError:
            digest = None  # read_file reports the reason
        same_pages = not feed or (old and self._covered(old.get("entry_urls", [])) == old.get("covered", []))
        # A date refused as in the future was judged on that day only: such a file is read again, not reused,
        # so the date is taken once its day comes (indexes built before this check included).
        judged = old and any(_due(p.get("reason", "")) for p in old.get("problems", []))
        if old and digest == old["sha256"] and same_pages and not judged:
            return self._reuse(source.key, old)
        result = read_file(source)
        self.problems.extend(result.problems)
        articles, extra = result.articles, {}
        if feed:
            urls = [a.url for a in articles]
            extra = {"entry_urls": urls, "covered": self._covered(urls)}
            articles = _first_of_each_url([a for a in articles if url_key(a.url) not in self._pages])
            self._pages |= {url_key(a.url) for a in articles} - {None}
        if not articles:
            return
        first = len(self.passages)
        for article in articles:
            self.articles.append(article)
            self._chunk(article)
        self.files[source.key] = {"sha256": result.sha256, "articles": len(articles),
                                  "passages": len(self.passages) - first,
                                  "problems": [asdict(p) for p in result.problems], **extra}

    def _covered(self, urls) -> list:
        """The entry URLs a saved page already covers (those entries are left out)."""
        return [u for u in urls if url_key(u) in self._pages]

    def _reuse(self, key: str, old: dict) -> None:
        rows = self._rows_by_file.get(key, [])
        ids = dict.fromkeys(self.previous.passages[r].article_id for r in rows)
        self.articles.extend(self.previous.articles[a] for a in ids)
        self.passages.extend(self.previous.passages[r] for r in rows)
        self.problems.extend(Problem(**p) for p in old.get("problems", []))
        self._parts.append(("reuse", rows))
        self.files[key] = old
        if is_feed(key):   # its entries cover later feeds' copies, as when it was read
            self._pages |= {url_key(self.previous.articles[a].url) for a in ids} - {None}

    def _chunk(self, article) -> None:
        if self._chunker is None:
            self._tok = load_tokenizer(self.config.model_name)
            self._chunker = Chunker(self._tok, self.config.max_passage_tokens, self.config.overlap_sentences)
        title = self._title_prefix(article.title) if self.config.prepend_title else ""
        budget = self.config.model_max_tokens - 2 - (self._chunker.count([title])[0] if title else 0)
        spans = self._chunker.chunk(article.text, budget)
        self._parts.append(("new", len(self._texts), len(spans)))
        for span in spans:
            self.passages.append(storage.Passage(article.id, span.start, span.end))
            body = article.text[span.start:span.end]
            self._texts.append(f"{title}\n\n{body}" if title else body)
            self._sentences.append(split_sentences(body))
            self._shifts.append(len(title) + 2 if title else 0)

    def _title_prefix(self, title: str) -> str:
        enc = self._tok.encode(title, add_special_tokens=False)
        if len(enc.ids) <= self.config.max_title_tokens:
            return title
        return title[:enc.offsets[self.config.max_title_tokens - 1][1]]

    def embed(self, progress) -> tuple[np.ndarray, SentenceTable]:
        """All rows' passage vectors and sentence table: new rows embedded, the rest reused."""
        new, new_sentences = np.zeros((0, 0), dtype=np.float32), None
        if self._texts:
            embedder = _checked(self._embedder, self.config) or embedder_for(self.config, len(self._texts))
            self.loaded_embedder = embedder
            done = [0]

            def step(n):
                done[0] += n
                progress("embedding", done[0], len(self._texts))
                checkpoint("embedding")
            progress("embedding", 0, len(self._texts))
            shifted = [[(a + d, b + d) for a, b in spans] for spans, d in zip(self._sentences, self._shifts)]
            new, vectors = encode_passages(embedder, self._texts, shifted, self.config.batch_size, step)
            new_sentences = SentenceTable.build(self._sentences, vectors)
            self.embedded = len(self._texts)
        reuse = self.previous and any(p[0] == "reuse" for p in self._parts)
        old = self.previous.store.vectors() if reuse else None
        pieces = [old[p[1]] if p[0] == "reuse" else new[p[1]:p[1] + p[2]] for p in self._parts]
        tables = [self.previous.sentences.take(p[1]) if p[0] == "reuse" else
                  new_sentences.take(range(p[1], p[1] + p[2])) for p in self._parts]
        pieces = [p for p in pieces if len(p)]
        vectors = np.concatenate(pieces) if pieces else np.zeros((0, 384), dtype=np.float32)
        return vectors, SentenceTable.concat(tables)


def embedder_for(config: IndexConfig, passages: int):
    """The torch model; for a small job (e.g. one added article) the exported ONNX copy of it when a
    build has made one: same vectors (cosine > 0.999, checked at export), without the seconds of
    importing torch and loading the model."""
    if passages <= SMALL_JOB:
        from index.onnx_query import OnnxQueryEncoder
        onnx = OnnxQueryEncoder.open(resolve_cache_dir(), config.model_name, threads=2)
        if onnx is not None:
            return onnx
    return embed.Embedder(config.model_name, config.precision)  # looked up late: tests stand in a loaded one


def _checked(embedder, config: IndexConfig):
    """The given embedder, bound to the build's config if it waits for one (RayEmbedder); refused if it
    loads another model than the config names, so one index never mixes two models' vectors.

    >>> class Other: name = "/models/adapted"
    >>> _checked(Other(), IndexConfig())
    Traceback (most recent call last):
    index.plan.ModelMismatch: the embedder given loads model /models/adapted but this index is built with \
all-MiniLM-L6-v2; rebuild with --model /models/adapted (re-embeds all) or embed with all-MiniLM-L6-v2
    """
    if embedder is None:
        return None
    if hasattr(embedder, "bind"):
        embedder = embedder.bind(config)
    name = getattr(embedder, "name", None)  # a test double without a model has none
    if name is not None and name != config.model_name:
        raise ModelMismatch(name, config.model_name)
    return embedder


def _first_of_each_url(articles: list) -> list:
    """A feed listing one story twice keeps its first entry (entries without a URL all stay)."""
    seen, keep = set(), []
    for article in articles:
        key = url_key(article.url)
        if key is None or key not in seen:
            keep.append(article)
            seen.add(key)
    return keep


def _rows_by_file(previous) -> dict:
    rows = {}
    for i, p in enumerate(previous.passages):
        rows.setdefault(previous.articles[p.article_id].file, []).append(i)
    return rows
