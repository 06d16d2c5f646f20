"""Measuring code, kept out of the product: quality and speed figures on the bench data.

    python -m bench.quality --index DIR        # answer recall@k / MRR@10 of each retrieval mode
    python -m bench.speed --work /tmp/news-bench  # build, query, cold-start, page and scale figures

Nothing in corpus/, index/, search/ or ui/ imports this package.
"""
