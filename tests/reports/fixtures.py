"""A small marketplace with known figures for March 2026 (and one sale in February, the previous month).

Sellers (commune → former district):
  A cooperative (18073 → D_A), account, VAT invoices     B household business (other district), account,
  C enterprise (D_A), no sale, created 05/03/2026         D cooperative group, no account, no sale
Products: a1 (A, group I, 4★ in force since 2025), a2 (A, group II, 5★ only from 01/05/2026),
          b1 (B, group I, 3★), b2 (B, group I, no certificate)

Orders (Asia/Ho_Chi_Minh):
  O1 10/03 VNPay paid, user U1, Hà Tĩnh: A a1×2 @100.000 delivered; B b1×1 @50.000 shipped   → 2 sales
  O2 11/03 COD, guest g1, Nghệ An:        A a2×1 @200.000 delivered (cash collected)          → sale
  O3 12/03 COD, guest g2:                 B b2×3 @30.000 shipped (not delivered yet)          → no sale
  O4 13/03 VNPay awaiting payment:        A a1×1 @100.000 new                                 → no sale
  O5 14/03 VNPay paid, then cancelled:    A a1×1 @100.000 cancelled, refund 130.000           → no sale
  O6 15/03 VNPay paid, user U1, Hà Tĩnh:  B b1×2 @50.000 delivered, line refund 50.000        → sale
  O7 20/02 COD, user U2:                  A a1×1 @100.000 delivered                           → sale (February)
  O8 31/03 23:30 VNPay paid, user U2:     A a2×1 @200.000 confirmed                           → sale
  O9 01/04 00:10 COD:                     A a1×1 @100.000 delivered                           → April, not March
"""
import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, Product
from invoicing.services import invoice_adjust_for_refund, invoice_issue_for_fulfilment
from marketplace.order import statuses
from marketplace.roles import DEPARTMENT_GROUP
from onboarding.models import VendorApplication
from payments.models import Payment, Refund
from places.models import Commune
from tests.factories import create_product, create_vendor
from tests.invoicing.factories import create_invoicing_vendor
from vendors.models import Fulfilment, FulfilmentEvent, Vendor

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")

TZ = datetime.timezone(datetime.timedelta(hours=7))
_n = itertools.count(1)


def at(day, month, hour=10, minute=0, year=2026):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _certificate(product, stars, issue):
    return OcopCertificate.objects.create(
        product=product, number=f"{next(_n):04d}/GCN-RPT", stars=stars, classification=product.ocop_classification,
        issuing_body="UBND tỉnh Hà Tĩnh", issue_date=issue, expiry_date=OcopCertificate.default_expiry(issue),
        status=OcopCertificate.STATUS_VERIFIED)


