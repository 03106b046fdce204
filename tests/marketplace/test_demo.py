"""`load_demo`: a realistic, deterministic Hà Tĩnh catalogue, and running it twice changes nothing."""
import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, Product
from catalogue.selectors import valid_certificate_q
from marketplace.cms.models import GuidePage, HomePage, NewsPage
from places.models import FormerDistrict
from vendors.models import Vendor

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "products": sorted(Product.objects.values_list("upc", "title", "date_updated", "search_text")),
        "stock": sorted(StockRecord.objects.values_list("partner_sku", "price", "num_in_stock", "date_updated")),
        "certs": sorted(OcopCertificate.objects.values_list("number", "stars", "issue_date", "expiry_date", "updated")),
        "vendors": sorted(Vendor.objects.values_list("code", "slug", "tax_code", "updated")),
    }


@pytest.mark.django_db(transaction=True)  # each demo order commits: its invoice is issued after the commit
def test_demo_data_is_realistic_and_idempotent():
    out = StringIO()
    call_command("load_demo", "--no-images", stdout=out)
    assert "544 products (544 new" in out.getvalue()
    assert "admin@ocop-hatinh.local" in out.getvalue()

    assert Product.objects.count() >= 544
    assert Product.objects.filter(is_typical_specialty=True).count() == 416
    certified_now = Product.objects.filter(valid_certificate_q()).count()
    assert certified_now >= 239
    stars = dict(OcopCertificate.objects.values_list("stars").annotate(n=Count("pk")))
    assert stars[3] > stars[4] > 0 and 5 not in stars  # 3★ most; no 5★ product of Hà Tĩnh is known
    assert Vendor.objects.count() >= 120
    assert set(Vendor.objects.values_list("seller_type", flat=True)) == {code for code, _ in Vendor.TYPE_CHOICES}
    assert Vendor.objects.values("former_district").distinct().count() == FormerDistrict.objects.count() == 13
    assert Product.objects.values("origin_former_district").distinct().count() == 13
    assert Vendor.objects.values("commune").distinct().count() >= 40
    assert all(Product.objects.filter(ocop_group_code=g).exists() for g in ["I", "II", "III", "IV", "V", "VI"])
    # Every product has a seller and a positive integer price.
    assert not Product.objects.filter(stockrecords__isnull=True).exists()
    assert all(p == int(p) and p > 0 for p in StockRecord.objects.values_list("price", flat=True))
    # The 91 real products of the provincial sample are there, as they are.
    with open("catalogue/data/hatinh_ocop_products_sample.csv", encoding="utf-8") as fh:
        sample_names = [r["name"] for r in csv.DictReader(fh)]
    assert len(sample_names) == 91
    assert Product.objects.filter(title__in=sample_names).count() == 91  # one re-certified product appears twice
    for kind in ["Kẹo cu đơ", "Bưởi Phúc Trạch", "Cam bù Hương Sơn", "Nhung hươu", "Nước mắm", "Mật ong", "Chè xanh"]:
        assert Product.objects.filter(title__startswith=kind).exists(), kind
    # Slugs fold đ to d (Oscar's default would write u0111).
    assert not Product.objects.filter(slug__contains="u0111").exists()
    assert Product.objects.filter(slug__startswith="keo-cu-do").exists()
    # CMS content and logins.
    assert HomePage.objects.count() == 1
    assert NewsPage.objects.live().count() >= 3
    assert GuidePage.objects.filter(slug="huong-dan-ban-hang-tren-san").exists()
    seller = Vendor.objects.get(code="NB-0001").partner.users.get()
    assert not seller.has_perm("partner.dashboard_access")  # the workspace, not Oscar's dashboard
    # The demo seller has cash-on-delivery orders to work on, and a year of sales behind it.
    parts = Vendor.objects.get(code="NB-0001").fulfilments.filter(is_released=True)
    assert parts.filter(status__in=["new", "confirmed"]).count() >= 3
    assert parts.filter(status="delivered").count() >= 20
    check_months_of_trade()
    # ... and has authorised the marketplace to issue its e-invoices, so a delivery produces one.
    assert Vendor.objects.get(code="NB-0001").invoicing_profile.authorised_at is not None
    check_certificates_expiring_soon()

    before, counts = snapshot(), trade_counts()
    out = StringIO()
    call_command("load_demo", "--no-images", stdout=out)
    assert "0 new, 0 updated, 544 unchanged" in out.getvalue()
    assert "0 new pages, 0 new users" in out.getvalue()
    assert "months of trade: 0 new orders" in out.getvalue()
    assert snapshot() == before
    assert trade_counts() == counts


