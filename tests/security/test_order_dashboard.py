"""Oscar's order dashboard cannot move an order around the services that own payments, stock, the ledger
and invoices, and it is for administrators only: the department does not read buyers' personal data
there (issue 15, point 6)."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from oscar.core.loading import get_model

from marketplace.order import statuses
from marketplace.roles import DEPARTMENT_GROUP
from payments.models import Payment
from tests.checkout import prepare_checkout
from tests.factories import create_product, create_vendor
from vendors.models import Fulfilment

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpaid_order(client):
    product = create_product(vendor=create_vendor(name="HTX Cam Vũ Quang"), price=120000, stock=10)
    data = {**prepare_checkout(client, [(product, 1)], "vnpay"), "full_name": '=HYPERLINK("http://x","Lan")'}
    assert client.post("/checkout/", data).status_code == 302
    return Order.objects.get()


@pytest.fixture
def admin_client():
    admin = get_user_model().objects.create_superuser(username="quan-tri", email="qt@example.com", password="x" * 12)
    client = Client()
    client.force_login(admin)
    return client


def snapshot(order):
    order.refresh_from_db()
    payment = Payment.objects.get(order=order)
    record = StockRecord.objects.get(product=order.lines.get().product)
    return (order.status, payment.status, list(order.fulfilments.values_list("status", flat=True)),
            list(order.lines.values_list("status", flat=True)), record.num_allocated, order.payment_events.count(),
            order.shipping_events.count())


def test_an_administrator_cannot_mark_an_unpaid_order_paid_or_cancel_it_from_oscars_screen(admin_client, unpaid_order):
    order = unpaid_order
    before = snapshot(order)
    assert before[0] == statuses.AWAITING_PAYMENT and before[1] == Payment.PENDING
    url = f"/dashboard/orders/{order.number}/"
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    assert "Trạng thái đơn hàng đi theo các kiện hàng" in page.content.decode()  # says where status changes
    assert 'value="change_order_status"' not in page.content.decode()
    assert 'name="line_action"' not in page.content.decode()

    line = order.lines.get()
    attempts = [
        {"order_action": "change_order_status", "new_status": statuses.PAID},
        {"order_action": "change_order_status", "new_status": statuses.CANCELLED},
        {"order_action": "create_order_payment_event", "amount": "120000", "event_type": "1"},
        {"line_action": "change_line_statuses", "selected_line": line.pk, "new_status": "Shipped"},
        {"line_action": "create_shipping_event", "selected_line": line.pk, "shipping_event_type": "1"},
        {"line_action": "create_payment_event", "selected_line": line.pk, "payment_event_type": "1", "amount": "1"},
    ]
    for data in attempts:
        admin_client.post(url, data)
        assert snapshot(order) == before, data
    admin_client.post("/dashboard/orders/", {"action": "change_order_statuses", "selected_order": order.pk,
                                             "new_status": statuses.PAID})
    assert snapshot(order) == before
    assert Fulfilment.objects.filter(order=order, status=Fulfilment.NEW).count() == 1  # still waits for the IPN

    # Notes still work; the CSV of orders is safe to open in a spreadsheet.
    admin_client.post(url, {"order_action": "save_note", "message": "Khách gọi hỏi đơn"})
    assert order.notes.get().message == "Khách gọi hỏi đơn"
    csv = admin_client.post("/dashboard/orders/", {"action": "download_selected_orders", "selected_order": order.pk})
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in csv.content.decode() and ",=HYPERLINK" not in csv.content.decode()


def test_the_department_does_not_read_buyers_details_in_oscars_order_dashboard(unpaid_order):
    officer = get_user_model().objects.create_user(username="so-cong-thuong", email="sct@example.com",
                                                   password="x" * 12, is_staff=True)
    officer.groups.add(Group.objects.get_or_create(name=DEPARTMENT_GROUP)[0])
    client = Client()
    client.force_login(officer)
    for url in ("/dashboard/orders/", f"/dashboard/orders/{unpaid_order.number}/",
                f"/dashboard/orders/{unpaid_order.number}/shipping-address/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "0912" not in response.content.decode()
