from celery import shared_task
from elastic_transport import TransportError

from . import backends

#: A cluster briefly unreachable is retried with backoff; ``search_index --rebuild`` repairs anything lost.
RETRY = {"autoretry_for": (TransportError,), "retry_backoff": True, "max_retries": 3}


@shared_task(name="search.reindex_products", **RETRY)
def reindex_products(product_ids):
    return backends.index_products(product_ids)


@shared_task(name="search.unindex_products", **RETRY)
def unindex_products(product_ids):
    return backends.remove_products(product_ids)
