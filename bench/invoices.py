"""E-invoice benchmark: issue N invoices (gapless numbering, XML frozen) and export them as one ZIP.

Runs in a throwaway test database (kept between runs: SQLite file ``.test-db-bench-invoices.sqlite3``, or
``test_<name>`` on PostgreSQL when DATABASE_URL points there), builds N delivered seller parts with
bulk inserts, then times ``invoice_issue_for_fulfilment`` for each and ``invoices_export_zip`` for all.
Prints invoices per second and the peak Python memory (tracemalloc) of each phase.

    .venv/bin/python bench/invoices.py --count 10000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_helper5 .venv/bin/python bench/invoices.py
"""
import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    os.environ.setdefault("TEST_DB_FILE", ".test-db-bench-invoices.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.EINVOICE_SEND_ON_ISSUE = False  # issuing is timed alone; sending to the provider is its own step
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True)


def build_parts(count):
    """N delivered parts of one seller (two lines each, a discount on one, shipping), in bulk."""
    from django.utils import timezone
    from oscar.core.loading import get_model

    from invoicing.models import ProductVatRate
    from marketplace.order import statuses
    from payments.models import Payment
    from tests.factories import create_product
    from tests.invoicing.factories import create_invoicing_vendor
    from vendors.models import Fulfilment, FulfilmentEvent

    Order, Line = get_model("order", "Order"), get_model("order", "Line")
    stamp = f"{time.time_ns() % 10**10}"
    vendor = create_invoicing_vendor(vat=True, code=f"BENCH-{stamp}", tax_code="3001234567")
    keo, cam = (create_product(vendor=vendor, price=price, stock=10**6, upc=f"B{stamp}-{price}") for price in (49500, 35000))
    ProductVatRate.objects.create(product=cam, rate="KCT")
    records = {p.pk: p.stockrecords.first() for p in (keo, cam)}
    shipping, items_total = 30000, 2 * 49500 - 4950 + 35000
    orders = Order.objects.bulk_create([
        Order(number=f"B{stamp}-{n}", currency="VND", total_incl_tax=items_total + shipping,
              total_excl_tax=items_total + shipping, shipping_incl_tax=shipping, shipping_excl_tax=shipping,
              status=statuses.COMPLETED, guest_email="khach@example.com", date_placed=timezone.now())
        for n in range(count)], batch_size=1000)
    lines = []
    for order in orders:
        for product, quantity, price, discount in ((keo, 2, 49500, 4950), (cam, 1, 35000, 0)):
            record = records[product.pk]
            lines.append(Line(order=order, partner=vendor.partner, partner_name=vendor.name,
                              partner_sku=record.partner_sku, stockrecord=record, product=product, title=product.title,
                              upc=product.upc, quantity=quantity, num_allocated=quantity,
                              line_price_incl_tax=Decimal(quantity * price - discount),
                              line_price_excl_tax=Decimal(quantity * price - discount),
                              line_price_before_discounts_incl_tax=Decimal(quantity * price),
                              line_price_before_discounts_excl_tax=Decimal(quantity * price),
                              unit_price_incl_tax=Decimal(price), unit_price_excl_tax=Decimal(price)))
    Line.objects.bulk_create(lines, batch_size=2000)
    parts = Fulfilment.objects.bulk_create([
        Fulfilment(order=o, vendor=vendor, number=f"{o.number}-1", items_total=items_total, shipping_fee=shipping,
                   is_released=True, status=Fulfilment.DELIVERED) for o in orders], batch_size=1000)
    FulfilmentEvent.objects.bulk_create([
        FulfilmentEvent(fulfilment=p, from_status=Fulfilment.SHIPPED, to_status=Fulfilment.DELIVERED) for p in parts],
        batch_size=2000)
    Payment.objects.bulk_create([
        Payment(order=o, method=Payment.VNPAY, status=Payment.PAID, amount=items_total + shipping, txn_ref=o.number)
        for o in orders], batch_size=2000)
    return vendor, parts, timezone.localdate()


TRACE = False


def measure(label, count, work):
    """Wall and CPU time of one phase, and its peak memory.

    Peak memory is the process's peak RSS (``resource``) unless ``--tracemalloc`` asks for Python's own
    allocation peak: tracemalloc hooks every allocation and slowed issuing about 2.5× in this benchmark, so
    with it the invoices/s figure measures the tracer more than the code.
    """
    if TRACE:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if TRACE:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"peak traced memory {peak / 1024 / 1024:6.1f} MiB"
    else:
        memory = f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.1f} MiB"
    # CPU time too: on a shared machine the wall clock mostly measures waiting for the disk (commit fsync).
    print(f"{label:<8} {count:>6} invoices in {elapsed:7.2f} s = {count / elapsed:8.1f} invoices/s "
          f"(process CPU {cpu:6.2f} s = {count / cpu:8.1f}/s), {memory}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--tracemalloc", action="store_true", help="peak Python allocations (slows the run)")
    args = parser.parse_args()
    global TRACE
    TRACE = args.tracemalloc
    setup_django()
    from django.db import connection

    from invoicing.exports import invoices_export_zip
    from invoicing.models import Invoice, InvoiceSequence
    from invoicing.services import invoice_issue_for_fulfilment

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    vendor, parts, today = build_parts(args.count)
    print(f"setup    {args.count:>6} delivered parts in {time.perf_counter() - started:7.2f} s")

    def issue():
        for part in parts:
            invoice_issue_for_fulfilment(fulfilment=part)

    # Earlier runs in the kept database used the same tax code and symbol: numbering continues after them.
    sequence = InvoiceSequence.objects.filter(seller_tax_code=vendor.tax_code).first()
    start = sequence.last_number if sequence else 0
    measure("issue", args.count, issue)
    numbers = list(Invoice.objects.filter(vendor=vendor).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(start + 1, start + args.count + 1)), "numbering has a gap or a duplicate"

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.zip"

        def export():
            with open(path, "wb") as fileobj:
                return invoices_export_zip(vendor=vendor, date_from=today, date_to=today, fileobj=fileobj)

        manifest = measure("export", args.count, export)
        assert manifest["counts"]["invoices"] == args.count
        print(f"zip      {path.stat().st_size / 1024 / 1024:6.1f} MiB, numbers {numbers[0]}..{numbers[-1]} without gaps")


if __name__ == "__main__":
    main()
