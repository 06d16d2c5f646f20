"""Small invented news texts for tests (never real articles)."""
from pathlib import Path

ARTICLES = {
    "volcano.md": """---
title: Volcano erupts near Grindavik fishing town
date: 2024-01-14
source: Nordic Herald
url: https://nordic-herald.example/volcano
---
A volcanic fissure opened north of the fishing town of Grindavik on Sunday morning. Lava flowed toward the
town's outer houses and the harbour was closed.

Geologists said the eruption followed weeks of earthquakes. Roughly 3,700 residents had already been
evacuated in November. The national police said no one was hurt.
""",
    "chess.txt": """Title: Teenager wins world rapid chess title
Date: 2023-12-28
Source: Board Games Weekly

A seventeen-year-old from Uzbekistan won the world rapid chess championship in Samarkand on Thursday.
She beat the defending champion in a tie-break of two blitz games. The prize fund was 500,000 dollars.
The organisers said attendance broke all records for the event.
""",
    "bank.json": """{"headline": "Central bank holds interest rate at 4.5 percent",
 "published_at": "2023-11-02T12:00:00Z", "outlet": "Money Daily", "link": "https://money.example/rates",
 "body": "The central bank kept its main interest rate at 4.5 percent on Thursday. The governor said inflation had fallen to 3.1 percent but wage growth remained strong. Markets had expected the pause. Mortgage lenders said they would keep their fixed rates unchanged for now."}
""",
    "football.jsonl": """{"url": "https://www.sportsdesk.example/transfer", "title": "Striker signs record transfer deal", "publish_date": "2023/08/15", "authors": [], "text": "The striker completed a record transfer to the Spanish club on Tuesday for a fee of 90 million euros.\\n\\nHe signed a five-year contract and will wear the number nine shirt."}
""",
}


def write_corpus(folder: Path, articles: dict = ARTICLES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def built_searcher(tmp_path_factory, embedder, articles: dict):
    """A Searcher over an index built from `articles` (file name -> text), with the session's model."""
    from index.build import build
    from search import Searcher

    folder = write_corpus(tmp_path_factory.mktemp("news"), articles)
    index_dir = tmp_path_factory.mktemp("idx")
    build(folder, index_dir, embedder=embedder)
    return Searcher.open(index_dir, embedder=embedder)
