"""Keeping the search columns up to date (the database backend's "index").

A product's folded name, text and seller columns change when the product, its stock records or its
seller's name change; updates run after the transaction commits (a Celery task when Redis is
configured, in-process otherwise) so a rolled-back change never reaches the index.
"""
from django.db import transaction

from catalogue.models import Product


def products_reindex(*, product_ids=None, batch_size=500):
    """Recompute the search columns of the given products (all when None); returns how many changed."""
    queryset = Product.objects.all() if product_ids is None else Product.objects.filter(pk__in=product_ids)
    changed = 0
    for product in queryset.select_related("ocop_classification", "origin_commune",
                                           "origin_former_district").iterator(chunk_size=batch_size):
        changed += product.refresh_search_fields()
    return changed


def schedule_reindex(product_ids):
    """After commit, reindex these products (through Celery when a broker is configured)."""
    ids = sorted({pk for pk in product_ids if pk})
    if not ids:
        return

    def run():
        from .tasks import reindex_products

        reindex_products.delay(ids)

    transaction.on_commit(run)
