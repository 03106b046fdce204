"""The vertical slice over real HTTP: live fee at checkout → COD order → seller books the carrier and prints the
label → the emulator's signed webhooks deliver it → ledger and invoice by the usual path → COD remittance."""
import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from carriers.models import ParcelQuote, Remittance, RemittanceLine, Shipment, ShipmentEvent
from invoicing.models import Invoice
from tests.carriers.conftest import control
from tests.checkout import checkout_data
from vendors.ledger import statement_for
from vendors.models import Fulfilment, LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)


def buy(client, product, ward, *, quantity=2, method="cod"):
    client.post(f"/basket/add/{product.pk}/", {"quantity": quantity})
    data = checkout_data(method, province=ward.province_id, ward=ward.code)
    response = client.post("/checkout/", data)
    assert response.status_code == 302, response.content[:500]
    return Fulfilment.objects.latest("pk")


def test_live_fee_shown_for_the_ward_and_charged(carriers_live, seller, far_ward, client):
    vendor, _user, product = seller
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    fragment = client.get(reverse("carriers:checkout-fees"), {"ward": far_ward.code})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    # 2 × 500 g of honey (group I default) to another region: GHN 35.000 + 5.000; VNPost 32.000 + 4.000: VNPost wins.
    assert "36.000" in html and "VNPost" in html and "4–5" in html
    response = client.post("/checkout/", checkout_data("cod", province=far_ward.province_id, ward=far_ward.code))
    assert response.status_code == 302
    part = Fulfilment.objects.get()
    assert part.shipping_fee == 36000 and part.order.total_incl_tax == 2 * 180000 + 36000
    quote = ParcelQuote.objects.get(fulfilment=part)
    assert (quote.source, quote.carrier, quote.fee, quote.min_days) == ("live", "vnpost", 36000, 4)


def test_carrier_outage_at_checkout_falls_back_to_the_flat_rule(carriers_live, seller, far_ward, client):
    vendor, _user, product = seller
    control(carriers_live, carrier="ghn", behaviour="down")
    control(carriers_live, carrier="vnpost", behaviour="down")
    part = buy(client, product, far_ward)
    assert part.shipping_fee == vendor.shipping_fee == 30000
    quote = ParcelQuote.objects.get(fulfilment=part)
    assert quote.source == "flat" and "carrier unavailable" in quote.reason and "ghn" in quote.reason


def test_closed_port_falls_back_to_the_flat_rule(carriers_live, seller, far_ward, client, settings):
    settings.GHN_API_URL = "http://127.0.0.1:9/"
    settings.VNPOST_API_URL = "http://127.0.0.1:9/"
    part = buy(client, seller[2], far_ward)
    assert ParcelQuote.objects.get(fulfilment=part).source == "flat" and part.shipping_fee == 30000


def test_cod_part_booked_labelled_delivered_invoiced_and_remitted(carriers_live, seller, far_ward, client):
    vendor, user, product = seller
    part = buy(client, product, far_ward)
    client.force_login(user)
    assert client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"}).status_code == 302
    page = client.get(reverse("seller-shipping:home"))
    assert part.number in page.content.decode()
    response = client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    assert response.status_code == 302
    shipment = Shipment.objects.get(fulfilment=part)
    part.refresh_from_db()
    assert part.status == Fulfilment.SHIPPED and part.tracking_code == shipment.tracking_code
    assert shipment.carrier == "vnpost" and shipment.cod_amount == part.total == 396000
    # Booking twice (a double click, a retry) gives the same shipment.
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    assert Shipment.objects.count() == 1
    for size in ("a6", "a4"):
        label = client.get(reverse("seller-shipping:labels"), {"parts": part.number, "size": size})
        assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
        assert label.content.startswith(b"%PDF")
    # The emulator moves the parcel and signs its webhooks.
    for status in ("picked_up", "delivering", "delivered"):
        control(carriers_live, tracking_code=shipment.tracking_code, status=status)
    part.refresh_from_db()
    shipment.refresh_from_db()
    assert shipment.status == "delivered" and part.status == Fulfilment.DELIVERED
    assert [e.status for e in shipment.events.all()] == ["picked_up", "delivering", "delivered"]
    kinds = dict(LedgerEntry.objects.filter(fulfilment=part).values_list("kind", "amount"))
    assert kinds[LedgerEntry.SALE] == 360000 and kinds[LedgerEntry.SHIPPING] == 36000
    assert kinds[LedgerEntry.CARRIER_COD] == -396000 and LedgerEntry.COD_CASH not in kinds
    assert Invoice.objects.filter(fulfilment=part).exists()
    statement = statement_for(vendor=vendor, date_from=timezone.localdate(part.created), date_to=timezone.localdate(part.created))
    assert statement.carrier_owes == 396000
    # The shopper sees the carrier's events.
    control(carriers_live, remit="vnpost")
    remittance = Remittance.objects.get()
    assert remittance.lines.get().problem == "" and remittance.total == 396000 - shipment.fee
    kinds = dict(LedgerEntry.objects.filter(fulfilment=part).values_list("kind", "amount"))
    assert kinds[LedgerEntry.CARRIER_REMITTANCE] == 396000 and kinds[LedgerEntry.CARRIER_FEE] == -shipment.fee
    statement = statement_for(vendor=vendor, date_from=timezone.localdate(part.created), date_to=timezone.localdate(part.created))
    assert statement.carrier_owes == 0
    commission = -kinds[LedgerEntry.COMMISSION]
    assert statement.closing_balance == 360000 + 36000 - commission - shipment.fee


