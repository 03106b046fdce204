"""Accounts with production's switches on (django-axes lockout, rate limits): sign-up on both pages, sign-in
by e-mail or mobile number, the checkout gateway's returning customer, the seller application's account
step, where each role lands, and guests following an order by number and phone."""
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from accounts.models import AccountPhone
from marketplace.roles import DEPARTMENT_GROUP
from tests.checkout import place_order
from tests.factories import create_product, create_vendor

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
PASSWORD = "Nuoc-Mam-Cam-Nhuong-7"


@pytest.fixture(autouse=True)
def production_switches(settings):
    """Lockouts and rate limits on, as in production (pytest switches them off by default)."""
    settings.AXES_ENABLED = True
    settings.RATELIMIT_ENABLE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shopper(django_user_model):
    user = django_user_model.objects.create_user(username="lan", email="lan@example.com", password=PASSWORD)
    AccountPhone.objects.create(user=user, number="0912345678")
    return user


def sign_in(client, login, password, ip="203.0.113.7", next_url=""):
    data = {"login-username": login, "login-password": password, "login_submit": "1",
            "login-redirect_url": next_url}
    return client.post(LOGIN, data, REMOTE_ADDR=ip)


def register_on_login_page(client, **fields):
    data = {"registration-password1": PASSWORD, "registration-password2": PASSWORD, "registration_submit": "1",
            "registration-privacy_consent": "on"}
    data.update({f"registration-{key}": value for key, value in fields.items()})
    return client.post(LOGIN, data)


def signed_in_as(client):
    return client.session.get("_auth_user_id")


# --- A. Sign-up and sign-in answer, with lockouts on -------------------------------------------------------
def test_sign_up_on_the_login_page_signs_the_new_account_in(client, django_user_model):
    response = register_on_login_page(client, email="moi@example.com")
    assert response.status_code == 302
    user = django_user_model.objects.get(email="moi@example.com")
    assert signed_in_as(client) == str(user.pk)


def test_sign_up_on_the_register_page_goes_back_where_the_shopper_was(client, django_user_model):
    response = client.post("/accounts/register/", {"email": "moi@example.com", "password1": PASSWORD,
                                                   "password2": PASSWORD, "redirect_url": "/catalogue/",
                                                   "privacy_consent": "on"})
    assert response.status_code == 302 and response["Location"] == "/catalogue/"
    assert signed_in_as(client) == str(django_user_model.objects.get(email="moi@example.com").pk)


