"""Small builders for test data; they use the models as the import service does."""
import datetime
import itertools
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, OcopClassification, Product
from catalogue.product_import import PRODUCT_CLASS_NAME
from places.models import Commune
from vendors.models import Vendor

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
ProductClass = get_model("catalogue", "ProductClass")

_seq = itertools.count(1)


def create_vendor(*, code=None, name=None, seller_type=Vendor.TYPE_COOPERATIVE, commune_code="18073", tax_code=""):
    n = next(_seq)
    code = code or f"T-{n:05d}"
    name = name or f"HTX Thử nghiệm {n}"
    commune = Commune.objects.get(code=commune_code)
    partner = Partner.objects.create(name=name, code=code.lower())
    return Vendor.objects.create(
        partner=partner, code=code, slug=f"nguoi-ban-{code.lower()}", legal_name=name, seller_type=seller_type,
        tax_code=tax_code, commune=commune, former_district=commune.former_district, phone="0912345678",
    )


def create_product(*, vendor, title=None, price=150000, stock=10, ocop_code="I.3.b", stars=None,
                   expired=False, specialty=True, commune_code=None, upc=None):
    n = next(_seq)
    product_class, _ = ProductClass.objects.get_or_create(name=PRODUCT_CLASS_NAME, defaults={"track_stock": True})
    product = Product.objects.create(
        title=title or f"Sản phẩm {n}", upc=upc or f"P-{n:06d}", product_class=product_class,
        ocop_classification=OcopClassification.objects.get(code=ocop_code),
        origin_commune=Commune.objects.get(code=commune_code) if commune_code else vendor.commune,
        is_typical_specialty=specialty, sales_unit="hộp",
    )
    StockRecord.objects.create(product=product, partner=vendor.partner, partner_sku=product.upc,
                               price=Decimal(price), price_currency="VND", num_in_stock=stock)
    if stars:
        today = timezone.localdate()
        issue = today - datetime.timedelta(days=1200 if expired else 100)
        OcopCertificate.objects.create(
            product=product, number=f"{n:04d}/GCN-TEST", stars=stars, classification=product.ocop_classification,
            issuing_body="UBND tỉnh Hà Tĩnh", issue_date=issue, expiry_date=OcopCertificate.default_expiry(issue),
            status=OcopCertificate.STATUS_VERIFIED,
        )
    product.refresh_search_fields()
    return product
