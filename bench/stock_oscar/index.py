"""Build stock Oscar's haystack index (Whoosh) of the bench database, fast.

``manage.py update_index`` prepares every product on its own (product class, categories, stock record:
several queries each), about 50 ms per product on the bench machine: over an hour for 50,000. This uses
Oscar's own ``ProductIndex`` and haystack's Whoosh backend unchanged, but answers the per-product
lookups from dictionaries filled by one query each (same values: the default strategy's price is the
first stock record's price, no tax; the stock is its net stock level), and writes with Whoosh's
multi-process writer in one commit.

    DJANGO_SETTINGS_MODULE=bench.stock_oscar.settings PYTHONPATH=.:bench/results/pylib \\
        .venv/bin/python bench/stock_oscar/index.py
"""
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
BATCH = 5000
PROCS = max(2, os.cpu_count() or 1)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.stock_oscar.settings")
    import django

    django.setup()
    from haystack import connections
    from oscar.core.loading import get_model

    Product, ProductCategory = get_model("catalogue", "Product"), get_model("catalogue", "ProductCategory")
    ProductClass, StockRecord = get_model("catalogue", "ProductClass"), get_model("partner", "StockRecord")
    started = time.perf_counter()
    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Product)
    backend.clear(commit=True)

    classes = dict(ProductClass.objects.values_list("pk", "name"))
    categories = defaultdict(list)
    for product_id, category_id in ProductCategory.objects.values_list("product_id", "category_id").order_by("pk"):
        categories[product_id].append(category_id)
    first_stockrecord = {}
    for product_id, price, in_stock, allocated in (StockRecord.objects.order_by("-pk")
                                                   .values_list("product_id", "price", "num_in_stock",
                                                                "num_allocated")):
        first_stockrecord[product_id] = (price, (in_stock or 0) - (allocated or 0))  # lowest pk wins

    index.prepare_product_class = lambda obj: classes.get(obj.product_class_id)
    index.prepare_category = lambda obj: categories.get(obj.pk, [])
    index.prepare_price = lambda obj: first_stockrecord.get(obj.pk, (None, None))[0]
    index.prepare_num_in_stock = lambda obj: first_stockrecord.get(obj.pk, (None, None))[1]

    # What haystack's WhooshSearchBackend.update() does, with add_document (the index is empty) and Whoosh's
    # multi-process writer (pure-Python indexing is the slow part).
    if not backend.setup_complete:
        backend.setup()
    writer = backend.index.refresh().writer(procs=PROCS, multisegment=True, limitmb=128)
    ids = list(index.index_queryset().values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        for obj in Product.objects.filter(pk__in=ids[start:start + BATCH]):
            doc = index.full_prepare(obj)
            doc = {key: backend._from_python(value) for key, value in doc.items() if key != "boost"}
            writer.add_document(**doc)
    writer.commit()
    print(f"{len(ids)} products indexed in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
