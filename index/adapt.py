"""Adapt the encoder to a corpus without labels: news titles are questions about their articles.

`python -m index adapt FOLDER` fine-tunes the packaged MiniLM on (title -> a passage of its
article) pairs from FOLDER, with sentence-transformers' trainer and MultipleNegativesRankingLoss:
the other pairs of a batch are negatives, plus one hard negative per pair, the passage of another
article that BM25 ranks highest for the title. Only the corpus's own titles and texts are read
(no questions, no labels). The model folder it writes is used by building with it:

    python -m index adapt corpus/ --out /data/news-model      # minutes on 2 cores (README)
    python -m index build corpus/ --model /data/news-model     # a full build; the manifest names it

Needs the optional packages of requirements-adapt.txt (datasets, accelerate). The folder gets
`adapt.json`: the pairs, steps, minutes and the cosine drift of the model on unrelated text
(mean cosine between the base and adapted vectors of the same sentences; 1 = unchanged).
"""
from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np

from corpus import NewsError, list_files
from index.atomic import fsync_dir
from index.config import IndexConfig

# Unrelated to news on purpose: the drift figure says how far the model moved away from its
# general-purpose vectors, on text the adaptation never saw.
UNRELATED = ("Preheat the oven and grease a round cake tin with butter.",
             "The mitochondria is the powerhouse of the cell.",
             "Water the tomato plants early in the morning during hot weeks.",
             "A haiku has three lines of five, seven and five syllables.",
             "Mix the flour and salt, then add the warm water slowly.",
             "The violin has four strings tuned in perfect fifths.",
             "Press the reset button for ten seconds to restore factory settings.",
             "Cats often sleep for more than twelve hours a day.")


class AdaptUnavailable(NewsError):
    pass


class OutInUse(NewsError):
    pass


class NothingToAdaptOn(NewsError):
    pass


class BadAdaptOption(NewsError, ValueError):
    pass


def pairs_from(folder, config: IndexConfig = IndexConfig(), limit: int = 2000, seed: int = 0):
    """(titles, positives, hard negatives): one passage per titled article, up to `limit` articles.

    Titles derived from the text (no title given) are left out: they are the passage's first sentence.
    """
    from index.lexical import Lexical, tokenize
    from index.plan import Plan
    sources, _ = list_files(folder)
    plan = Plan(config, previous=None)
    for source in sources:
        plan.add_file(source)
    by_id = {a.id: a for a in plan.articles}
    bodies = [by_id[p.article_id].text[p.start:p.end] for p in plan.passages]
    owners = [p.article_id for p in plan.passages]
    rows_of: dict = {}
    for row, a in enumerate(owners):
        rows_of.setdefault(a, []).append(row)
    rng = np.random.default_rng(seed)
    titled = [a for a in rows_of if by_id[a].title and not by_id[a].is_derived("title")]
    picked = sorted(rng.permutation(len(titled))[:limit].tolist())
    if len(picked) < 2:
        raise NothingToAdaptOn(f"{folder} has {len(picked)} articles with a given title; adapting needs at least 2")
    lexical = Lexical.build(bodies)
    titles, positives, negatives = [], [], []
    for i in picked:
        article = titled[i]
        title = by_id[article].title
        scores = lexical.scores(tokenize(title))
        hard = next((r for r in np.argsort(-scores)[:20].tolist()
                     if owners[r] != article and by_id[owners[r]].title != title), None)
        if hard is None:  # nothing shares a word: any other article's passage
            hard = next(r for r in rng.permutation(len(bodies)).tolist() if owners[r] != article)
        titles.append(title)
        positives.append(bodies[rng.choice(rows_of[article])])
        negatives.append(bodies[hard])
    return titles, positives, negatives


