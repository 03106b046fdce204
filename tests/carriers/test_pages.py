"""The seller's and the department's pages (Django test client, no live server): settings, the product form's
weight, remittance files and their mismatches, the delivery rates, who may see what."""
import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carriers import rates, services
from carriers.client import TrackingEvent
from carriers.models import ProductParcel, RemittanceLine, SellerShipping, Shipment
from marketplace.order import statuses
from marketplace.roles import DEPARTMENT_GROUP
from payments.models import Payment
from tests.factories import create_product, create_vendor
from tests.invoicing.factories import create_delivered_part
from vendors.models import LedgerEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller_user(django_user_model):
    vendor = create_vendor(name="HTX Bưởi Phúc Trạch")
    user = django_user_model.objects.create_user(username="s", email="s@example.com", password="x" * 12)
    vendor.partner.users.add(user)
    return vendor, user


@pytest.fixture
def department(django_user_model):
    user = django_user_model.objects.create_user(username="d", email="d@example.com", password="x" * 12)
    user.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    return user


def test_seller_chooses_carriers_and_pickup_commune(client, seller_user):
    vendor, user = seller_user
    client.force_login(user)
    page = client.get(reverse("seller-shipping:home"))
    assert page.status_code == 200 and "GHN" in page.content.decode()
    bad = client.post(reverse("seller-shipping:home"), {"carriers": ["dhl"], "pickup_commune": "", "pickup": "1"})
    assert bad.status_code == 400
    ok = client.post(reverse("seller-shipping:home"), {"carriers": ["ghn"], "pickup_commune": vendor.commune_id,
                                                        "pickup_address": "Thôn 2", "pickup": "0"})
    assert ok.status_code == 302
    saved = SellerShipping.objects.get(vendor=vendor)
    assert saved.carriers == ["ghn"] and saved.pickup is False
    assert client.get(reverse("seller-shipping:create")).status_code == 405


def test_product_form_weight_and_group_defaults(client, seller_user):
    vendor, user = seller_user
    product = create_product(vendor=vendor, title="Rượu Kỳ Sơn", ocop_code="II.1.a")
    assert services.product_dimensions(product) == services.GROUP_DEFAULTS["II"]
    client.force_login(user)
    form = client.get(reverse("seller:product-edit", args=[product.pk])).content.decode()
    assert 'name="weight_g"' in form and 'name="height_cm"' in form
    data = {"title": product.title, "ocop_code": "II.1.a", "price": 150000, "stock": 5, "weight_g": 1500,
            "length_cm": 32}
    assert client.post(reverse("seller:product-edit", args=[product.pk]), data).status_code == 302
    parcel = ProductParcel.objects.get(product=product)
    assert (parcel.weight_g, parcel.length_cm, parcel.width_cm) == (1500, 32, 12)
    product.refresh_from_db()
    assert services.product_dimensions(product) == (1500, 32, 12, 12)


def shipped_part(vendor, *, cod=True, carrier="ghn", code="GHN0000001HT"):
    product = create_product(vendor=vendor, price=100000)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 100000, 0)], deliver=False,
                                 method=Payment.COD if cod else Payment.VNPAY)
    part.order.status = statuses.CASH_ON_DELIVERY if cod else statuses.PAID  # a part on its way
    part.order.save(update_fields=["status"])
    return Shipment.objects.create(fulfilment=part, carrier=carrier, client_order_code=part.number, tracking_code=code,
                                   cod_amount=part.total if cod else 0, fee=22000,
                                   expected_delivery=timezone.localdate() + datetime.timedelta(days=2))