def test_short_remittance_is_listed_for_the_department(carriers_live, seller, far_ward, client, django_user_model):
    vendor, user, product = seller
    part = buy(client, product, far_ward)
    client.force_login(user)
    client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"})
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    shipment = Shipment.objects.get()
    control(carriers_live, tracking_code=shipment.tracking_code, status="delivered")
    control(carriers_live, remit="vnpost", short_by=50000)
    line = RemittanceLine.objects.get(problem="short")
    assert line.cod_amount == 396000 - 50000 and line.expected == 396000
    statement = statement_for(vendor=vendor, date_from=timezone.localdate(part.created), date_to=timezone.localdate(part.created))
    assert statement.carrier_owes == 50000


def test_failed_then_returned_parcel_cancels_the_part_and_restocks(carriers_live, seller, far_ward, client):
    from oscar.core.loading import get_model

    vendor, user, product = seller
    part = buy(client, product, far_ward)
    client.force_login(user)
    client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"})
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    shipment = Shipment.objects.get()
    record = get_model("partner", "StockRecord").objects.get(product=product)
    assert record.num_in_stock == 8
    for status in ("delivery_failed", "returning", "returned"):
        control(carriers_live, tracking_code=shipment.tracking_code, status=status, note="Khách không nghe máy")
    part.refresh_from_db()
    record.refresh_from_db()
    assert part.status == Fulfilment.CANCELLED and record.num_in_stock == 10
    assert not LedgerEntry.objects.filter(fulfilment=part).exists()
    assert part.events.last().reason.endswith("returned to the seller")


def test_polling_fallback_catches_a_lost_webhook(carriers_live, seller, far_ward, client, settings):
    from carriers.services import shipments_poll

    vendor, user, product = seller
    part = buy(client, product, far_ward)
    client.force_login(user)
    client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"})
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    shipment = Shipment.objects.get()
    control(carriers_live, tracking_code=shipment.tracking_code, status="delivered", webhook=False)  # lost
    assert Shipment.objects.get().status == "created"
    settings.CARRIER_POLL_AFTER_MINUTES = 0
    asked, applied = shipments_poll()
    assert asked == 1 and applied >= 1
    part.refresh_from_db()
    assert part.status == Fulfilment.DELIVERED
    assert ShipmentEvent.objects.filter(source="poll", status="delivered").exists()


def test_a_ghn_remittance_statement_reaches_its_view(carriers_live, seller, far_ward, client):
    """GHN's statement is posted to webhooks/ghn/doi-soat/: it must not be taken for GHN's status hook with the
    token "doi-soat" (the URL order once did exactly that)."""
    vendor, user, product = seller
    control(carriers_live, carrier="vnpost", behaviour="down")  # GHN is the only live fee: the part goes by GHN
    part = buy(client, product, far_ward)
    assert ParcelQuote.objects.get(fulfilment=part).carrier == "ghn"
    client.force_login(user)
    client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"})
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    shipment = Shipment.objects.get()
    assert shipment.carrier == "ghn"
    control(carriers_live, tracking_code=shipment.tracking_code, status="delivered")
    control(carriers_live, remit="ghn")
    remittance = Remittance.objects.get()
    assert remittance.carrier == "ghn" and remittance.lines.get().problem == ""
    assert remittance.total == part.total - shipment.fee