def adapt(folder, out, base: str = "all-MiniLM-L6-v2", limit: int = 1000, epochs: float = 1.0,
          batch_size: int = 32, max_steps: int = -1, seed: int = 0, max_tokens: int = 128, progress=print) -> dict:
    """Fine-tune `base` on `folder`'s titles and passages; write the model to `out` (atomically).

    max_tokens: word pieces of each text read in training (the first 128 of a passage carry its lead
    and cost half of 256 on CPU); the saved model reads as many as the base model did.

    limit, epochs, max_steps: --pairs, --epochs, --max-steps (-1: no limit, epochs decide).
    Returns the summary also written to out/adapt.json.
    """
    _check_options(limit, epochs, max_steps, batch_size)  # before anything is read or trained
    try:
        import datasets  # noqa: F401  (the trainer needs both)
        import accelerate  # noqa: F401
    except ImportError:
        raise AdaptUnavailable("adapting needs the optional packages: pip install -r requirements-adapt.txt") \
            from None
    out = _free_or_earlier_model(out)   # before minutes of training, not after
    from sentence_transformers import SentenceTransformer
    from index.embed import model_path
    started = time.perf_counter()
    titles, positives, negatives = pairs_from(folder, IndexConfig(model_name=base), limit, seed)
    progress(f"{len(titles)} (title, passage, hard negative) triples from {folder}")
    model = SentenceTransformer(str(model_path(base)), device="cpu")
    before = model.encode(list(UNRELATED), normalize_embeddings=True)
    full_length, model.max_seq_length = model.max_seq_length, min(max_tokens, model.max_seq_length)
    steps = _train(model, titles, positives, negatives, epochs, batch_size, max_steps, seed)
    model.max_seq_length = full_length
    after = model.encode(list(UNRELATED), normalize_embeddings=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save(str(tmp))
    summary = {"base": base, "corpus": str(folder), "pairs": len(titles), "epochs": epochs, "steps": steps,
               "batch_size": batch_size, "max_tokens": max_tokens, "minutes": round((time.perf_counter() - started) / 60, 2),
               "drift_cosine_mean": round(float(np.mean(np.sum(before * after, axis=1))), 4),
               "drift_cosine_min": round(float(np.min(np.sum(before * after, axis=1))), 4)}
    (tmp / "adapt.json").write_text(json.dumps(summary, indent=1))
    replace_folder(tmp, out)
    return summary


def _check_options(limit, epochs, max_steps, batch_size) -> None:
    """The trainer reads 0 steps as "no limit", a negative pairs count as "all but N": refused, each named."""
    import math
    for bad, say in ((limit < 2, f"--pairs must be 2 or more (articles to train on, one passage each), not {limit}"),
                     (not (isinstance(epochs, (int, float)) and math.isfinite(epochs) and epochs > 0),
                      f"--epochs must be a number above 0 (passes over the pairs, e.g. 0.5 or 2), not {epochs}"),
                     (max_steps != -1 and max_steps < 1,
                      f"--max-steps must be 1 or more (batches to train), or -1 for no limit, not {max_steps}"),
                     (batch_size < 1, f"batch_size must be 1 or more, not {batch_size}")):
        if bad:
            raise BadAdaptOption(say)


def _free_or_earlier_model(out) -> Path:
    """`out` resolved, if adapt may write there: nothing yet, an empty folder, or the folder of an earlier
    run (its adapt.json), which is replaced. Anything else is the user's and is never deleted."""
    out = Path(out).expanduser().resolve()
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / "adapt.json").is_file())):
        raise OutInUse(f"--out {out} already holds something that is not a model made by python -m index adapt; "
                       f"give a new folder (or the folder of an earlier adapt run, which is replaced)")
    return out


def replace_folder(new: Path, out: Path) -> None:
    """Put the finished folder `new` at `out`. The old one is renamed aside first and deleted only once the
    new one is in place, so a crash or a failed rename never loses the model at `out`: it is the old model,
    the new one, or (between two renames) the old one beside it as `.NAME.old`, which the next run puts back.

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> _ = [(root / d).mkdir() for d in ("model", "new")]; _ = (root / "new" / "modules.json").write_text("{}")
    >>> replace_folder(root / "new", root / "model"); sorted(p.name for p in root.rglob("*"))
    ['model', 'modules.json']
    >>> shutil.rmtree(root)
    """
    for path in sorted(new.rglob("*"), reverse=True) + [new]:  # its bytes on disk before any rename relies on them
        fsync_dir(path)
    aside = out.with_name(f".{out.name}.old")
    if aside.exists() and not out.exists():  # a crash between the renames below: the old model comes back
        os.replace(aside, out)
    shutil.rmtree(aside, ignore_errors=True)
    if out.exists():
        os.replace(out, aside)
    try:
        os.replace(new, out)
    except OSError:
        if aside.exists():
            os.replace(aside, out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _train(model, titles, positives, negatives, epochs, batch_size, max_steps, seed) -> int:
    import tempfile

    from datasets import Dataset
    from sentence_transformers import SentenceTransformerTrainer, SentenceTransformerTrainingArguments
    from sentence_transformers.sentence_transformer import losses
    from sentence_transformers.sentence_transformer.training_args import BatchSamplers

    data = Dataset.from_dict({"anchor": titles, "positive": positives, "negative": negatives})
    with tempfile.TemporaryDirectory(prefix="news-adapt-") as work:
        args = SentenceTransformerTrainingArguments(
            output_dir=work, num_train_epochs=epochs, max_steps=max_steps, per_device_train_batch_size=batch_size,
            learning_rate=2e-5, warmup_steps=0.1, seed=seed, save_strategy="no", report_to="none",
            logging_steps=10, use_cpu=True, dataloader_num_workers=0, disable_tqdm=False,
            batch_sampler=BatchSamplers.NO_DUPLICATES)  # a text twice in a batch would be its own negative
        trainer = SentenceTransformerTrainer(model=model, args=args, train_dataset=data,
                                             loss=losses.MultipleNegativesRankingLoss(model))
        return int(trainer.train().global_step)
