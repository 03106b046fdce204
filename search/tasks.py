from celery import shared_task

from .indexing import products_reindex


@shared_task(name="search.reindex_products")
def reindex_products(product_ids):
    return products_reindex(product_ids=product_ids)
