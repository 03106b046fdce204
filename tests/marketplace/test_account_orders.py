"""A signed-in shopper's own order pages under /accounts/orders/."""
import pytest
from django.test import Client

from tests.checkout import ADDRESS
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_of_an(django_user_model):
    user = django_user_model.objects.create_user("an", "an@example.com", "Mat-Khau-Dai-2026")
    client = Client()
    client.force_login(user)
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 2})
    client.get("/checkout/")  # the page (and the basket's messages) as the shopper sees them
    assert client.post("/checkout/", {**ADDRESS, "method": "cod", "privacy_consent": "on"}).status_code == 302
    return client, user.orders.get()


def test_order_page_shows_the_status_in_vietnamese_and_each_parcel_once(order_of_an):
    client, order = order_of_an
    html = client.get(f"/accounts/orders/{order.number}/").content.decode()
    assert "Thanh toán khi nhận hàng" in html  # the status label, not Oscar's raw key
    assert "Cash on delivery" not in html
    assert "Thanh toán khi nhận hàng – Thanh toán khi nhận hàng" not in html  # the method, not said twice
    assert html.count("2 × Kẹo cu đơ Thành Đạt") == 1
    assert "300.000" in html
    assert "0912 345 678" in html and "+84912345678" not in html


def test_order_line_url_answers_get_and_unknown_lines_without_a_500(order_of_an, django_user_model):
    client, order = order_of_an
    line = order.lines.get()
    response = client.get(f"/accounts/orders/{order.number}/{line.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/accounts/orders/{order.number}/"
    assert client.get(f"/accounts/orders/{order.number}/999999/").status_code == 404
    assert client.post(f"/accounts/orders/{order.number}/999999/", {"action": "reorder"}).status_code == 404
    # Re-ordering a line puts it back in the basket.
    assert client.post(f"/accounts/orders/{order.number}/{line.pk}/", {"action": "reorder"})["Location"] == "/basket/"
    stranger = Client()
    stranger.force_login(django_user_model.objects.create_user("binh", "binh@example.com", "Mat-Khau-Dai-2026"))
    assert stranger.get(f"/accounts/orders/{order.number}/{line.pk}/").status_code == 404
    assert Client().get(f"/accounts/orders/{order.number}/{line.pk}/").status_code == 302  # to the login page
