"""Passage cards: hostile article text stays literal text, the answer sentence is marked."""
import datetime as dt
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.hits import Hit
from search.view import card_html, highlighted_html, safe_url

ALLOWED = {"div": {"class", "data-rank"}, "span": {"class"}, "mark": set(), "br": set(),
           "a": {"href", "target", "rel"}}
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "[click me](https://evil.example/x) and ![img](https://evil.example/i.png)",
    "Prices rose $x$ and $$y^2$$ today.",
    "<a href='javascript:alert(1)'>link</a> &amp; &lt;b&gt; **bold** `code` # heading",
    '"><svg onload=alert(1)>',
    "</div></div><div class='news-card'>fake card",
]


class Tree(HTMLParser):
    """Collects tags, attributes and text per enclosing class, as a browser would read them."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.marked, self._stack = [], {}, [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag != "br":
            self._stack.append(tag if tag == "mark" else dict(attrs).get("class", tag))

    def handle_endtag(self, tag):
        self._stack.pop()

    def handle_data(self, data):
        for name in self._stack:
            self.text[name] = self.text.get(name, "") + data
        if "mark" in self._stack:
            self.marked.append(data)


def make_hit(text="Body.", title="Title", **kw):
    values = dict(rank=1, score=0.5, text=text, title=title, date=dt.date(2024, 1, 14), source="Nordic Herald",
                  url="https://nordic-herald.example/volcano", article_id="a.md", start=0, end=len(text))
    values.update(kw)
    return Hit(**values)


def squash(text: str) -> str:
    return "".join(text.split())


def assert_only_our_markup(tree: Tree):
    for tag, attrs in tree.tags:
        assert tag in ALLOWED, f"unexpected tag <{tag}>"
        assert set(attrs) <= ALLOWED[tag], f"unexpected attributes {attrs} on <{tag}>"


def test_hostile_passages_titles_and_outlets_render_as_literal_text():
    for payload in HOSTILE:
        text = f"Calm opening sentence. {payload} Closing words."
        hit = make_hit(text=text, title=payload, source=payload)
        tree = Tree(card_html(hit, highlight=(23, len(text) - 15)))
        assert_only_our_markup(tree)
        assert squash(tree.text["passage"]) == squash(text)
        assert squash(tree.text["title"]) == squash(payload)
        assert squash(tree.text["outlet"]) == squash(payload)
        assert squash("".join(tree.marked)) == squash(text[23:len(text) - 15])
        assert sum(tag == "div" and attrs.get("class") == "news-card" for tag, attrs in tree.tags) == 1


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
       a=st.integers(0, 220), b=st.integers(0, 220))
def test_any_text_and_span_give_only_our_markup(text, a, b):
    start, end = sorted((a, b))
    tree = Tree(f'<div class="passage">{highlighted_html(text, start, end)}</div>')
    assert_only_our_markup(tree)
    assert squash(tree.text.get("passage", "")) == squash(text)
    assert squash("".join(tree.marked)) == squash(text[start:end])


def test_card_shows_rank_title_outlet_date_and_link():
    tree = Tree(card_html(make_hit(rank=3)))
    assert (tree.text["rank"], tree.text["title"], tree.text["outlet"], tree.text["date"]) == (
        "#3", "Title", "Nordic Herald", "2024-01-14")
    links = [attrs for tag, attrs in tree.tags if tag == "a"]
    assert links == [{"href": "https://nordic-herald.example/volcano", "target": "_blank",
                      "rel": "noopener noreferrer"}]


def test_undated_unknown_outlet_and_derived_title_are_said_plainly():
    tree = Tree(card_html(make_hit(date=None, source=None, url=None, derived=("title",))))
    assert tree.text["date"] == "undated" and tree.text["outlet"] == "unknown outlet"
    assert "title from first sentence" in tree.text["derived"]
    assert not [t for t, _ in tree.tags if t == "a"]


def test_a_date_and_outlet_the_reader_derived_are_marked_on_the_card_the_command_line_and_the_timeline():
    import datetime as dt
    import io

    from search.__main__ import _print_hit
    from search.timeline import TimelineEntry
    from search.timeline_view import entry_html
    hit = make_hit(source="news.example", derived=("date", "source"))
    card = Tree(card_html(hit))
    assert "date from the address or file properties" in card.text["derived"]
    assert "outlet from the web address" in card.text["derived"]
    printed = io.StringIO()
    _print_hit(hit, printed)
    assert "2024-01-14 (date from the address or file properties) · news.example (outlet from the web address)" \
        in printed.getvalue()
    entry = TimelineEntry(dt.date(2024, 1, 14), "news.example", "Title", None, "a", 1, ("New.",),
                          derived=("date", "title"))
    shown = Tree(entry_html(entry)).text
    assert "2024-01-14 (date from the address or file properties)" in shown["when"]
    assert "Title (title from first sentence)" in shown["title"]
    stated = Tree(card_html(make_hit()))   # stated fields carry no note
    assert "derived" not in stated.text


def test_only_plain_web_links_are_links_and_quotes_cannot_leave_the_attribute():
    for bad in ["javascript:alert(1)", "data:text/html,<script>x</script>", "//evil.example", "file:///etc/passwd"]:
        tree = Tree(card_html(make_hit(url=bad)))
        assert not [t for t, _ in tree.tags if t == "a"] and tree.text["url"] == bad
    sneaky = 'https://ok.example/" onmouseover="window.__pwned=3'
    assert safe_url(sneaky) == sneaky
    (attrs,) = [a for t, a in Tree(card_html(make_hit(url=sneaky))).tags if t == "a"]
    assert attrs["href"] == sneaky and "onmouseover" not in attrs


def test_paragraphs_survive_and_out_of_range_spans_are_clamped():
    html = highlighted_html("First para.\n\nSecond para.", 13, 999)
    assert html == "First para.<br><br><mark>Second para.</mark>"
    assert highlighted_html("abc", 2, 2) == "abc"  # empty span: nothing marked


def test_messages_with_markdown_signs_render_as_their_own_text():
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (comes with rich) renders the check")
    from search.view import markdown_literal
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    for payload in HOSTILE + ["corpus path not found: /data/*news*_2024 #1 ~~x~~ | a | https://evil.example"]:
        tree = Tree(md.render(markdown_literal(payload)))
        assert [tag for tag, _ in tree.tags] == ["p"], payload
        assert tree.text["p"] == payload


def test_near_duplicates_folded_into_a_hit_are_listed_as_text():
    hit = make_hit(also=(("Wire <b>Service</b>", dt.date(2024, 1, 15), "b.md"), (None, None, "c.md")))
    tree = Tree(card_html(hit))
    assert_only_our_markup(tree)
    assert tree.text["also"] == "Also in: Wire <b>Service</b> (2024-01-15), unknown outlet (undated)"
    assert "also" not in Tree(card_html(make_hit())).text


def test_a_title_tail_naming_its_own_outlet_is_not_shown_twice():
    import datetime as dt

    from search.timeline import TimelineEntry
    from search.timeline_view import entry_html
    own = make_hit(title="Lava reaches Grindavik | Nordic Herald Politics", source="nordic-herald.example")
    assert Tree(card_html(own)).text["title"] == "Lava reaches Grindavik"
    assert own.title.endswith("| Nordic Herald Politics")        # the data keeps it (table, CSV, JSON)
    other = make_hit(title="Eruption diary | Day 3", source="nordic-herald.example")
    assert Tree(card_html(other)).text["title"] == "Eruption diary | Day 3"
    entry = TimelineEntry(dt.date(2024, 1, 14), "Nordic Herald", "Lava reaches Grindavik - Nordic Herald", None,
                          "a", 1, ("Lava reached the town.",), ())
    assert "Lava reaches Grindavik</span>" in entry_html(entry) and "- Nordic Herald" not in entry_html(entry)
