"""Read a saved news web page: its metadata from meta tags, its text from the article.

The text comes from <article> if there is one, else <main>, else <body>;
navigation, scripts and other page furniture are dropped, and block
elements become paragraph breaks.

>>> from corpus.records import SourceFile
>>> page = ('<html><head><title>T</title><meta property="og:site_name" content="Daily">'
...         '</head><body><nav>Home</nav><article><h1>Rain</h1><p>It  rained&amp;poured.</p>'
...         '</article></body></html>')
>>> arts, _ = read_html(page, SourceFile("p.html", "/c/p.html"))
>>> arts[0].title, arts[0].source, arts[0].text
('T', 'Daily', 'Rain\\n\\nIt rained&poured.')
"""
from __future__ import annotations

from html.parser import HTMLParser

from .fields import make_article, normalize_text
from .records import Article, Problem, SourceFile

DROP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form", "svg", "template"}
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "section", "blockquote",
          "ul", "ol", "tr", "pre", "figure", "figcaption", "hr", "table", "dd", "dt"}
CONTAINERS = ("article", "main", "body")  # preferred first
_BREAK = "\x00"  # marks a paragraph break; NULs never survive in text, so it cannot clash
# (field, meta key) in order of preference; the key is property= or name= of a <meta>.
META_FIELDS = (
    ("title", "og:title"), ("date", "article:published_time"), ("date", "date"),
    ("date", "pubdate"), ("source", "og:site_name"), ("url", "og:url"), ("author", "author"),
)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.time: str | None = None
        self.title = ""
        self.depth = {name: 0 for name in CONTAINERS}
        self.seen = {name: False for name in CONTAINERS}
        self.parts: dict[str, list[str]] = {name: [] for name in CONTAINERS}
        self.dropping = 0
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            name = (a.get("property") or a.get("name") or "").strip().lower()
            if name and "content" in a:
                self.meta.setdefault(name, a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href")
        elif tag == "time" and a.get("datetime") and self.time is None:
            self.time = a["datetime"]
        elif tag == "title":
            self.in_title = True
        elif tag in DROP:
            self.dropping += 1
        elif tag in CONTAINERS:
            self.depth[tag] += 1
            self.seen[tag] = True
        self._block(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in DROP and self.dropping:
            self.dropping -= 1
        elif tag in CONTAINERS and self.depth[tag]:
            self.depth[tag] -= 1
        self._block(tag)

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        elif not self.dropping:
            for name in CONTAINERS:
                # Text outside any <body> tag still counts as body (fragments, sloppy pages).
                if self.depth[name] or (name == "body" and not self.depth["body"] and not self.seen["body"]):
                    self.parts[name].append(data)

    def _block(self, tag):
        if tag in BLOCKS or tag in CONTAINERS:
            for name in CONTAINERS:
                self.parts[name].append(_BREAK)

    def text(self) -> str:
        """Paragraphs of the preferred container, whitespace collapsed within each."""
        for name in CONTAINERS:
            paras = (" ".join(p.split()) for p in "".join(self.parts[name]).split(_BREAK))
            text = "\n\n".join(p for p in paras if p)
            if text:
                return text
        return ""


def read_html(data: str | bytes, source: SourceFile) -> tuple[list[Article], list[Problem]]:
    """One article from an HTML page (see the module example)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8-sig", errors="replace")
    parser = _PageParser()
    parser.feed(normalize_text(data))
    parser.close()
    fields: dict[str, tuple[str, object]] = {}
    for field, key in META_FIELDS:
        if field not in fields and parser.meta.get(key, "").strip():
            fields[field] = (f"meta {key}", parser.meta[key])
    candidates = (("title", "<title>", parser.title), ("date", "<time datetime>", parser.time),
                  ("url", "link rel=canonical", parser.canonical))
    for field, label, value in candidates:
        if field not in fields and value and value.strip():
            fields[field] = (label, value)
    # og:url is a fallback for the canonical link, which names the page more reliably.
    if parser.canonical and fields.get("url", ("",))[0] == "meta og:url":
        fields["url"] = ("link rel=canonical", parser.canonical)
    fields["text"] = ("text", parser.text())
    art, problems = make_article(fields, id=source.key, file=source.key)
    return ([art] if art else []), problems
