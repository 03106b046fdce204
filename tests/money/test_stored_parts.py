"""Parts are stored once; what reads them (invoices, refunds) never recomputes them from Decimals."""
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from invoicing.models import Invoice
from invoicing.services import invoice_issue_for_fulfilment
from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor, products
from vendors.amounts import fulfilment_lines
from vendors.models import Fulfilment

pytestmark = pytest.mark.django_db


def _part_with_fractional_lines(vendor):
    """An order placed before whole-đồng offers: Oscar left 74.939,40 ₫ and 74.939,60 ₫ on its lines."""
    first, second = products(vendor, 80580, 80580)
    part = create_delivered_part(vendor=vendor, items=[(first, 1, 80580, 5641), (second, 1, 80580, 5641)])
    lines = list(part.lines())
    lines[0].line_price_incl_tax = Decimal("74939.40")
    lines[1].line_price_incl_tax = Decimal("74939.60")
    for line in lines:
        line.save()
    Fulfilment.objects.filter(pk=part.pk).update(items_total=149879, discount_total=11281)  # as stored back then
    part.refresh_from_db()
    return part


def test_invoice_of_a_part_with_fractional_lines_adds_up_to_the_stored_part():
    vendor = create_invoicing_vendor(vat=True, default_vat_rate="8%")
    part = _part_with_fractional_lines(vendor)
    assert [pl.paid for pl in fulfilment_lines(part)] == [74939, 74940]
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    assert invoice.total_payable == part.total == 149879 + 30000
    goods = [line.amount for line in invoice.lines.filter(nature=1).order_by("position")][:2]
    discounts = [line.amount for line in invoice.lines.filter(nature=3)]
    assert sum(goods) - sum(discounts) == invoice.rate_totals[0]["net"]
    assert Invoice.objects.filter(fulfilment=part).count() == 1


def test_a_part_created_without_its_discounts_takes_them_from_its_lines_once():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 65000)
    part = create_delivered_part(vendor=vendor, items=[(product, 2, 65000, 1000)])
    assert (part.items_total, part.discount_total, part.goods_total) == (129000, 1000, 130000)


def test_data_migration_fills_the_discounts_of_existing_parts():
    vendor = create_invoicing_vendor()
    (product,) = products(vendor, 65000)
    part = create_delivered_part(vendor=vendor, items=[(product, 3, 65000, 4999)])
    Fulfilment.objects.filter(pk=part.pk).update(discount_total=None)
    migration = importlib.import_module("vendors.migrations.0006_fulfilment_discount_total")
    migration.fill_discounts(apps, None)
    part.refresh_from_db()
    assert part.discount_total == 4999 and part.goods_total == 195000
