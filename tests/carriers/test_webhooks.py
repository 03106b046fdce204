"""Webhooks as the carriers send them: signatures, replays, events out of order, a final state kept."""
import json

import pytest
from django.urls import reverse

from carriers.client.signing import hmac_hex
from carriers.models import Shipment, ShipmentEvent
from tests.carriers.test_shipping_flow import buy
from vendors.models import Fulfilment, LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shipped(carriers_live, seller, far_ward, client):
    vendor, user, product = seller
    part = buy(client, product, far_ward)
    client.force_login(user)
    client.post(reverse("seller:fulfilment", args=[part.number]), {"action": "confirm"})
    client.post(reverse("seller-shipping:create"), {"parts": [part.number]})
    client.logout()
    return Shipment.objects.get(fulfilment=part)


def post_vnpost(client, settings, body, *, secret=None):
    raw = json.dumps(body).encode()
    return client.post(reverse("carriers:webhook-vnpost"), raw, content_type="application/json",
                       HTTP_X_VNPOST_SIGNATURE=hmac_hex(secret or settings.VNPOST_WEBHOOK_SECRET, raw))


def event(shipment, status, when):
    return {"ItemCode": shipment.tracking_code, "SaleOrderCode": shipment.client_order_code, "Status": status,
            "StatusDate": when, "Note": ""}


def test_signatures_replays_and_out_of_order_events(shipped, client, settings):
    shipment = shipped
    forged = post_vnpost(client, settings, event(shipment, "6", "2026-12-07T10:00:00+07:00"), secret="guess")
    assert forged.status_code == 401 and Shipment.objects.get().status == "created"
    assert client.post(reverse("carriers:webhook-vnpost"), b"{}", content_type="application/json").status_code == 401
    unreadable = post_vnpost(client, settings, {"ItemCode": shipment.tracking_code, "Status": "99"})
    assert unreadable.status_code == 400
    # In transit at 09:00 arrives after "out for delivery" at 10:00: recorded, but the parcel stays out for delivery.
    assert post_vnpost(client, settings, event(shipment, "5", "2026-12-07T10:00:00+07:00")).status_code == 200
    assert post_vnpost(client, settings, event(shipment, "4", "2026-12-07T09:00:00+07:00")).status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == "delivering"
    late = ShipmentEvent.objects.get(carrier_status="4")
    assert late.applied is False
    # Delivered, then the same webhook again (a carrier's retry): one event, one sale in the ledger.
    delivered = event(shipment, "6", "2026-12-07T15:30:00+07:00")
    assert post_vnpost(client, settings, delivered).json()["recorded"] is True
    assert post_vnpost(client, settings, delivered).json()["recorded"] is False
    assert ShipmentEvent.objects.filter(carrier_status="6").count() == 1
    assert LedgerEntry.objects.filter(fulfilment=shipment.fulfilment, kind=LedgerEntry.SALE).count() == 1
    # A late "failed" after delivery changes nothing: a final state is kept.
    post_vnpost(client, settings, event(shipment, "7", "2026-12-07T16:00:00+07:00"))
    shipment.refresh_from_db()
    assert shipment.status == "delivered" and shipment.fulfilment.status == Fulfilment.DELIVERED


def test_ghn_webhook_token_in_the_url(carriers_live, client, settings):
    url = reverse("carriers:webhook-ghn", args=["wrong-token"])
    body = json.dumps({"OrderCode": "X", "Status": "delivered", "Time": "2026-12-07T10:00:00Z"})
    assert client.post(url, body, content_type="application/json").status_code == 401
    good = reverse("carriers:webhook-ghn", args=[settings.GHN_WEBHOOK_SECRET])
    answer = client.post(good, body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["recorded"] is False  # an unknown parcel is ignored


def test_the_shopper_sees_the_carriers_events(shipped, client, settings):
    shipment = shipped
    post_vnpost(client, settings, {**event(shipment, "7", "2026-12-07T10:00:00+07:00"), "Note": "Khách hẹn lại"})
    order = shipment.fulfilment.order
    path = f"{order.number}/{order.verification_hash()}/"
    client.post(f"/accounts/order-status-form/{path}", {"contact": "khach@example.com"})  # the guest confirms
    page = client.get(f"/accounts/order-status/{path}")
    assert page.status_code == 200
    html = page.content.decode()
    assert shipment.tracking_code in html and "Khách hẹn lại" in html
