"""The one checkout page: one POST places the order (COD → confirmation, VNPay → its payment page); the
address book pre-fills it; Oscar's former steps lead to it; bounded queries."""
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from oscar.core.loading import get_model

from marketplace.order import statuses
from payments.models import Payment
from tests.checkout import ADDRESS, checkout_data
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")


@pytest.fixture
def two_sellers():
    return [create_product(vendor=create_vendor(name="HTX Kẹo cu đơ Đức Thọ"), title="Kẹo cu đơ", price=65000,
                           stock=5),
            create_product(vendor=create_vendor(name="Cơ sở Nước mắm Thu Hùng"), title="Nước mắm", price=120000,
                           stock=5)]


def basket(client, products):
    for product in products:
        client.post(f"/basket/add/{product.pk}/", {"quantity": 1})


def test_cash_on_delivery_in_one_post(client, two_sellers, mailoutbox):
    basket(client, two_sellers)
    page = client.get("/checkout/").content.decode()
    # Sections, not steps: delivery, each seller's parcel with its fee, payment, invoice switch, one total.
    for text in ("Địa chỉ nhận hàng", "HTX Kẹo cu đơ Đức Thọ", "Cơ sở Nước mắm Thu Hùng", "Thanh toán ngay qua VNPay",
                 "Trả tiền mặt cho người giao hàng khi nhận từng kiện.", "Tôi cần hóa đơn công ty", "245.000", "Đặt hàng"):
        assert text in page, text
    assert page.count('name="place_order"') == 1
    response = client.post("/checkout/", checkout_data("cod"))
    assert response.status_code == 302 and response["Location"].endswith("/checkout/thank-you/")
    order = Order.objects.get()
    assert order.status == statuses.CASH_ON_DELIVERY and int(order.total_incl_tax) == 245000
    assert Payment.objects.get(order=order).status == Payment.COD_PENDING
    assert order.fulfilments.filter(is_released=True).count() == 2
    assert order.shipping_address.state == "Hà Tĩnh"  # the reports count buyers by province
    assert len(mailoutbox) == 1 and "Số tiền trả khi nhận hàng" in mailoutbox[0].body

    thanks = client.get("/checkout/thank-you/").content.decode()
    for text in (order.number, "HTX Kẹo cu đơ Đức Thọ", "Cơ sở Nước mắm Thu Hùng", "Số tiền trả khi nhận hàng",
                 "245.000", "Từng người bán sẽ xác nhận", "0912 345 678", "Phường Thành Sen"):
        assert text in thanks, text
    assert "data-print" in thanks and "onclick" not in thanks and "marketplace/js/address" in thanks


def test_vnpay_in_one_post_then_the_payment_page(client, two_sellers):
    basket(client, two_sellers)
    response = client.post("/checkout/", checkout_data("vnpay"))
    assert response.status_code == 302 and response["Location"].startswith(settings.VNPAY_PAYMENT_URL)
    order = Order.objects.get()
    assert order.status == statuses.AWAITING_PAYMENT
    payment = Payment.objects.get(order=order)
    assert payment.status == Payment.PENDING and payment.amount == 245000  # the IPN alone will mark it paid
    assert not order.fulfilments.filter(is_released=True).exists()


def test_a_guest_needs_a_phone_not_an_e_mail(client, two_sellers, mailoutbox):
    basket(client, two_sellers[:1])
    bad = client.post("/checkout/", checkout_data("cod", email="khach@"))
    assert 'id="error-email">Email chưa đúng định dạng; bạn có thể để trống ô này.</div>' in bad.content.decode()
    response = client.post("/checkout/", checkout_data("cod", email=""))
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.guest_email == "" and str(order.shipping_address.phone_number) == "+84912345678"
    assert mailoutbox == []  # nowhere to send it


