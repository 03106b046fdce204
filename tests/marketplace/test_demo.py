"""`load_demo`: a realistic, deterministic Hà Tĩnh catalogue, and running it twice changes nothing."""
import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
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
    # The demo seller has cash-on-delivery orders to work on.
    parts = Vendor.objects.get(code="NB-0001").fulfilments.filter(is_released=True)
    assert sorted(parts.values_list("status", flat=True)) == ["confirmed", "confirmed", "new"]
    # ... and has authorised the marketplace to issue its e-invoices, so a delivery produces one.
    assert Vendor.objects.get(code="NB-0001").invoicing_profile.authorised_at is not None

    before = snapshot()
    out = StringIO()
    call_command("load_demo", "--no-images", stdout=out)
    assert "0 new, 0 updated, 544 unchanged" in out.getvalue()
    assert "0 new pages, 0 new users" in out.getvalue()
    assert snapshot() == before
