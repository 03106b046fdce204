"""Keeping the search index up to date.

A product's entry changes when the product, its stock records, its certificates or its seller
change. Updates run after the transaction commits — a rolled-back change never reaches the index —
batched per transaction (a demo load or an import is one task, not one per row), through a Celery
task when Redis is configured and in-process otherwise.
"""
import logging

from django.db import transaction

from . import backends

logger = logging.getLogger(__name__)


def products_reindex(*, product_ids=None, batch_size=500):
    """Recompute the search entries of the given products (all when None); returns how many changed."""
    return backends.index_products(product_ids)


class _Pending:
    """Product ids waiting for the current transaction to commit."""

    def __init__(self):
        self.index, self.remove = set(), set()

    def flush(self):
        from .tasks import reindex_products, unindex_products

        index, remove = sorted(self.index - self.remove), sorted(self.remove)
        self.index, self.remove = set(), set()
        try:
            if remove:
                unindex_products.delay(remove)
            if index:
                reindex_products.delay(index)
        except Exception:  # noqa: BLE001 — a broker outage must not fail the save; `search_index --rebuild` mends
            logger.exception("Could not queue search index updates for products %s / %s", index, remove)


def _pending(using=None):
    """The batch of the current transaction; each change also registers a (cheap) flush callback.

    The first callback to run sends the whole batch, the others find it empty. Registering per change
    keeps every callback inside the savepoint of its change, which rollbacks and test captures rely on.
    """
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        return _Pending(), False
    pending = getattr(connection, "_search_pending", None)
    if pending is None or not any(entry[1] == pending.flush for entry in connection.run_on_commit):
        pending = _Pending()
        connection._search_pending = pending
    transaction.on_commit(pending.flush, using=using)
    return pending, True


def schedule_reindex(product_ids):
    """After commit, reindex these products (through Celery when a broker is configured)."""
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return
    pending, deferred = _pending()
    pending.index |= ids
    if not deferred:  # autocommit: the change is already committed
        pending.flush()


def schedule_removal(product_ids):
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return
    pending, deferred = _pending()
    pending.remove |= ids
    if not deferred:
        pending.flush()