def test_sign_in_with_the_right_and_a_wrong_password(client, shopper):
    response = sign_in(client, "lan@example.com", "sai-mat-khau")
    assert response.status_code == 200
    assert "không khớp với tài khoản nào" in response.content.decode()
    assert signed_in_as(client) is None
    response = sign_in(client, "lan@example.com", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_as(client) == str(shopper.pk)


def test_five_wrong_passwords_give_the_locked_page_not_a_500(client, shopper, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "lan@example.com", "sai-mat-khau").status_code == 200
    response = sign_in(client, "lan@example.com", "sai-mat-khau")
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()
    # The phone number is the same account: locked too.
    response = sign_in(client, "0912 345 678", PASSWORD)
    assert response.status_code == 429
    assert signed_in_as(client) is None


def test_wrong_passwords_typed_with_the_phone_lock_the_account(client, shopper, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "+84912345678", "sai-mat-khau")
    assert sign_in(client, "lan@example.com", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get(username="lan").failures_since_start >= settings.AXES_FAILURE_LIMIT


@pytest.fixture
def basket_client(client):
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    return client


def test_returning_customer_signs_in_from_checkout_right_and_wrong_password(basket_client, shopper):
    # The one checkout page has no gateway: a returning customer follows its "Sign in" link and comes back.
    page = basket_client.get("/checkout/").content.decode()
    assert "/accounts/login/?next=/checkout/" in page
    response = sign_in(basket_client, "lan@example.com", "sai-mat-khau", next_url="/checkout/")
    assert response.status_code == 200 and signed_in_as(basket_client) is None
    response = sign_in(basket_client, "0912 345 678", PASSWORD, next_url="/checkout/")
    assert response.status_code == 302 and response["Location"] == "/checkout/"
    assert signed_in_as(basket_client) == str(shopper.pk)
    assert basket_client.get("/checkout/").status_code == 200  # the basket survived the sign-in


def test_checkout_sign_in_lockout_gives_the_locked_page(basket_client, shopper, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(basket_client, "lan@example.com", "sai", next_url="/checkout/").status_code == 200
    response = sign_in(basket_client, "lan@example.com", "sai", next_url="/checkout/")
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khóa" in response.content.decode()


def test_new_account_from_checkout_then_back_to_checkout(basket_client, django_user_model):
    response = register_on_login_page(basket_client, email="moi@example.com", redirect_url="/checkout/")
    assert response.status_code == 302 and response["Location"] == "/checkout/"
    assert signed_in_as(basket_client) == str(django_user_model.objects.get(email="moi@example.com").pk)
    assert basket_client.get("/checkout/").status_code == 200


def test_seller_application_account_step(client, django_user_model):
    response = client.get("/ban-hang/dang-ky/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ban-hang/dang-ky/"
    page = client.get(response["Location"]).content.decode()
    assert 'value="/ban-hang/dang-ky/"' in page  # both forms carry the way back
    response = register_on_login_page(client, phone="0987 654 321", redirect_url="/ban-hang/dang-ky/")
    assert response.status_code == 302 and response["Location"] == "/ban-hang/dang-ky/"
    assert client.get("/ban-hang/dang-ky/").status_code == 200
    # Signing out and in again with the same mobile number brings the applicant back to the application.
    user = django_user_model.objects.get(phone__number="0987654321")
    client.logout()
    response = sign_in(client, "0987654321", PASSWORD, next_url="/ban-hang/dang-ky/")
    assert response["Location"] == "/ban-hang/dang-ky/"
    assert signed_in_as(client) == str(user.pk)


def test_sign_up_posts_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "2/d"}
    for index in range(2):
        client.post("/accounts/register/", {"email": f"a{index}@example.com", "password1": "x",
                                            "password2": "x"}, REMOTE_ADDR="192.0.2.1")
    response = client.post("/accounts/register/", {"email": "b@example.com", "password1": PASSWORD,
                                                   "password2": PASSWORD}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429


# --- C. E-mail or mobile number; where each role lands --------------------------------------------------
def test_sign_up_with_only_a_mobile_number_then_sign_in_with_it_in_any_spelling(client, django_user_model):
    response = register_on_login_page(client, phone="+84 987 654 321")
    assert response.status_code == 302
    user = django_user_model.objects.get(phone__number="0987654321")
    assert user.email == ""
    client.logout()
    for spelling in ("0987654321", "0987 654 321", "+84987654321", "0987.654.321"):
        response = sign_in(client, spelling, PASSWORD)
        assert response.status_code == 302, spelling
        assert signed_in_as(client) == str(user.pk)
        client.logout()
    page = client.get(LOGIN).content.decode()
    assert "Email hoặc số điện thoại" in page


def test_sign_up_refuses_bad_and_taken_numbers_and_needs_one_of_the_two(client, shopper):
    html = register_on_login_page(client, phone="0212345678").content.decode()  # a landline
    assert "Số điện thoại di động" in html and "10 chữ số" in html
    html = register_on_login_page(client, phone="0912 345 678").content.decode()
    assert "Số điện thoại này đã được dùng cho một tài khoản khác." in html
    html = register_on_login_page(client).content.decode()
    assert "Vui lòng nhập email hoặc số điện thoại." in html
    assert signed_in_as(client) is None


def test_the_profile_shows_the_number_the_vietnamese_way(client, shopper):
    client.force_login(shopper)
    html = client.get("/accounts/profile/").content.decode()
    assert "0912 345 678" in html


def test_the_number_can_be_added_changed_or_removed_on_the_profile(client, shopper, django_user_model):
    client.force_login(shopper)
    assert 'value="0912 345 678"' in client.get("/accounts/profile/edit/").content.decode()
    response = client.post("/accounts/profile/edit/", {"first_name": "Lan", "last_name": "Nguyễn",
                                                       "email": "lan@example.com", "phone": "+84 977 111 222"})
    assert response.status_code == 302
    assert AccountPhone.objects.get(user=shopper).number == "0977111222"
    other = django_user_model.objects.create_user("binh", "binh@example.com", PASSWORD)
    AccountPhone.objects.create(user=other, number="0988000111")
    html = client.post("/accounts/profile/edit/", {"email": "lan@example.com", "phone": "0988 000 111"}
                       ).content.decode()
    assert "Số điện thoại này đã được dùng cho một tài khoản khác." in html
    html = client.post("/accounts/profile/edit/", {"email": "", "phone": ""}).content.decode()
    assert "Vui lòng nhập email hoặc số điện thoại." in html
    assert client.post("/accounts/profile/edit/", {"email": "lan@example.com", "phone": ""}).status_code == 302
    assert not AccountPhone.objects.filter(user=shopper).exists()


def test_shoppers_return_where_they_were(client, shopper):
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    page = client.get(product.get_absolute_url()).content.decode()
    login_link = f'href="/accounts/login/?next={product.get_absolute_url()}"'
    assert login_link in page
    response = sign_in(client, "0912345678", PASSWORD, next_url=product.get_absolute_url())
    assert response["Location"] == product.get_absolute_url()
    client.logout()
    response = sign_in(client, "lan@example.com", PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == "/"


def test_sellers_land_in_their_workspace_and_the_department_on_its_home(client, django_user_model):
    vendor = create_vendor()
    seller = django_user_model.objects.create_user("nguoiban", "nguoiban@example.com", PASSWORD)
    vendor.partner.users.add(seller)
    assert sign_in(client, "nguoiban@example.com", PASSWORD)["Location"] == "/ban-hang/"
    assert client.get(LOGIN)["Location"] == "/ban-hang/"  # already signed in
    assert client.get("/ban-hang/").status_code == 200
    client.logout()
    officer = django_user_model.objects.create_user("so", "so@example.com", PASSWORD, is_staff=True)
    officer.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    assert sign_in(client, "so@example.com", PASSWORD)["Location"] == "/so-cong-thuong/"
    assert client.get(LOGIN)["Location"] == "/so-cong-thuong/"
    client.logout()
    # A shopper (neither) lands on the shop; where it was going wins.
    django_user_model.objects.create_user("lan", "lan@example.com", PASSWORD)
    assert sign_in(client, "lan@example.com", PASSWORD)["Location"] == "/"
    client.logout()
    assert sign_in(client, "lan@example.com", PASSWORD, next_url="/catalogue/")["Location"] == "/catalogue/"
    client.logout()
    # An explicit safe "next" still wins over a role's landing; an unsafe one is ignored.
    assert sign_in(client, "nguoiban@example.com", PASSWORD, next_url="/ban-hang/don-hang/")["Location"] == \
        "/ban-hang/don-hang/"
    client.logout()
    assert sign_in(client, "so@example.com", PASSWORD, next_url="/bao-cao/")["Location"] == "/bao-cao/"
    client.logout()
    assert sign_in(client, "nguoiban@example.com", PASSWORD, next_url="https://evil.example/ban-hang/"
                   )["Location"] == "/ban-hang/"
    client.logout()
    assert sign_in(client, "so@example.com", PASSWORD, next_url="//evil.example/")["Location"] == "/so-cong-thuong/"


# --- C. Guests follow an order by its number and phone -----------------------------------------------------
@pytest.fixture
def guest_order(client):
    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ Thành Đạt", price=150000)
    order, _ = place_order(client, [(product, 2)], "cod")
    return order


def test_guest_finds_the_order_by_number_and_phone(guest_order, django_assert_max_num_queries):
    guest = Client()
    page = guest.get("/don-hang/tra-cuu/").content.decode()
    assert "Tra cứu đơn hàng" in page and "Enter the following information" not in page
    response = guest.post("/don-hang/tra-cuu/", {"number": guest_order.number, "contact": "0912 345 678"})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/order-status/{guest_order.number}/")
    with django_assert_max_num_queries(40):
        html = guest.get(response["Location"]).content.decode()
    assert "2 × Kẹo cu đơ Thành Đạt" in html and "300.000" in html
    assert "Thanh toán khi nhận hàng" in html


def test_guest_finds_the_order_by_e_mail_too(guest_order):
    guest = Client()
    response = guest.post("/don-hang/tra-cuu/", {"number": f"#{guest_order.number}", "contact": "KHACH@example.com"})
    assert response.status_code == 302
    assert guest.get(response["Location"]).status_code == 200


def test_a_wrong_phone_finds_nothing_and_says_so_in_vietnamese(guest_order):
    guest = Client()
    response = guest.post("/don-hang/tra-cuu/", {"number": guest_order.number, "contact": "0987 654 321"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn hàng nào" in response.content.decode()
    response = guest.post("/don-hang/tra-cuu/", {"number": guest_order.number, "contact": "abc"})
    assert "Vui lòng nhập số điện thoại" in response.content.decode()
    hash_url = f"/accounts/order-status/{guest_order.number}/{guest_order.verification_hash()}/"
    assert guest.get(hash_url).status_code == 302  # nothing shown without the phone or e-mail


def test_the_e_mail_link_asks_for_the_phone_in_the_site_design(guest_order):
    guest = Client()
    hash_url = f"/accounts/order-status/{guest_order.number}/{guest_order.verification_hash()}/"
    response = guest.get(hash_url)
    form_url = response["Location"]
    html = guest.get(form_url).content.decode()
    assert guest_order.number in html and "Submit" not in html and "Xem đơn hàng" in html
    response = guest.post(form_url, {"contact": "0912345678"})
    assert response["Location"] == hash_url
    assert guest.get(hash_url).status_code == 200


def test_order_lookup_is_rate_limited(guest_order, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "order_lookup": "3/d"}
    guest = Client()
    for _ in range(3):
        guest.post("/don-hang/tra-cuu/", {"number": guest_order.number, "contact": "0987654321"},
                   REMOTE_ADDR="192.0.2.5")
    response = guest.post("/don-hang/tra-cuu/", {"number": guest_order.number, "contact": "0912345678"},
                          REMOTE_ADDR="192.0.2.5")
    assert response.status_code == 429


def test_sign_out_takes_a_post_from_the_sites_own_form(client, shopper):
    """A link or image on another site (a GET) cannot sign anybody out; the header's form (a POST) does."""
    client.force_login(shopper)
    page = client.get("/accounts/logout/")
    assert page.status_code == 200 and signed_in_as(client) == str(shopper.pk)
    assert 'method="post" action="/accounts/logout/"' in page.content.decode()
    header = client.get("/accounts/profile/").content.decode()
    assert 'id="logout_link" type="submit"' in header
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and signed_in_as(client) is None
    assert client.get("/accounts/logout/").status_code == 302  # signed out: nothing to ask


def test_guest_checkout_with_an_accounts_email_does_not_reveal_the_account(client, shopper):
    from tests.checkout import place_order

    product = create_product(vendor=create_vendor(), title="Kẹo cu đơ", price=150000)
    order, location = place_order(client, [(product, 1)], "cod", email="lan@example.com")
    page = client.get(location).content.decode()
    assert order.user_id is None and "tài khoản" not in page.lower().replace("tài khoản của tôi", "")