def test_the_former_steps_lead_to_the_one_page(client, two_sellers):
    basket(client, two_sellers[:1])
    for path in ("/checkout/shipping-address/", "/checkout/shipping-method/", "/checkout/payment-method/",
                 "/checkout/payment-details/", "/checkout/preview/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/checkout/", path


def test_the_default_address_of_the_address_book_pre_fills_checkout(client, django_user_model, two_sellers):
    user = django_user_model.objects.create_user("lan", "lan@example.com", "Mat-Khau-Dai-2026")
    client.force_login(user)
    form = client.get("/accounts/addresses/add/").content.decode()
    assert 'name="province"' in form and 'name="ward"' in form and "Mã vùng" not in form and "postcode" not in form
    assert "Dùng địa chỉ này khi đặt hàng" in form and "Số nhà, tên đường hoặc thôn/xóm" in form
    bad = client.post("/accounts/addresses/add/", {**ADDRESS, "ward": "26743"})  # a ward of another province
    assert "Vui lòng chọn phường/xã nhận hàng." in bad.content.decode()
    response = client.post("/accounts/addresses/add/", {**ADDRESS, "province": "79", "ward": "26743",
                                                         "street": "5 Lê Lợi", "is_default_for_shipping": "on"})
    assert response.status_code == 302
    address = UserAddress.objects.get(user=user)
    assert (address.province_code, address.state, address.ward_code, address.line4) == (
        "79", "Thành phố Hồ Chí Minh", "26743", "Phường Bến Thành")
    assert address.is_default_for_shipping and str(address.phone_number) == "+84912345678"
    edit = client.get(f"/accounts/addresses/{address.pk}/").content.decode()
    assert 'value="5 Lê Lợi"' in edit and '<option value="26743" selected>' in edit

    basket(client, two_sellers[:1])
    page = client.get("/checkout/").content.decode()
    assert 'value="Nguyễn Thị Lan"' in page and 'value="0912 345 678"' in page and 'value="5 Lê Lợi"' in page
    assert '<option value="79" selected>' in page and '<option value="26743" selected>' in page
    assert 'name="email"' not in page  # the account's e-mail is used
    response = client.post("/checkout/", {**ADDRESS, "province": "79", "ward": "26743", "street": "5 Lê Lợi",
                                          "method": "cod", "privacy_consent": "on"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.user == user and order.shipping_address.ward_code == "26743"


def test_checkout_page_query_budget(client, two_sellers, django_assert_max_num_queries):
    basket(client, two_sellers)
    client.get("/checkout/")
    with django_assert_max_num_queries(30):
        assert client.get("/checkout/").status_code == 200
    with django_assert_max_num_queries(32):  # the no-JS "show its wards" reload
        assert client.post("/checkout/", {"province": "42", "choose_province": "1"}).status_code == 200


def test_english_mode_is_complete(client, two_sellers):
    basket(client, two_sellers[:1])
    client.post("/i18n/setlang/", {"language": "en", "next": "/checkout/"})
    page = unescape(client.get("/checkout/").content.decode())
    for text in ("Recipient's full name", "Mobile phone", "Ward / commune", "House number and street, or hamlet",
                 "Pay now with VNPay", "I need a company invoice", "Place order"):
        assert text in page, text
    for text in ("Họ và tên người nhận", "Phường/xã", "Đặt hàng", "Tôi cần hóa đơn công ty"):
        assert text not in page, text


def test_a_mail_server_down_does_not_undo_or_hide_the_order(client, two_sellers, settings, caplog):
    """The confirmation e-mail is sent after the order commits; an SMTP server that refuses the connection
    (a real closed port, not a stub) is logged for the operators and the shopper still sees the order."""
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 5
    basket(client, two_sellers)
    with caplog.at_level("ERROR", logger="marketplace.checkout.views"):
        response = client.post("/checkout/", checkout_data("cod"))
    assert response.status_code == 302 and response["Location"].endswith("/checkout/thank-you/")
    order = Order.objects.get()
    assert order.status == statuses.CASH_ON_DELIVERY and Payment.objects.get(order=order).status == Payment.COD_PENDING
    assert f"Order {order.number}: the confirmation e-mail could not be sent" in caplog.text
    thanks = client.get("/checkout/thank-you/").content.decode()
    assert order.number in thanks and "Số tiền trả khi nhận hàng" in thanks
