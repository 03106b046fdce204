"""The delivery address names one of the 34 provinces and cities, which the department's reports count."""
import pytest
from django.test import Client
from oscar.core.loading import get_model

from places.provinces import PROVINCES
from tests.checkout import ADDRESS
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


@pytest.fixture
def guest():
    client = Client()
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/checkout/", {"username": "khach@example.com", "options": "anonymous"})
    return client


def test_the_province_is_chosen_from_the_list(guest):
    page = guest.get("/checkout/shipping-address/").content.decode()
    assert '<select name="state"' in page and "Thành phố Hồ Chí Minh" in page and "Hà Tĩnh" in page
    for state in ("", "Sài Gòn", "Hà Tây"):  # missing, informal, abolished in 2008
        response = guest.post("/checkout/shipping-address/", {**ADDRESS, "state": state})
        assert response.status_code == 200
        assert "Vui lòng chọn tỉnh/thành phố nhận hàng." in response.content.decode()
    response = guest.post("/checkout/shipping-address/", {**ADDRESS, "state": "Thành phố Hồ Chí Minh"})
    assert response.status_code == 302
    guest.get("/checkout/shipping-method/")
    guest.post("/checkout/preview/", {"method": "cod"})
    assert guest.post("/checkout/preview/", {"action": "place_order"}).status_code == 302
    assert Order.objects.get().shipping_address.state == "Thành phố Hồ Chí Minh"


def test_the_list_is_the_34_units_in_force_since_july_2025():
    assert len(PROVINCES) == 34
    assert {"Hà Tĩnh", "Nghệ An", "Quảng Trị", "Thành phố Huế"} <= set(PROVINCES)
    assert not {"Quảng Bình", "Hà Giang", "Bình Định"} & set(PROVINCES)  # merged into Quảng Trị, Tuyên Quang, Gia Lai
