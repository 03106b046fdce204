"""Eight workers issue invoices for one seller at once: numbers are exactly 1..N, no gap, no duplicate."""
import threading

import pytest
from django.db import connection, connections

from invoicing.models import Invoice, InvoiceSequence
from invoicing.services import invoice_issue_for_fulfilment

from .factories import create_delivered_part, create_invoicing_vendor, products

WORKERS = 8
PER_WORKER = 5

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers, so there is no race to test"),
]


def test_eight_parallel_issuers_number_without_gaps():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    parts = [create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)]) for _ in range(WORKERS * PER_WORKER)]
    ready = threading.Barrier(WORKERS)
    errors = []

    def worker(mine):
        try:
            ready.wait(timeout=60)
            for part in mine:
                invoice_issue_for_fulfilment(fulfilment=part)
                invoice_issue_for_fulfilment(fulfilment=part)  # a repeated delivery hook changes nothing
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(parts[n::WORKERS],)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    numbers = sorted(Invoice.objects.filter(vendor=vendor).values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
    assert InvoiceSequence.objects.get(vendor=vendor).last_number == WORKERS * PER_WORKER


def test_racing_the_same_part_issues_one_invoice():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 50000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 50000, 0)])
    ready = threading.Barrier(WORKERS)
    errors = []

    def worker():
        try:
            ready.wait(timeout=60)
            invoice_issue_for_fulfilment(fulfilment=part)
        except Exception as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert list(Invoice.objects.values_list("number", flat=True)) == [1]