def place(*, when, parts, method, status=None, user=None, guest="", province="", payment_status=None):
    """``parts``: [(vendor, [(product, qty, price)], fulfilment status)]; returns (order, [fulfilments])."""
    number = f"R{next(_n):06d}"
    country, _ = Country.objects.get_or_create(iso_3166_1_a2="VN", defaults={"name": "Việt Nam"})
    address = ShippingAddress.objects.create(first_name="Lan", last_name="Nguyễn", line1="12 Trần Phú",
                                             line4="Phường Thành Sen", state=province, country=country,
                                             phone_number="+84912345678")
    shipping = 30000 * len(parts)
    goods = sum(q * p for _, items, _ in parts for _, q, p in items)
    order = Order.objects.create(number=number, currency="VND", total_incl_tax=goods + shipping,
                                 total_excl_tax=goods + shipping, shipping_incl_tax=shipping, shipping_excl_tax=shipping,
                                 status=status or statuses.PAID, user=user, guest_email=guest, shipping_address=address,
                                 date_placed=when)
    fulfilments = []
    for index, (vendor, items, part_status) in enumerate(parts, start=1):
        for product, quantity, price in items:
            record = product.stockrecords.first()
            Line.objects.create(order=order, partner=vendor.partner, partner_name=vendor.name,
                                partner_sku=record.partner_sku, stockrecord=record, product=product,
                                title=product.title, upc=product.upc, quantity=quantity,
                                line_price_incl_tax=Decimal(quantity * price), line_price_excl_tax=Decimal(quantity * price),
                                line_price_before_discounts_incl_tax=Decimal(quantity * price),
                                line_price_before_discounts_excl_tax=Decimal(quantity * price),
                                unit_price_incl_tax=Decimal(price), unit_price_excl_tax=Decimal(price), num_allocated=quantity)
        part = Fulfilment.objects.create(order=order, vendor=vendor, number=f"{number}-{index}",
                                         items_total=sum(q * p for _, q, p in items), shipping_fee=30000,
                                         is_released=payment_status != Payment.PENDING, status=part_status)
        if part_status == Fulfilment.DELIVERED:
            event = FulfilmentEvent.objects.create(fulfilment=part, from_status=Fulfilment.SHIPPED,
                                                   to_status=Fulfilment.DELIVERED)
            FulfilmentEvent.objects.filter(pk=event.pk).update(created=when + datetime.timedelta(days=2))
        fulfilments.append(part)
    if payment_status is None:
        payment_status = Payment.PAID if method == Payment.VNPAY else Payment.COD_PENDING
    payment = Payment.objects.create(order=order, method=method, txn_ref=number, amount=goods + shipping,
                                     status=payment_status)
    return order, fulfilments, payment


def refund(payment, amount, *, fulfilment, line=None):
    payment.amount_refunded += amount
    payment.save(update_fields=["amount_refunded"])
    return Refund.objects.create(payment=payment, fulfilment=fulfilment, line=line, amount=amount,
                                 status=Refund.SUCCEEDED, reason="test")


