"""A newcomer's first hour, as `make run` serves it (issue 14): the site started by `manage.py serve` on a
non-default port, with SQLite as its database and the lockouts and rate limits on, no VNPay or e-invoice URL
configured. A new shopper signs up, buys with VNPay on the local sandbox, the seller delivers in the browser,
and the delivery's invoice comes back coded by the local provider.
"""
import pytest
from django.db import connection

from tests.marketplace.served_site import ServedSite, build_database, poll, populate, query

from .helpers import PHONE, add_to_basket, new_page, shot, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "Mat-Ong-Huong-Son-2026"


@pytest.fixture
def newcomers_site(tmp_path, transactional_db):
    db_path = tmp_path / "make-run.sqlite3"
    build_database(db_path, connection.settings_dict)
    data = populate(db_path, SHIPPED_PARTS="0")
    with ServedSite(db_path, tmp_path / "serve.log", AXES_ENABLED="True", RATELIMIT_ENABLE="True") as site:
        assert site.port != 8000
        yield site, db_path, data


def test_sign_up_pay_with_vnpay_deliver_and_get_a_coded_invoice(browser, newcomers_site):
    site, db_path, data = newcomers_site
    product_url = site.url + data["products"][1]["url"]

    # A new shopper, on a phone: sign up from the product page and come back to it.
    context, page = new_page(browser, PHONE)
    try:
        page.goto(product_url)
        page.click("#login_link")
        page.fill("#id_registration-email", "lan.nguyen@example.com")
        page.fill("#id_registration-password1", PASSWORD)
        page.fill("#id_registration-password2", PASSWORD)
        page.check("#id_registration-privacy_consent")
        shot(page, "newcomer-01-sign-up")
        page.click("button[name=registration_submit]")
        page.wait_for_url(product_url)
        add_to_basket(page)

        # The one checkout page → VNPay's sandbox on this same port → paid.
        page.goto(site.url + "/checkout/")
        page.fill("input[name=full_name]", "Nguyễn Thị Lan")
        page.fill("input[name=phone]", "0912345678")
        page.select_option("select[name=province]", "42")
        page.locator("select[name=ward] option[value='18073']").wait_for(state="attached")
        page.select_option("select[name=ward]", "18073")
        page.fill("input[name=street]", "12 Trần Phú")
        page.check("input[name=method][value=vnpay]")
        page.check("input[name=privacy_consent]")
        page.click("#place-order")
        page.wait_for_url(f"{site.url}/sandbox/vnpay/paymentv2/vpcpay.html*")
        shot(page, "newcomer-02-vnpay-sandbox")
        page.click("button[name=outcome][value=success]")
        page.wait_for_url(f"{site.url}/payments/vnpay/return/*")
        assert page.locator("[data-outcome=paid]").is_visible(), visible_text(page)
        shot(page, "newcomer-03-paid")
        assert page.js_errors == []
    finally:
        context.close()

    (number, status), = query(db_path, "SELECT o.number, p.status FROM order_order o JOIN payments_payment p "
                                       "ON p.order_id = o.id JOIN auth_user u ON u.id = o.user_id "
                                       "WHERE u.email = ?", "lan.nguyen@example.com")
    assert status == "paid"
    (part,), = query(db_path, "SELECT f.number FROM vendors_fulfilment f JOIN order_order o ON o.id = f.order_id "
                              "WHERE o.number = ?", number)

    # The seller, signed in, delivers on its own order page.
    context, page = new_page(browser, PHONE)
    try:
        context.add_cookies([{"name": "sessionid", "value": data["seller_session"], "url": site.url}])
        page.goto(f"{site.url}/ban-hang/don-hang/{part}/")
        page.get_by_role("button", name="Xác nhận đơn hàng").click()
        page.wait_for_selector(".status--confirmed")
        form = page.locator("form:has(input[name=tracking_code])")
        form.locator("input[name=carrier]").fill("VNPost")
        form.locator("input[name=tracking_code]").fill("EN123456789VN")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(".status--shipped")
        page.locator("form:has(input[name=action][value=deliver]) button[type=submit]").click()
        page.wait_for_selector(".status--delivered")
        shot(page, "newcomer-04-delivered")
    finally:
        context.close()

    # The local provider codes the invoice of that delivery (sent after commit, or by the scheduler).
    code = poll(lambda: [row[0] for row in query(
        db_path, "SELECT i.tax_authority_code FROM invoicing_invoice i JOIN vendors_fulfilment f "
                 "ON f.id = i.fulfilment_id WHERE f.number = ? AND i.provider_status = 'accepted'", part)],
        timeout=300, message="the delivery's invoice was never coded:\n" + site.output()[-3000:])[0]
    assert len(code) == 34 and code.isalnum()
    log = site.output()
    assert "Traceback" not in log and "database is locked" not in log, log[-3000:]