def test_remittance_file_lists_mismatches_for_the_department(client, department, seller_user):
    vendor, user = seller_user
    shipment = shipped_part(vendor)
    services.shipment_apply_event(TrackingEvent("ghn", shipment.tracking_code, "", "delivered", "delivered",
                                                timezone.now().isoformat()))
    csv = ("tracking_code,cod_amount,fee\n"
           f"{shipment.tracking_code},100000,22000\n"  # 30.000 short: the part's total is 130.000
           "GHN9999999HT,50000,20000\n").encode()
    client.force_login(user)
    assert client.get(reverse("carriers-office:remittances")).status_code == 403
    client.force_login(department)
    upload = {"carrier": "ghn", "reference": "GHN-DS-0112", "remitted_on": "07/12/2026",
              "file": SimpleUploadedFile("ds.csv", csv, content_type="text/csv")}
    assert client.post(reverse("carriers-office:remittances"), upload).status_code == 302
    problems = dict(RemittanceLine.objects.exclude(problem="").values_list("tracking_code", "problem"))
    assert problems == {shipment.tracking_code: "short", "GHN9999999HT": "unknown"}
    ledger = dict(LedgerEntry.objects.filter(fulfilment=shipment.fulfilment).values_list("kind", "amount"))
    assert ledger["carrier_cod"] == -130000 and ledger["carrier_remittance"] == 100000 and ledger["carrier_fee"] == -22000
    page = client.get(reverse("carriers-office:remittances")).content.decode()
    assert "GHN9999999HT" in page and "Chuyển thiếu" in page
    upload["file"] = SimpleUploadedFile("ds.csv", csv, content_type="text/csv")
    client.post(reverse("carriers-office:remittances"), upload)  # the same statement again: nothing twice
    assert LedgerEntry.objects.filter(kind="carrier_remittance").count() == 1
    upload["file"] = SimpleUploadedFile("ds.csv", b"a,b\n1,2\n", content_type="text/csv")
    upload["reference"] = "X"
    assert client.post(reverse("carriers-office:remittances"), upload).status_code == 400


def test_delivery_rates_per_carrier_and_district(client, department, seller_user):
    vendor, _user = seller_user
    now = timezone.now()
    on_time = shipped_part(vendor, code="GHN0000001HT")
    failed_then_returned = shipped_part(vendor, code="GHN0000002HT")
    for status, minutes in (("delivered", 1),):
        services.shipment_apply_event(TrackingEvent("ghn", on_time.tracking_code, "", status, status,
                                                    (now + datetime.timedelta(minutes=minutes)).isoformat()))
    for status, minutes in (("delivery_failed", 1), ("returning", 2), ("returned", 3)):
        services.shipment_apply_event(TrackingEvent("ghn", failed_then_returned.tracking_code, "", status, status,
                                                    (now + datetime.timedelta(minutes=minutes)).isoformat()))
    rows = rates.delivery_rates(date_from=timezone.localdate(), date_to=timezone.localdate())
    assert len(rows) == 1
    row = rows[0]
    assert (row["booked"], row["on_time_rate"], row["failed_rate"], row["return_rate"]) == (2, 100.0, 50.0, 50.0)
    client.force_login(department)
    page = client.get(reverse("carriers-office:report")).content.decode()
    assert "GHN" in page and "50,0 %" in page


def test_polling_is_a_scheduled_job():
    from marketplace.celery import app
    from marketplace.scheduler import jobs

    app.loader.import_default_modules()
    assert ("carriers.poll_shipments", 900.0) in jobs() and "carriers.poll_shipments" in app.tasks


def test_checkout_fees_fragment_queries_are_bounded(client, django_assert_max_num_queries):
    """Sellers without carriers: flat fees, no HTTP; the fragment's queries do not grow with the sellers."""
    from places.models import Ward

    for n in range(3):
        product = create_product(vendor=create_vendor(name=f"Người bán {n}"), price=50000)
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    ward = Ward.objects.filter(province_id="79").first()
    with django_assert_max_num_queries(40):
        page = client.get(reverse("carriers:checkout-fees"), {"ward": ward.code})
    assert page.status_code == 200 and page.content.decode().count("checkout-parcel") == 3
    assert client.get(reverse("carriers:checkout-fees"), {"ward": "<script>"}).status_code == 200