def check_certificates_expiring_soon():
    """Whatever the day of the month, some certificates expire within 60 days: the department's home counts
    them (the count links to exactly those) and the demo seller sees its own on its workspace."""
    import re

    from django.test import Client
    from django.utils import timezone

    from catalogue.certificates import certificates_expiring
    from tests.reports.test_office import COUNT, QUEUE

    today = timezone.localdate()
    expiring = list(certificates_expiring(today=today))
    assert len(expiring) >= 5 and all(0 <= c.days_left(today) <= 60 for c in expiring)  # six, or more some months
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    client = Client()
    client.force_login(users.get(email="socongthuong@ocop-hatinh.local"))
    home = client.get("/so-cong-thuong/").content.decode()
    queues = {m["key"]: (m["url"].replace("&amp;", "&"), int(m["n"])) for m in QUEUE.finditer(home)}
    url, count = queues["expiring"]
    assert count == len(expiring) > 0
    assert int(COUNT.search(client.get(url).content.decode()).group(1)) == count
    seller = Client()
    seller.force_login(users.get(email="nguoiban@ocop-hatinh.local"))
    workspace = seller.get("/ban-hang/").content.decode()
    assert "Giấy chứng nhận OCOP sắp hết hạn" in workspace
    own = [c for c in expiring if c.product.vendor.code == "NB-0001"]
    assert own and all(c.number in workspace for c in own)
    assert re.search(r"hết hạn ngày \d{2}/\d{2}/\d{4} \(còn \d+ ngày\)", workspace)


# --- the months of trade ----------------------------------------------------------------------------------


def trade_counts():
    from invoicing.models import Invoice
    from payments.models import Payment, PaymentEvent, Refund
    from vendors.models import Fulfilment, FulfilmentEvent, LedgerEntry, Payout

    Order = get_model("order", "Order")
    return {model.__name__: model.objects.count() for model in (
        Order, Fulfilment, FulfilmentEvent, Payment, PaymentEvent, Refund, LedgerEntry, Payout, Invoice, Vendor)}


