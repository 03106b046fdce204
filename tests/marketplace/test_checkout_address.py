"""The one-page checkout's delivery address: the whole country's provinces and wards/communes (since
01/07/2025, by GSO code), a Vietnamese mobile number, errors next to the field, in Vietnamese."""
import pytest
from django.test import Client
from oscar.core.loading import get_model

from marketplace.checkout.address import format_vn_phone
from marketplace.checkout.forms import CheckoutDetailsForm
from places.models import Province, Ward
from places.provinces import PROVINCES
from tests.checkout import ADDRESS, checkout_data
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")


@pytest.fixture
def guest():
    client = Client()
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    return client


def test_the_page_offers_the_34_units_and_the_wards_follow_the_province(guest):
    page = guest.get("/checkout/").content.decode()
    assert '<select name="province"' in page and "Thành phố Hồ Chí Minh" in page and "Hà Tĩnh" in page
    assert "Chọn tỉnh/thành phố trước" in page  # no ward list before a province
    # Without JavaScript: "show its wards" reloads the page with that province's list, no errors yet.
    page = guest.post("/checkout/", {"province": "79", "choose_province": "1", "full_name": "An"}).content.decode()
    assert "Phường Bến Thành" in page and "Phường Thành Sen" not in page and "invalid-feedback" not in page
    assert 'value="An"' in page
    # With JavaScript: the same list from the JSON endpoint.
    wards = guest.get("/dia-chi/phuong-xa/42.json").json()["wards"]
    assert len(wards) == 69 and ["18073", "Phường Thành Sen"] in wards


def test_a_ward_of_another_province_or_a_missing_one_is_refused_inline(guest):
    for province, ward in (("79", "18073"), ("42", ""), ("42", "99999")):
        response = guest.post("/checkout/", checkout_data("cod", province=province, ward=ward))
        assert response.status_code == 200
        page = response.content.decode()
        assert '<div class="invalid-feedback d-block" id="error-ward">Vui lòng chọn phường/xã nhận hàng.</div>' in page
    for state in ("", "Sài Gòn", "99"):  # missing, informal, unknown
        response = guest.post("/checkout/", checkout_data("cod", province=state))
        assert "Vui lòng chọn tỉnh/thành phố nhận hàng." in response.content.decode()
    assert not Order.objects.exists()


def test_errors_are_next_to_their_fields_in_vietnamese(guest):
    response = guest.post("/checkout/", {"province": "42"})
    page = response.content.decode()
    assert response.status_code == 200
    for field, message in (("full_name", "Vui lòng nhập họ và tên người nhận."),
                           ("phone", "Vui lòng nhập số điện thoại di động để người giao hàng liên lạc."),
                           ("street", "Vui lòng nhập số nhà và tên đường, hoặc thôn/xóm."),
                           ("method", "Vui lòng chọn cách thanh toán.")):
        assert f'id="error-{field}">{message}</div>' in page, field
    bad_phone = guest.post("/checkout/", checkout_data("cod", phone="0123 456")).content.decode()
    assert 'id="error-phone">Số điện thoại di động gồm 10 chữ số' in bad_phone
    assert not Order.objects.exists()


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"])
def test_the_phone_is_stored_normalised_and_shown_the_vietnamese_way(guest, typed):
    assert guest.post("/checkout/", checkout_data("cod", phone=typed)).status_code == 302
    address = Order.objects.get().shipping_address
    assert str(address.phone_number) == "+84912345678"
    assert format_vn_phone(address.phone_number) == "0912 345 678"
    assert "0912 345 678" in guest.get("/checkout/thank-you/").content.decode()


def test_the_order_keeps_the_codes_and_the_names_chosen(guest):
    response = guest.post("/checkout/", checkout_data("cod", province="79", ward="26743", note="Gọi trước 15 phút"))
    assert response.status_code == 302
    address = Order.objects.get().shipping_address
    assert (address.province_code, address.state) == ("79", "Thành phố Hồ Chí Minh")  # the reports count by state
    assert (address.ward_code, address.line4) == ("26743", "Phường Bến Thành")
    assert address.line1 == "12 Trần Phú" and address.first_name == "Nguyễn Thị Lan"
    assert address.notes == "Gọi trước 15 phút"


def test_an_order_keeps_what_the_shopper_chose_when_the_ward_is_merged_later(guest):
    assert guest.post("/checkout/", checkout_data("cod")).status_code == 302
    # Later the ward is renamed and merged into another unit: the order still says what was chosen.
    Ward.objects.filter(code="18073").update(name="Phường Thành Sen Mới")
    Ward.objects.filter(code="18073").delete()
    address = Order.objects.get().shipping_address
    address.refresh_from_db()
    assert (address.ward_code, address.line4, address.state) == ("18073", "Phường Thành Sen", "Hà Tĩnh")
    assert "Phường Thành Sen" in guest.get("/checkout/thank-you/").content.decode()


def test_every_province_and_ward_of_the_list_can_be_chosen():
    """The whole list (34 provinces, 3,321 wards/communes) through the form, each stored with its code."""
    assert Province.objects.count() == 34 and Ward.objects.count() == 3321
    assert set(Province.objects.values_list("name", flat=True)) == set(PROVINCES)
    seen = set()
    for ward in Ward.objects.select_related("province").order_by("code"):
        form = CheckoutDetailsForm({**ADDRESS, "province": ward.province_id, "ward": ward.code, "privacy_consent": "on"})
        assert form.is_valid(), (ward.code, form.errors)
        fields = form.address_fields()
        assert (fields["ward_code"], fields["line4"], fields["province_code"], fields["state"]) == (
            ward.code, ward.name, ward.province_id, ward.province.name)
        seen.add(ward.province_id)
    assert len(seen) == 34


def test_the_list_is_the_34_units_in_force_since_july_2025():
    assert len(PROVINCES) == 34
    assert {"Hà Tĩnh", "Nghệ An", "Quảng Trị", "Thành phố Huế"} <= set(PROVINCES)
    assert not {"Quảng Bình", "Hà Giang", "Bình Định"} & set(PROVINCES)  # merged into Quảng Trị, Tuyên Quang, Gia Lai
