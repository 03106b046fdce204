"""Search relevance of a backend on the demo catalogue: NDCG@10 and "exact product first".

``queries.json`` holds graded judgments (3 the product the query names, 2 another product whose
name starts with what was typed, 1 the same kind of product, unjudged 0), products named by title.
Used by the tests (a floor per backend) and by ``bench/search.py`` (the figures in the README).
"""
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

QUERIES_FILE = Path(__file__).with_name("queries.json")
#: A result counts for NDCG down to this rank.
K = 10


def load_queries(path=QUERIES_FILE):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["queries"]


def dcg(grades, k=K):
    return sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades[:k]))


def ndcg(grades, ideal, k=K):
    """NDCG@k of the ranked ``grades`` against every judged grade ``ideal`` (in any order)."""
    best = dcg(sorted(ideal, reverse=True), k)
    return dcg(grades, k) / best if best else 0.0


@dataclass
class Report:
    ndcg: float
    exact_first: float
    queries: list = field(default_factory=list)  # (query, ndcg, rank of the exact product or None, top title)

    def worst(self, n=5):
        return sorted(self.queries, key=lambda row: row[1])[:n]


def evaluate(search, queries=None, k=K):
    """Run ``search(query) -> [product id, …]`` (best first) over the set; a ``Report`` of the means.

    Raises ``LookupError`` if a judged title is missing from the catalogue (the set no longer fits it).
    """
    from catalogue.models import Product

    queries = queries if queries is not None else load_queries()
    judged = {title for entry in queries for title in entry["judgments"]}
    titles = dict(Product.objects.filter(title__in=judged).values_list("pk", "title"))
    copies = {}
    for title in titles.values():
        copies[title] = copies.get(title, 0) + 1
    missing = judged - set(copies)
    if missing:
        raise LookupError(f"{len(missing)} judged products are not in the catalogue, e.g. {sorted(missing)[:3]}")
    rows = []
    for entry in queries:
        grades_by_title = entry["judgments"]
        ids = list(search(entry["query"]))[:k]
        shown = dict(Product.objects.filter(pk__in=ids).values_list("pk", "title"))
        grades = [grades_by_title.get(shown.get(pk), 0) for pk in ids]
        ideal = [grade for title, grade in grades_by_title.items() for _copy in range(copies[title])]
        exact_rank = next((rank for rank, grade in enumerate(grades, 1) if grade == 3), None)
        rows.append((entry["query"], ndcg(grades, ideal, k), exact_rank, shown.get(ids[0]) if ids else None))
    return Report(ndcg=sum(r[1] for r in rows) / len(rows),
                  exact_first=sum(1 for r in rows if r[2] == 1) / len(rows), queries=rows)


def evaluate_backend(backend, queries=None, k=K):
    return evaluate(lambda q: backend.search_products(query=q, per_page=k, facets=False).ids, queries, k)