def _raw(sql, params=()):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def check_months_of_trade():
    """12–18 months of orders, a Tết peak, every kind of story, and money that adds up in raw SQL."""
    import datetime

    from django.utils import timezone

    from invoicing.models import Invoice
    from payments.models import Payment, Refund
    from reports.periods import Period
    from reports.selectors import LIVE, build_report
    from vendors.ledger import statement_for
    from vendors.models import Fulfilment, LedgerEntry, Payout

    Order = get_model("order", "Order")
    today = timezone.localdate()
    by_month = {}
    for placed in Order.objects.values_list("date_placed", flat=True):
        local = timezone.localtime(placed)
        by_month[(local.year, local.month)] = by_month.get((local.year, local.month), 0) + 1
    assert 12 <= len(by_month) <= 18, sorted(by_month)
    busiest = max(by_month, key=by_month.get)
    assert busiest[1] in (12, 1), by_month  # Tết gifts
    quiet = min(v for (y, m), v in by_month.items() if m in (6, 7))
    assert by_month[busiest] >= 1.8 * quiet, by_month
    # Seasons of the harvest: citrus sells from October to January, honey in spring.
    citrus = Order.objects.filter(lines__title__regex=r"^(Cam|Bưởi)").values_list("date_placed", flat=True)
    in_season = sum(timezone.localtime(d).month in (10, 11, 12, 1) for d in citrus)
    assert citrus and in_season > len(citrus) / 2
    # The mix of a running marketplace.
    methods = dict(Payment.objects.values_list("method").annotate(n=Count("pk")))
    assert methods["vnpay"] > 50 and methods["cod"] > 50
    assert Order.objects.annotate(parts=Count("fulfilments")).filter(parts__gte=2).count() >= 20
    assert Fulfilment.objects.filter(status="cancelled").count() >= 5
    assert Refund.objects.filter(status="succeeded").exists()
    assert Invoice.objects.filter(status="issued").count() >= 30
    assert Payout.objects.count() >= 20
    assert Vendor.objects.filter(created__date__gt=today - datetime.timedelta(days=300)).count() >= 5  # newcomers
    assert Vendor.objects.filter(created__date__lt=today - datetime.timedelta(days=400)).count() >= 50
    # Every payment is the sum of its order's parts.
    assert not _raw("""SELECT p.id FROM payments_payment p JOIN vendors_fulfilment f ON f.order_id = p.order_id
                       GROUP BY p.id, p.amount HAVING SUM(f.items_total + f.shipping_fee) <> p.amount""")
    # Ledger: sales are the delivered goods, payouts the transfers, and each seller's balance the sum of its lines.
    sales = dict(_raw("SELECT vendor_id, SUM(items_total) FROM vendors_fulfilment WHERE status = 'delivered' "
                      "GROUP BY vendor_id"))
    posted = dict(_raw("SELECT vendor_id, SUM(amount) FROM vendors_ledgerentry WHERE kind = 'sale' GROUP BY vendor_id"))
    assert sales == posted
    paid_out = _raw("SELECT SUM(amount) FROM vendors_payout")[0][0]
    assert -LedgerEntry.objects.filter(kind="payout").aggregate(s=Sum("amount"))["s"] == paid_out
    first = min(datetime.date(y, m, 1) for y, m in by_month)
    for vendor in [Vendor.objects.get(code="NB-0001"), *Vendor.objects.filter(payouts__isnull=False).distinct()[:5]]:
        balance = _raw("SELECT COALESCE(SUM(amount), 0) FROM vendors_ledgerentry WHERE vendor_id = %s", [vendor.pk])[0][0]
        assert statement_for(vendor=vendor, date_from=first - datetime.timedelta(days=500), date_to=today
                             ).closing_balance == balance
    # The reports' figures are the raw sums (the sale rule: delivered, or paid by VNPay and not cancelled).
    for (year, month) in sorted(by_month)[-13:]:
        period = Period.month(year, month)
        start, end = _bounds(period)
        gmv, orders = _raw(
            """SELECT COALESCE(SUM(f.items_total), 0), COUNT(DISTINCT f.order_id) FROM vendors_fulfilment f
               JOIN order_order o ON o.id = f.order_id
               WHERE o.date_placed >= %s AND o.date_placed < %s AND (f.status = 'delivered' OR (
                   f.status IN ('new', 'confirmed', 'shipped') AND EXISTS (SELECT 1 FROM payments_payment p
                   WHERE p.order_id = o.id AND p.method = 'vnpay' AND p.status = 'paid')))""", [start, end])[0]
        figures = build_report(period, source=LIVE).transactions
        assert (figures["gmv"], figures["orders"]) == (gmv, orders), (year, month)


def _bounds(period):
    import datetime

    from django.utils import timezone

    from django.db import connection

    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min))
    # As the database stores them (SQLite compares text: UTC, no offset).
    return (connection.ops.adapt_datetimefield_value(start), connection.ops.adapt_datetimefield_value(end))
