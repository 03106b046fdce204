"""Shipping with a carrier, on a 390 px phone: a buyer in Hồ Chí Minh City sees the carrier's live fee, orders with
cash on delivery; the seller books the carrier and prints the label; the emulator delivers and remits; the
ledger, the invoice and the shopper's tracking are right."""
import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone

from carriers.models import ParcelQuote, Shipment
from invoicing.models import Invoice
from places.models import Commune, Ward
from tests.factories import create_product, create_vendor
from vendors.ledger import statement_for
from vendors.models import Fulfilment, LedgerEntry

from .helpers import PASSWORD, PHONE, add_to_basket, invoicing_profile, log_in, new_page, shot, use_sandboxes, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def honey_seller(transactional_db):
    from carriers.services import seller_shipping_save

    vendor = create_vendor(name="HTX Mật ong Hương Sơn", code="T-ONG", seller_type="household_business",
                           tax_code="042185000123", commune_code="18184")
    invoicing_profile(vendor, vat=False)
    user = get_user_model().objects.create_user(username="ong", email="ong@example.com", password=PASSWORD)
    vendor.partner.users.add(user)
    seller_shipping_save(vendor=vendor, carriers=["ghn", "vnpost"], pickup_commune=Commune.objects.get(code="18184"))
    product = create_product(vendor=vendor, title="Mật ong rừng Hương Sơn", price=180000, stock=10, ocop_code="I.2.b")
    return vendor, user, product


def test_buyer_far_away_cod_carrier_label_delivery_and_remittance(browser, live_server, settings, honey_seller):
    use_sandboxes(settings, live_server)
    settings.GHN_API_URL = live_server.url + "/sandbox/carriers/ghn/shiip/public-api/"
    settings.VNPOST_API_URL = live_server.url + "/sandbox/carriers/vnpost/MYVNP_API/"
    vendor, user, product = honey_seller
    ward = Ward.objects.filter(province_id="79").order_by("code").first()
    context, page = new_page(browser, PHONE)
    try:
        page.goto(live_server.url + product.get_absolute_url())
        add_to_basket(page)
        page.goto(live_server.url + "/checkout/")
        page.fill("input[name=full_name]", "Trần Văn Minh")
        page.fill("input[name=phone]", "0987654321")
        page.select_option("select[name=province]", "79")
        page.locator(f"select[name=ward] option[value='{ward.code}']").wait_for(state="attached")
        page.select_option("select[name=ward]", ward.code)
        page.locator("#parcels .parcel-carrier").wait_for()
        parcels = visible_text(page, "#parcels")
        assert "VNPost" in parcels and "23.000 ₫" not in parcels
        assert "32.000 ₫" in parcels, parcels  # one 500 g jar of honey to another region
        assert "212.000 ₫" in visible_text(page, "#total")
        page.fill("input[name=street]", "45 Nguyễn Huệ")
        page.check("input[name=method][value=cod]")
        page.check("input[name=privacy_consent]")
        shot(page, "carrier-01-live-fee")
        page.click("#place-order")
        page.wait_for_url("**/checkout/thank-you/")
        part = Fulfilment.objects.get()
        quote = ParcelQuote.objects.get(fulfilment=part)  # the fee shown is the fee recorded
        assert (quote.source, quote.carrier, part.shipping_fee) == ("live", "vnpost", 32000)
        order = part.order

        seller_context, seller = new_page(browser, PHONE)
        try:
            log_in(seller, live_server, "ong@example.com", f"/ban-hang/don-hang/{part.number}/")
            seller.get_by_role("button", name="Xác nhận đơn hàng").click()
            seller.wait_for_selector(".status--confirmed")
            seller.get_by_role("button", name="Tạo vận đơn với đơn vị vận chuyển").click()
            seller.wait_for_selector("#shipment")
            shipment = Shipment.objects.get()
            assert shipment.tracking_code in visible_text(seller, "#shipment")
            shot(seller, "carrier-02-shipment")
            label = seller.request.get(live_server.url + f"/ban-hang/van-chuyen/nhan.pdf?parts={part.number}")
            assert label.ok and label.body().startswith(b"%PDF")
            seller.goto(live_server.url + "/ban-hang/van-chuyen/")
            assert shipment.tracking_code in visible_text(seller, "#shipments")
            shot(seller, "carrier-03-shipments")
        finally:
            seller_context.close()

        control = live_server.url + "/sandbox/carriers/control/"
        for status in ("picked_up", "delivering", "delivered"):
            assert requests.post(control, json={"tracking_code": shipment.tracking_code, "status": status},
                                 timeout=60).ok
        assert requests.post(control, json={"remit": "vnpost"}, timeout=60).ok

        page.goto(live_server.url + f"/accounts/order-status/{order.number}/{order.verification_hash()}/")
        page.fill("input[name=contact]", "0987654321")  # the guest confirms with the phone given
        page.locator("form button[type=submit]").last.click()
        page.wait_for_selector("#order-parts")
        tracking = visible_text(page, "#order-parts")
        assert shipment.tracking_code in tracking and "Đã giao" in tracking
        shot(page, "carrier-04-tracking")
        part.refresh_from_db()
        assert part.status == Fulfilment.DELIVERED
        assert Invoice.objects.filter(fulfilment=part).exists()
        kinds = dict(LedgerEntry.objects.filter(fulfilment=part).values_list("kind", "amount"))
        assert kinds["sale"] == 180000 and kinds["shipping"] == 32000 and kinds["carrier_cod"] == -212000
        assert kinds["carrier_remittance"] == 212000 and kinds["carrier_fee"] == -shipment.fee
        statement = statement_for(vendor=vendor, date_from=timezone.localdate(part.created), date_to=timezone.localdate(part.created))
        assert statement.carrier_owes == 0
        assert statement.closing_balance == 180000 + 32000 + kinds["commission"] - shipment.fee
        assert page.js_errors == []
    finally:
        context.close()