def build_marketplace():
    users = get_user_model().objects
    a = create_invoicing_vendor(vat=True, code="RPT-A")  # cooperative, commune 18073
    b = create_invoicing_vendor(vat=False, code="RPT-B")  # household business
    other = Commune.objects.exclude(former_district=a.former_district).order_by("code").first()
    Vendor.objects.filter(pk=b.pk).update(commune=other, former_district=other.former_district)
    b.refresh_from_db()
    c = create_vendor(code="RPT-C", seller_type=Vendor.TYPE_ENTERPRISE, tax_code="")
    d = create_vendor(code="RPT-D", seller_type=Vendor.TYPE_COOPERATIVE_GROUP)
    seller_a = users.create_user(username="seller-a", email="a@example.com", password="x")
    seller_b = users.create_user(username="seller-b", email="b@example.com", password="x")
    a.partner.users.add(seller_a)
    b.partner.users.add(seller_b)
    Vendor.objects.filter(pk__in=[a.pk, b.pk, d.pk]).update(created=at(15, 1))
    Vendor.objects.filter(pk=c.pk).update(created=at(5, 3))

    a1 = create_product(vendor=a, title="Kẹo cu đơ A1", price=100000, stock=100, ocop_code="I.3.b")
    a2 = create_product(vendor=a, title="Rượu A2", price=200000, stock=100, ocop_code="II.1.a", specialty=False)
    b1 = create_product(vendor=b, title="Mật ong B1", price=50000, stock=100, ocop_code="I.2.b")
    b2 = create_product(vendor=b, title="Nhút B2", price=30000, stock=100, ocop_code="I.3.c")
    Product.objects.filter(pk__in=[a1.pk, a2.pk, b1.pk, b2.pk]).update(date_created=at(20, 1))
    _certificate(a1, 4, datetime.date(2025, 6, 1))
    _certificate(a2, 5, datetime.date(2026, 5, 1))
    _certificate(b1, 3, datetime.date(2025, 1, 10))

    u1 = users.create_user(username="buyer1", email="u1@example.com", password="x")
    u2 = users.create_user(username="buyer2", email="u2@example.com", password="x")
    o1, (o1a, o1b), p1 = place(when=at(10, 3), method=Payment.VNPAY, user=u1, province="Hà Tĩnh",
                               parts=[(a, [(a1, 2, 100000)], Fulfilment.DELIVERED), (b, [(b1, 1, 50000)], Fulfilment.SHIPPED)])
    o2, (o2a,), _ = place(when=at(11, 3), method=Payment.COD, guest="G1@example.com", province="Nghệ An",
                          status=statuses.COMPLETED, payment_status=Payment.COD_COLLECTED,
                          parts=[(a, [(a2, 1, 200000)], Fulfilment.DELIVERED)])
    place(when=at(12, 3), method=Payment.COD, guest="g2@example.com", status=statuses.CASH_ON_DELIVERY,
          parts=[(b, [(b2, 3, 30000)], Fulfilment.SHIPPED)])
    place(when=at(13, 3), method=Payment.VNPAY, guest="g3@example.com", status=statuses.AWAITING_PAYMENT,
          payment_status=Payment.PENDING, parts=[(a, [(a1, 1, 100000)], Fulfilment.NEW)])
    o5, (o5a,), p5 = place(when=at(14, 3), method=Payment.VNPAY, guest="g4@example.com", status=statuses.CANCELLED,
                           parts=[(a, [(a1, 1, 100000)], Fulfilment.CANCELLED)])
    refund(p5, 130000, fulfilment=o5a)
    o6, (o6b,), p6 = place(when=at(15, 3), method=Payment.VNPAY, user=u1, province="Hà Tĩnh",
                           status=statuses.COMPLETED, parts=[(b, [(b1, 2, 50000)], Fulfilment.DELIVERED)])
    line_refund = refund(p6, 50000, fulfilment=o6b, line=o6.lines.get())
    place(when=at(20, 2), method=Payment.COD, user=u2, status=statuses.COMPLETED, payment_status=Payment.COD_COLLECTED,
          parts=[(a, [(a1, 1, 100000)], Fulfilment.DELIVERED)])
    place(when=at(31, 3, 23, 30), method=Payment.VNPAY, user=u2, parts=[(a, [(a2, 1, 200000)], Fulfilment.CONFIRMED)])
    place(when=at(1, 4, 0, 10), method=Payment.COD, guest="g5@example.com", status=statuses.COMPLETED,
          payment_status=Payment.COD_COLLECTED, parts=[(a, [(a1, 1, 100000)], Fulfilment.DELIVERED)])

    # E-invoices: A issues VAT invoices, B sales invoices; the line refund of O6 gets an adjustment.
    invoices = {"o1a": invoice_issue_for_fulfilment(fulfilment=o1a), "o2a": invoice_issue_for_fulfilment(fulfilment=o2a),
                "o6b": invoice_issue_for_fulfilment(fulfilment=o6b)}
    invoices["o6b_adjustment"] = invoice_adjust_for_refund(refund=line_refund)

    community = Group.objects.get_or_create(name="community digital team")[0]
    assistant = users.create_user(username="assistant", email="t@example.com", password="x")
    assistant.groups.add(community)
    application = VendorApplication.objects.create(status=VendorApplication.APPROVED, assisted_by=assistant,
                                                   seller_type=Vendor.TYPE_HOUSEHOLD, legal_name="Hộ Thử",
                                                   submitted_at=at(12, 3))
    VendorApplication.objects.create(status=VendorApplication.SUBMITTED, legal_name="Tự nộp", submitted_at=at(13, 3))
    return {"a": a, "b": b, "c": c, "d": d, "seller_a": seller_a, "seller_b": seller_b, "invoices": invoices,
            "application": application, "products": {"a1": a1, "a2": a2, "b1": b1, "b2": b2}}


def department_user(username="dept"):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.com", password="x")
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    return user
