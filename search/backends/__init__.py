"""One search interface, two backends chosen by ``settings.SEARCH_BACKEND``.

``database`` (default): PostgreSQL full-text search (unaccent, pg_trgm) or the folded columns on
SQLite — no extra service. ``elasticsearch``: an Elasticsearch 8 cluster at ``ELASTICSEARCH_URL``
through elasticsearch-dsl. Views, suggestions, the indexing signals, the Celery task and the
``search_index`` command all go through the functions below.
"""
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SearchResult, query_words  # noqa: F401

BACKENDS = ("database", "elasticsearch")
logger = logging.getLogger(__name__)


def backend_name():
    name = getattr(settings, "SEARCH_BACKEND", "database") or "database"
    return name if name in BACKENDS else "database"


def get_backend(name=None, *, strict=False):
    """The configured backend. Misconfigured Elasticsearch serves pages from the database (logged)
    unless ``strict`` (operators' commands, which must fail loudly)."""
    name = name or backend_name()
    from .database import DatabaseBackend

    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        try:
            return ElasticsearchBackend.from_settings()
        except ImproperlyConfigured as exc:
            if strict:
                raise
            logger.error("%s: searching the database instead", exc)
    return DatabaseBackend()


def search_products(*, query="", filters=None, sort="relevance", page=1, per_page=24, facets=True):
    """One page of product ids in order, the total and raw facet counts for the current filters."""
    return get_backend().search_products(query=query, filters=filters, sort=sort, page=page, per_page=per_page,
                                         facets=facets)


def suggest(prefix, limit=6):
    return get_backend().suggest(prefix, limit=limit)


def index_products(ids):
    """Bring these products up to date in the search index (the database columns always, the cluster too)."""
    from .database import DatabaseBackend

    changed = DatabaseBackend().index_products(ids)
    if backend_name() == "elasticsearch":
        get_backend(strict=True).index_products(ids)
    return changed


def remove_products(ids):
    if backend_name() == "elasticsearch":
        return get_backend(strict=True).remove_products(ids)
    return 0


def rebuild(*, stdout=None):
    from .database import DatabaseBackend

    summary = DatabaseBackend().rebuild(stdout=stdout)
    if backend_name() == "elasticsearch":
        summary.update(get_backend(strict=True).rebuild(stdout=stdout))
    return summary
