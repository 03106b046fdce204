"""Delivered seller parts built straight with the ORM (fast enough for the concurrency test and the bench)."""
import itertools
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from invoicing.models import SellerInvoicingProfile
from marketplace.order import statuses
from payments.models import Payment
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment, FulfilmentEvent

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

_numbers = itertools.count(1)


def create_invoicing_vendor(*, vat=False, mode=SellerInvoicingProfile.MODE_AUTHORISED, code=None, tax_code=None,
                            **profile):
    from vendors.models import Vendor

    vendor = create_vendor(code=code, seller_type=Vendor.TYPE_COOPERATIVE if vat else Vendor.TYPE_HOUSEHOLD,
                           tax_code=tax_code or ("3001234567" if vat else "042185000123"))
    vendor.street_address = "Thôn 5"
    vendor.save(update_fields=["street_address"])
    profile.setdefault("management_code", "HT" if vat else "HN")
    profile.setdefault("default_vat_rate", "10%" if vat else "KCT")
    SellerInvoicingProfile.objects.create(
        vendor=vendor, mode=mode, vat_method="credit" if vat else "direct", provider_tax_code="0100000009", **profile)
    return vendor


def create_delivered_part(*, vendor, items, shipping_fee=30000, method=Payment.VNPAY, user=None, deliver=True,
                          with_address=True):
    """``items``: [(product, quantity, unit price, discount on the line)] in đồng."""
    number = f"T{next(_numbers):07d}-{timezone.now():%H%M%S%f}"
    address = None
    if with_address:
        country, _ = Country.objects.get_or_create(iso_3166_1_a2="VN", defaults={"name": "Việt Nam"})
        address = ShippingAddress.objects.create(first_name="Hùng", last_name="Nguyễn Văn", line1="Số 12 Phan Đình Phùng",
                                                 line4="Phường Thành Sen", country=country, phone_number="+84987000222")
    items_total = sum(q * p - d for _, q, p, d in items)
    order = Order.objects.create(
        number=number, currency="VND", total_incl_tax=items_total + shipping_fee, total_excl_tax=items_total + shipping_fee,
        shipping_incl_tax=shipping_fee, shipping_excl_tax=shipping_fee, status=statuses.COMPLETED, user=user,
        guest_email="" if user else "khach@example.com", shipping_address=address)
    for product, quantity, price, discount in items:
        record = product.stockrecords.first()
        Line.objects.create(
            order=order, partner=vendor.partner, partner_name=vendor.name, partner_sku=record.partner_sku,
            stockrecord=record, product=product, title=product.title, upc=product.upc, quantity=quantity,
            line_price_incl_tax=Decimal(quantity * price - discount), line_price_excl_tax=Decimal(quantity * price - discount),
            line_price_before_discounts_incl_tax=Decimal(quantity * price),
            line_price_before_discounts_excl_tax=Decimal(quantity * price),
            unit_price_incl_tax=Decimal(price), unit_price_excl_tax=Decimal(price), num_allocated=quantity)
    part = Fulfilment.objects.create(order=order, vendor=vendor, number=f"{number}-1", items_total=items_total,
                                     shipping_fee=shipping_fee, is_released=True,
                                     status=Fulfilment.DELIVERED if deliver else Fulfilment.SHIPPED)
    if deliver:
        FulfilmentEvent.objects.create(fulfilment=part, from_status=Fulfilment.SHIPPED, to_status=Fulfilment.DELIVERED)
    Payment.objects.create(order=order, method=method, txn_ref=number, amount=items_total + shipping_fee,
                           status=Payment.PAID if method == Payment.VNPAY else Payment.COD_COLLECTED)
    return part


def products(vendor, *prices):
    return [create_product(vendor=vendor, price=p, stock=1000) for p in prices]
