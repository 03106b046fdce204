"""Thirty shoppers race for a product with ten in stock: exactly ten orders, nothing oversold."""
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from oscar.core.loading import get_model

from tests.checkout import prepare_checkout
from tests.factories import create_product, create_vendor

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

BUYERS = 30
STOCK = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test"),
]


def test_thirty_concurrent_checkouts_for_ten_items():
    product = create_product(vendor=create_vendor(), price=100000, stock=STOCK)
    ready = threading.Barrier(BUYERS)
    outcomes = []

    def buyer(n):
        client = Client()
        try:
            data = prepare_checkout(client, [(product, 1)], "cod", email=f"buyer{n}@example.com")
            ready.wait(timeout=60)
            response = client.post("/checkout/", data)
            outcomes.append(response.status_code == 302 and response["Location"].endswith("/checkout/thank-you/"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    record = StockRecord.objects.get(product=product)
    assert len(outcomes) == BUYERS
    assert sum(outcomes) == STOCK
    assert Order.objects.count() == STOCK
    assert record.num_allocated == STOCK and record.num_in_stock == STOCK
