"""The seller workspace as a household reads it on a phone: orders as cards that say how the buyer pays and
how much to collect, a history in words, a statement without English or "−0 ₫", invoices by their kind with
their downloads, and a sales chart whose order axis counts in whole numbers."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from payments.models import Payment
from tests.checkout import place_order
from tests.factories import create_product, create_vendor
from tests.payments.test_ipn import ipn, ipn_params
from vendors.models import Fulfilment

pytestmark = pytest.mark.django_db

PASSWORD = "pw-Seller-123"


@pytest.fixture
def seller(client):
    vendor = create_vendor(name="Hộ kinh doanh Lê Thị Bình")
    vendor.shipping_fee = 30000
    vendor.save(update_fields=["shipping_fee"])
    user = get_user_model().objects.create_user(username="binh", email="binh@example.com", password=PASSWORD)
    vendor.partner.users.add(user)
    product = create_product(vendor=vendor, title="Mật ong rừng Vũ Quang", price=250000, stock=20)
    cod, _ = place_order(client, [(product, 2)], "cod")
    vnpay, _ = place_order(Client(), [(product, 1)], "vnpay")
    assert ipn(Client(), ipn_params(vnpay.payments.get()))["RspCode"] == "00"
    seller_client = Client()
    seller_client.force_login(user)
    return {"vendor": vendor, "user": user, "client": seller_client, "product": product,
            "cod": cod.fulfilments.get(), "vnpay": vnpay.fulfilments.get()}


def card(html, number):
    match = re.search(rf'<li class="work-card" data-number="{re.escape(number)}">(.*?)</li>', html, re.S)
    assert match, f"no card for {number}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).replace("\xa0", " ")


def test_order_cards_say_how_the_buyer_pays_and_what_to_collect(seller, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        html = seller["client"].get("/ban-hang/don-hang/").content.decode()
    cod = card(html, seller["cod"].number)
    assert "Thanh toán khi nhận hàng (COD)" in cod
    assert "Thu của người mua 530.000 ₫" in cod  # 2 × 250.000 + 30.000 shipping
    assert "Phường Thành Sen, Tỉnh Hà Tĩnh" in cod or "Phường Thành Sen" in cod  # the buyer's commune
    assert "Mới" in cod or "Đơn mới" in cod
    assert "Xác nhận" in cod  # the next step, as a button
    paid = card(html, seller["vnpay"].number)
    assert "Đã thanh toán qua VNPay" in paid and "Thu của người mua không thu" in paid
    assert 'name="action" value="confirm"' in html
    # The card's button does the step.
    response = seller["client"].post(f"/ban-hang/don-hang/{seller['cod'].number}/", {"action": "confirm"})
    assert response.status_code == 302
    html = seller["client"].get("/ban-hang/don-hang/").content.decode()
    assert "Giao cho đơn vị vận chuyển" in card(html, seller["cod"].number)


def test_order_page_says_how_much_to_collect_and_tells_its_history_in_words(seller):
    client, number = seller["client"], seller["cod"].number
    html = client.get(f"/ban-hang/don-hang/{number}/").content.decode()
    assert "Đơn vị vận chuyển thu của người mua <strong>530.000\xa0₫</strong>." in html
    client.post(f"/ban-hang/don-hang/{number}/", {"action": "confirm"})
    client.post(f"/ban-hang/don-hang/{number}/", {"action": "ship", "tracking_code": "VTP123", "carrier": "VNPost"})
    client.post(f"/ban-hang/don-hang/{number}/", {"action": "deliver"})
    html = client.get(f"/ban-hang/don-hang/{number}/").content.decode()
    history = re.search(r'<ul class="history" id="history">(.*?)</ul>', html, re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", history))
    for words in ("Đơn hàng được đặt", "Đã xác nhận", "Đã giao cho đơn vị vận chuyển", "Đã giao đến người mua"):
        assert words in text, text
    for raw in ("→", "new", "confirmed", "order placed", "shipped", "delivered"):
        assert raw not in text, (raw, text)
    assert "Đã thu 530.000\xa0₫ của người mua khi giao hàng." in html
    paid = client.get(f"/ban-hang/don-hang/{seller['vnpay'].number}/").content.decode()
    assert "Người mua đã thanh toán trực tuyến: không thu tiền khi giao hàng." in paid


def test_statement_reads_in_vietnamese_without_minus_zero(seller):
    client, number = seller["client"], seller["cod"].number
    for data in ({"action": "confirm"}, {"action": "ship", "tracking_code": "VTP1"}, {"action": "deliver"}):
        assert client.post(f"/ban-hang/don-hang/{number}/", data).status_code == 302
    html = client.get("/ban-hang/doi-soat/").content.decode()
    assert "cash collected by the seller" not in html
    assert "bạn đã thu tiền mặt của người mua" in html
    assert "−0\xa0₫" not in html and "-0\xa0₫" not in html
    summary = re.sub(r"<[^>]+>", " ", re.search(r'id="statement-summary">(.*?)</table>', html, re.S).group(1))
    summary = re.sub(r"\s+", " ", summary).replace("\xa0", " ")
    assert "Hoàn tiền 0 ₫" in summary  # no refund: "0 ₫", not "−0 ₫"
    assert "Phí hoa hồng −25.000 ₫" in summary  # 5 % of 500.000
    assert "Số dư cuối kỳ" in summary and "Bạn còn nợ sàn khoản phí hoa hồng này" in summary
    assert "+500.000\xa0₫" in html and "−530.000\xa0₫" in html  # the entries, signed
    csv = client.get("/ban-hang/doi-soat/?format=csv").content.decode("utf-8-sig")
    assert "bạn đã thu tiền mặt của người mua" in csv and "cash collected" not in csv


def test_invoice_list_names_the_kind_and_offers_both_downloads(client):
    from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor

    from invoicing.services import invoice_issue_for_fulfilment

    vendor = create_invoicing_vendor()
    product = create_product(vendor=vendor, title="Kẹo cu đơ", price=100000, stock=10)
    part = create_delivered_part(vendor=vendor, items=[(product, 1, 100000, 0)], method=Payment.COD)
    invoice = invoice_issue_for_fulfilment(fulfilment=part)
    user = get_user_model().objects.create_user(username="hd", email="hd@example.com", password=PASSWORD)
    vendor.partner.users.add(user)
    client.force_login(user)
    html = client.get("/ban-hang/hoa-don/").content.decode()
    assert "Hóa đơn gốc" in html and "Nguồn gốc" not in html
    assert f'href="/ban-hang/hoa-don/{invoice.pk}/pdf/"' in html or "Tải PDF" in html
    assert "Tải PDF" in html and "Tải XML" in html
    assert client.get(re.search(r'href="([^"]+)">Tải XML', html).group(1)).status_code == 200


def test_orders_axis_of_the_sales_chart_counts_in_whole_numbers():
    import datetime

    from reports.charts import trend_chart

    trend = [{"month": datetime.date(2026, m, 1), "orders": n, "gmv": n * 250000} for m, n in
             ((8, 4), (9, 3), (10, 2), (11, 4), (12, 1))]
    svg = trend_chart(trend).svg()
    axis = svg[svg.index('id="matplotlib.axis_2"'):]
    axis = axis[:axis.index('id="matplotlib.axis_3"')] if 'id="matplotlib.axis_3"' in axis else axis
    labels = re.findall(r">\s*([\d.,]+)\s*</text>", axis)
    assert labels and all(re.fullmatch(r"\d+", label) for label in labels), labels
    assert len(labels) == len(set(labels)), labels
