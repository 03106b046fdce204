"""Sellers see and change only their own order parts; every move is checked and recorded."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from marketplace.order import statuses
from payments.models import Payment
from tests.checkout import place_order, prepare_checkout
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(client):
    users = {}
    vendors = {}
    for key, name in (("a", "HTX Seller A"), ("b", "Cơ sở Seller B")):
        vendors[key] = create_vendor(name=name)
        users[key] = get_user_model().objects.create_user(username=f"seller-{key}", email=f"{key}@example.com",
                                                          password="pw-Seller-123")
        vendors[key].partner.users.add(users[key])
    products = {k: create_product(vendor=v, price=100000, stock=4) for k, v in vendors.items()}
    order, _ = place_order(client, [(products["a"], 2), (products["b"], 1)], "cod")
    parts = {k: order.fulfilments.get(vendor=v) for k, v in vendors.items()}
    return {"vendors": vendors, "users": users, "products": products, "order": order, "parts": parts}


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def test_seller_sees_only_its_own_parts(client, market):
    as_user(client, market["users"]["a"])
    listing = client.get(reverse("seller:fulfilments"))
    assert listing.status_code == 200
    assert market["parts"]["a"].number in listing.content.decode()
    assert market["parts"]["b"].number not in listing.content.decode()
    own = client.get(reverse("seller:fulfilment", kwargs={"number": market["parts"]["a"].number}))
    assert own.status_code == 200
    other = reverse("seller:fulfilment", kwargs={"number": market["parts"]["b"].number})
    assert client.get(other).status_code == 404
    assert client.post(other, {"action": "cancel", "reason": "x"}).status_code == 404
    market["parts"]["b"].refresh_from_db()
    assert market["parts"]["b"].status == Fulfilment.NEW


def test_anonymous_and_non_sellers_are_refused(client, market):
    client.logout()
    response = client.get(reverse("seller:fulfilments"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    shopper = get_user_model().objects.create_user(username="shopper", email="s@example.com", password="x")
    as_user(client, shopper)
    assert client.get(reverse("seller:fulfilments")).status_code == 403


def test_confirm_ship_deliver_consumes_stock_and_collects_cash(client, market):
    as_user(client, market["users"]["a"])
    part = market["parts"]["a"]
    url = reverse("seller:fulfilment", kwargs={"number": part.number})
    record = StockRecord.objects.get(product=market["products"]["a"])
    assert (record.num_in_stock, record.num_allocated) == (4, 2)

    assert client.post(url, {"action": "ship", "tracking_code": "VN123"}).status_code == 400  # not confirmed yet
    assert client.post(url, {"action": "confirm"}).status_code == 302
    response = client.post(url, {"action": "ship"})
    assert response.status_code == 400
    assert response.context["form"].errors["tracking_code"]
    assert client.post(url, {"action": "ship", "tracking_code": "VNPOST123", "carrier": "VNPost"}).status_code == 302
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (2, 0)
    assert client.post(url, {"action": "deliver"}).status_code == 302
    part.refresh_from_db()
    assert part.status == Fulfilment.DELIVERED and part.tracking_code == "VNPOST123"
    assert [(e.from_status, e.to_status) for e in part.events.all()] == [
        ("", "new"), ("new", "confirmed"), ("confirmed", "shipped"), ("shipped", "delivered")]
    assert part.events.last().actor == market["users"]["a"]

    payment = Payment.objects.get(order=market["order"])
    assert payment.status == Payment.COD_PENDING  # seller B's parcel is still open
    as_user(client, market["users"]["b"])
    url_b = reverse("seller:fulfilment", kwargs={"number": market["parts"]["b"].number})
    assert client.post(url_b, {"action": "cancel"}).status_code == 400  # a reason is required
    assert client.post(url_b, {"action": "cancel", "reason": "Hết hàng"}).status_code == 302
    payment.refresh_from_db()
    order = market["order"]
    order.refresh_from_db()
    assert payment.status == Payment.COD_COLLECTED
    assert order.status == statuses.COMPLETED
    assert StockRecord.objects.get(product=market["products"]["b"]).num_allocated == 0


def test_unpaid_vnpay_parts_are_not_shown_to_sellers(client, market):
    order, _ = place_order(client, [(market["products"]["a"], 1)], "vnpay")
    as_user(client, market["users"]["a"])
    part = order.fulfilments.get()
    assert part.number not in client.get(reverse("seller:fulfilments")).content.decode()
    assert client.get(reverse("seller:fulfilment", kwargs={"number": part.number})).status_code == 404


def test_overselling_is_refused_with_a_clear_message(client, market):
    product = market["products"]["a"]  # 4 in stock, 2 already reserved by the fixture's order
    data = prepare_checkout(client, [(product, 2)], "cod", email="other@example.com")
    record = StockRecord.objects.get(product=product)
    record.num_in_stock = 3  # someone else bought in the meantime: only 1 left for this basket
    record.save()
    response = client.post("/checkout/", data, follow=True)
    assert response.redirect_chain[-1][0].endswith("/basket/")  # Oscar sends the shopper back to fix it
    assert Order.objects.count() == 1  # only the fixture's order
    record.refresh_from_db()
    assert record.num_allocated == 2


def test_stock_is_taken_only_when_enough_is_left(market):
    from marketplace.order.stock import InsufficientStock, stock_release, stock_reserve

    record = StockRecord.objects.get(product=market["products"]["b"])  # 4 in stock, 1 reserved
    stock_reserve(stockrecord_id=record.pk, quantity=3)
    with pytest.raises(InsufficientStock):
        stock_reserve(stockrecord_id=record.pk, quantity=1)
    stock_release(stockrecord_id=record.pk, quantity=3)
    record.refresh_from_db()
    assert (record.num_in_stock, record.num_allocated) == (4, 1)


def test_seller_records_a_cash_refund_for_its_own_line_only(client, market):
    as_user(client, market["users"]["a"])
    part_a, part_b = market["parts"]["a"], market["parts"]["b"]
    url = reverse("seller:fulfilment", kwargs={"number": part_a.number})
    other_line = part_b.lines().get()
    response = client.post(url, {"action": "refund_line", "line": other_line.pk, "quantity": 1, "reason": "x"})
    assert response.status_code == 404  # a line of another seller
    line = part_a.lines().get()
    assert client.post(url, {"action": "refund_line", "line": line.pk, "quantity": 1}).status_code == 400  # no reason
    # Cash on delivery, not delivered yet: no cash was collected, so there is nothing to give back.
    response = client.post(url, {"action": "refund_line", "line": line.pk, "quantity": 1, "reason": "Hộp bị móp"},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "chưa giao" in response.content.decode() and not Payment.objects.get(order=market["order"]).refunds.exists()
    for step in ({"action": "confirm"}, {"action": "ship", "tracking_code": "VNPOST1", "carrier": "VNPost"},
                 {"action": "deliver"}):
        assert client.post(url, step).status_code == 302
    response = client.post(url, {"action": "refund_line", "line": line.pk, "quantity": 1, "reason": "Hộp bị móp"},
                           HTTP_ACCEPT_LANGUAGE="vi", follow=True)
    assert "Đã hoàn 100.000\xa0₫." in response.content.decode()  # an amount, never a bare 100000
    payment = Payment.objects.get(order=market["order"])
    assert payment.amount_refunded == 100000
    refund = payment.refunds.get()
    assert refund.line == line and refund.fulfilment == part_a and refund.actor == market["users"]["a"]


def test_sellers_cannot_open_oscars_order_or_catalogue_dashboard(client, market):
    """Oscar would show a seller every line of an order it has one line in (upstream #2240), and let it
    edit products without moderation; even a seller given Oscar's dashboard permission gets neither."""
    from django.contrib.auth.models import Permission

    seller = market["users"]["a"]
    seller.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
    as_user(client, seller)
    for url in ("/dashboard/orders/", f"/dashboard/orders/{market['order'].number}/", "/dashboard/catalogue/",
                "/dashboard/catalogue/products/create/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "HTX Seller A" not in response.content.decode() or response.status_code != 200
