"""One config object holding the defaults of a build.

It is saved in the index manifest, so a query always embeds with the model
and settings the index was built with:

>>> cfg = IndexConfig()
>>> IndexConfig.from_dict(cfg.to_dict()) == cfg
True
>>> cfg.max_passage_tokens + cfg.max_title_tokens + 2 <= cfg.model_max_tokens
True
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX_DIR = PROJECT_ROOT / ".news-index"   # git-ignored
DEFAULT_CORPUS_DIR = PROJECT_ROOT / "corpus"
DEFAULT_CACHE_DIR = PROJECT_ROOT / ".news-cache"  # git-ignored; the query model exported to ONNX
INDEX_DIR_ENV = "NEWS_INDEX_DIR"
CACHE_DIR_ENV = "NEWS_CACHE_DIR"
CORPUS_DIR_ENV = "NEWS_CORPUS_DIR"


@dataclass(frozen=True)
class IndexConfig:
    model_name: str = "all-MiniLM-L6-v2"
    model_max_tokens: int = 256      # the encoder reads at most this many word pieces, specials included
    max_passage_tokens: int = 220    # passage budget; with the title and [CLS]/[SEP] it stays within the model's
    max_title_tokens: int = 32       # a longer title is cut for embedding only
    overlap_sentences: int = 1       # sentences repeated at the start of the next passage
    prepend_title: bool = True       # embed "title\n\npassage"; the passage shown is the article's own text
    batch_size: int = 32
    precision: str = "auto"          # "auto" (bf16 where the CPU has it), "bf16" or "fp32"

    def __post_init__(self):
        if self.max_passage_tokens + self.max_title_tokens + 2 > self.model_max_tokens:
            raise ValueError("passage + title budget exceeds what the model reads; lower max_passage_tokens")
        if self.precision not in ("auto", "bf16", "fp32"):
            raise ValueError(f"precision must be auto, bf16 or fp32, not {self.precision!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "IndexConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def same_passages(self, other: "IndexConfig") -> bool:
        """True when passages and vectors built under `other` can be reused under self."""
        keep = ("model_name", "model_max_tokens", "max_passage_tokens", "max_title_tokens",
                "overlap_sentences", "prepend_title")
        return all(getattr(self, k) == getattr(other, k) for k in keep)


def resolve_index_dir(given: str | os.PathLike | None = None) -> Path:
    """--index wins, then $NEWS_INDEX_DIR, then <project>/.news-index."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get(INDEX_DIR_ENV)
    return Path(env).expanduser() if env else DEFAULT_INDEX_DIR


def resolve_corpus_dir(given: str | os.PathLike | None = None) -> Path:
    """The folder the page rebuilds from: argument, then $NEWS_CORPUS_DIR, then <project>/corpus."""
    if given:
        return Path(given).expanduser()
    env = os.environ.get(CORPUS_DIR_ENV)
    return Path(env).expanduser() if env else DEFAULT_CORPUS_DIR


def resolve_cache_dir() -> Path:
    """Where derived model files live: $NEWS_CACHE_DIR, else <project>/.news-cache."""
    env = os.environ.get(CACHE_DIR_ENV)
    return Path(env).expanduser() if env else DEFAULT_CACHE_DIR
