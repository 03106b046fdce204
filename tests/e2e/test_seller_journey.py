"""Journey 2 — a household becomes a seller on a phone and makes its first sale: a community digital team
member files the application for it, the department approves it, the household logs in and lists a product,
the department approves the listing and the product is on sale in the catalogue and on the seller's
storefront; the household signs the e-invoicing authorisation, a shopper on a desktop buys the product and
pays on the VNPay sandbox, the household confirms, ships with a tracking code and marks it delivered, then
finds the invoice (XML and PDF), the sale in its statement and in its own statistics."""
import re
from pathlib import Path

import pytest

from catalogue.models import ListingChange, OcopClassification, Product
from marketplace.roles import COMMUNITY_GROUP, DEPARTMENT_GROUP
from invoicing.models import Invoice
from onboarding.models import VendorApplication
from vendors.models import Fulfilment, Vendor

from . import helpers
from .helpers import (
    DESKTOP, PHONE, add_to_basket, checkout_as_guest, download, fulfil_in_browser, jpeg_file, log_in, make_user,
    new_page, open_guest_order, order_part, pay_on_vnpay_sandbox, pdf_file, use_sandboxes, visible_text,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

#: A household business without a tax code uses the owner's citizen ID (born 1985, Hà Tĩnh: 042).
HOUSEHOLD_CCCD = "042185054321"
HOUSEHOLD_NAME = "Hộ kinh doanh Lê Thị Bình"
HOUSEHOLD_EMAIL = "ho.lethibinh@example.com"
PRODUCT_TITLE = "Mật ong rừng Vũ Quang"
HONEY = "I.2.b"  # OCOP sub-group "Mật ong, mật khác và nông sản thực phẩm khác"
SHOPPER_EMAIL = "khach.minh@example.com"
TRACKING = "VTP2025000123"


# ---------------------------------------------------------------- helpers


def shot(page, name):
    helpers.shot(page, f"seller-{name}")


def new_phone_page(browser):
    return new_page(browser, PHONE)


def step_form(page):
    """The application step's own form (the page layout has others, e.g. search)."""
    return page.locator("form:has(button[name=stay])")


def save_and_continue(page, next_slug):
    step_form(page).locator("button[type=submit]:not([name=stay])").click()
    page.wait_for_url(f"**/{next_slug}/")


def upload_document(page, kind, file_path):
    form = page.locator("form[enctype='multipart/form-data']:has(input[name=file])")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=file]").set_input_files(file_path)
    with page.expect_navigation():  # the upload comes back to the same step, with the document listed
        form.locator("button[type=submit]").click()
    assert not page.locator(".field-error").count(), visible_text(page)
    assert Path(file_path).name in visible_text(page, "main")


# ---------------------------------------------------------------- the journey


def test_assisted_household_becomes_a_seller_sells_ships_and_is_invoiced(browser, live_server, settings, tmp_path,
                                                                          mailoutbox):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    use_sandboxes(settings, live_server)
    make_user("to-cong-nghe", "to.cns@example.com", COMMUNITY_GROUP)
    make_user("so-cong-thuong", "kiemduyet@example.com", DEPARTMENT_GROUP)
    household = make_user("ho-le-thi-binh", HOUSEHOLD_EMAIL)  # the household's own account, known password
    honey = OcopClassification.objects.filter(children__isnull=True).get(code=HONEY)

    assistant_context, assistant = new_phone_page(browser)
    reviewer_context, reviewer = new_phone_page(browser)
    seller_context, seller = new_phone_page(browser)
    shopper_context, shopper = new_page(browser, DESKTOP)
    try:
        reference = file_assisted_application(assistant, live_server, tmp_path, honey)
        approve_application(reviewer, live_server, reference)
        product_url = list_a_product(seller, live_server, tmp_path)
        approve_listing(reviewer, live_server)
        see_product_on_sale(seller, live_server, product_url)
        sign_invoicing_authorisation(seller, live_server)
        buy_it(shopper, live_server, product_url)
        number = ship_and_deliver(seller, live_server)
        shopper_sees_the_parcel_delivered(shopper, number)
        see_the_invoice(seller, live_server, number)
        see_the_statement(seller, live_server, number)
        for page in (assistant, reviewer, seller, shopper):
            assert page.js_errors == [], page.js_errors
    finally:
        for context in (assistant_context, reviewer_context, seller_context, shopper_context):
            context.close()

    application = VendorApplication.objects.get(legal_name=HOUSEHOLD_NAME)
    assert application.status == VendorApplication.APPROVED
    assert application.applicant == household and application.assisted_by.username == "to-cong-nghe"
    vendor = Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).get()
    assert application.vendor == vendor
    assert list(vendor.partner.users.all()) == [household]
    product = Product.objects.get(title=PRODUCT_TITLE)
    assert product.is_public and product.ocop_classification.code == HONEY
    assert product.images.count() == 1  # the picture sent for moderation was published with the listing
    assert product.stockrecords.get().partner == vendor.partner
    assert product.listing_changes.get().status == ListingChange.APPROVED
    # the household and its helper were told; the household already had an account, so no set-password link
    told = [m for m in mailoutbox if application.reference in m.subject and HOUSEHOLD_EMAIL in m.to]
    assert len(told) == 2 and all("to.cns@example.com" in m.to for m in told)  # sent, then approved
    assert not any("/password-reset/confirm/" in m.body for m in mailoutbox)
    # the sale: one paid part, delivered, invoiced once by the marketplace on the household's behalf
    part = Fulfilment.objects.get(vendor=vendor)
    assert part.status == Fulfilment.DELIVERED and part.tracking_code == TRACKING
    invoice = Invoice.objects.get(fulfilment=part)
    assert invoice.relation == Invoice.ORIGINAL and invoice.template_number == "2"  # sales invoice, household
    assert invoice.total_payable == 2 * 250000 + part.shipping_fee
    assert product.stockrecords.get().num_in_stock == 18


def file_assisted_application(page, live_server, tmp_path, classification):
    """The community digital team member fills every step for the household and sends it."""
    log_in(page, live_server, "to.cns@example.com", "/ban-hang/dang-ky/ho-tro/")
    shot(page, "01-assisted-list")
    page.check("input[name=privacy_consent]")  # the household's consent, recorded by the assistant
    page.locator("main form[method=post] button.btn-primary").click()  # start an application for a household
    page.wait_for_url("**/loai-hinh/")

    # 1. Seller type and identity: a household business identified by the owner's CCCD
    assert page.is_checked("input[name=seller_type][value=household_business]")
    page.fill("input[name=legal_name]", HOUSEHOLD_NAME)
    page.fill("input[name=tax_code]", HOUSEHOLD_CCCD)
    shot(page, "02-identity")
    save_and_continue(page, "nguoi-dai-dien")

    # 2. Representative: the owner herself, with the household's own e-mail
    page.fill("input[name=representative_name]", "Lê Thị Bình")
    page.fill("input[name=representative_id_number]", HOUSEHOLD_CCCD)
    page.fill("input[name=phone]", "0912 345 678")
    page.fill("input[name=email]", HOUSEHOLD_EMAIL)
    save_and_continue(page, "dia-chi")

    # 3. Address in a Hà Tĩnh commune
    page.select_option("select[name=commune]", "18073")
    page.fill("input[name=street_address], textarea[name=street_address]", "Thôn 3")
    save_and_continue(page, "ngan-hang")

    # 4. Bank account
    page.select_option("select[name=bank_code]", "VBA")
    page.fill("input[name=bank_account_number]", "3700205123456")
    page.fill("input[name=bank_account_holder]", "Lê Thị Bình")
    save_and_continue(page, "tai-lieu")

    # 5. Documents: the registration as a PDF, the OCOP certificate as a phone photo
    upload_document(page, "business_registration", pdf_file(tmp_path / "giay-dang-ky.pdf"))
    upload_document(page, "ocop_certificate", jpeg_file(tmp_path / "chung-nhan-ocop.jpg"))
    assert "giay-dang-ky.pdf" in visible_text(page, "main")
    shot(page, "03-documents")
    page.locator(".form-actions a.btn-primary").click()
    page.wait_for_url("**/san-pham/")

    # 6. Products, with the certificate's details
    form = page.locator("form:has(select[name=classification])")
    form.locator("input[name=name]").fill("Mật ong rừng")
    form.locator("select[name=classification]").select_option(str(classification.pk))
    form.locator("select[name=stars]").select_option("3")
    form.locator("input[name=certificate_number]").fill("45/QĐ-UBND")
    form.locator("input[name=certificate_issue_date]").fill("2024-05-01")
    form.locator("input[name=certificate_expiry_date]").fill("2027-05-01")
    form.locator("select[name=certificate_document]").select_option(label="chung-nhan-ocop.jpg")
    with page.expect_navigation():  # back to the same step, the product listed
        form.locator("button[type=submit]").click()
    assert not page.locator(".field-error").count(), visible_text(page)
    assert "45/QĐ-UBND" in visible_text(page, "main")
    page.locator(".form-actions a.btn-primary").click()
    page.wait_for_url("**/xac-nhan/")

    # 7. Review and send
    assert not page.locator(".alert-warning").count(), visible_text(page)
    summary = visible_text(page)
    assert HOUSEHOLD_NAME in summary and HOUSEHOLD_EMAIL in summary
    assert "3700205123456" not in summary  # personal numbers stay masked
    shot(page, "04-review")
    page.locator("main form[method=post] button.btn-primary").click()  # send the application
    page.wait_for_url("**/trang-thai/")
    shot(page, "05-sent")

    application = VendorApplication.objects.get(legal_name=HOUSEHOLD_NAME)
    assert application.status == VendorApplication.SUBMITTED and application.applicant is None
    page.goto(live_server.url + "/ban-hang/dang-ky/ho-tro/")
    assert application.reference in visible_text(page)
    return application.reference


def approve_application(page, live_server, reference):
    """The department's reviewer finds the application in the queue and approves it with a reason."""
    log_in(page, live_server, "kiemduyet@example.com", "/so-cong-thuong/ho-so/")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url("**/so-cong-thuong/ho-so/*/")
    details = visible_text(page)
    assert HOUSEHOLD_NAME in details and "3700205123456" in details  # the reviewer sees numbers in full
    page.fill("textarea[name=reason]", "Hồ sơ đầy đủ, giấy chứng nhận OCOP hợp lệ.")
    shot(page, "06-reviewer-application")
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".status--approved")
    vendor = Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).get()
    assert page.locator(f"main a[href='{vendor.get_absolute_url()}']").is_visible()  # the new seller's code
    shot(page, "07-approved")


def list_a_product(page, live_server, tmp_path):
    """The household logs in with its own account, finds its workspace and lists a product."""
    log_in(page, live_server, HOUSEHOLD_EMAIL, "/ban-hang/")
    assert HOUSEHOLD_NAME in visible_text(page)
    shot(page, "08-workspace")
    page.goto(live_server.url + "/ban-hang/san-pham/them/")
    form = page.locator("form.seller-form")
    form.locator("input[name=title]").fill(PRODUCT_TITLE)
    form.locator("textarea[name=description]").fill("Mật ong hoa rừng nguyên chất, khai thác tại Vũ Quang.")
    form.locator("select[name=ocop_code]").select_option(HONEY)
    form.locator("input[name=sales_unit]").fill("chai 500 ml")
    form.locator("input[name=price]").fill("250000")
    form.locator("input[name=stock]").fill("20")
    form.locator("input[name=image]").set_input_files(jpeg_file(tmp_path / "mat-ong.jpg", (230, 170, 40)))
    shot(page, "09-product-form")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/ban-hang/san-pham/")
    listing = visible_text(page)
    assert PRODUCT_TITLE in listing
    shot(page, "10-awaiting-moderation")

    product = Product.objects.get(title=PRODUCT_TITLE)
    assert not product.is_public
    page.goto(live_server.url + "/catalogue/")
    assert PRODUCT_TITLE not in visible_text(page)  # hidden until the department approves it
    assert page.goto(live_server.url + product.get_absolute_url()).status == 404
    return product.get_absolute_url()


def approve_listing(page, live_server):
    """The reviewer moderates the new listing."""
    page.goto(live_server.url + "/so-cong-thuong/san-pham/")
    page.get_by_role("link", name=PRODUCT_TITLE).click()
    page.wait_for_url("**/so-cong-thuong/san-pham/*/")
    assert PRODUCT_TITLE in visible_text(page)
    page.fill("input[name=reason]", "Mô tả đúng sản phẩm.")
    shot(page, "11-listing-moderation")
    page.click("button[name=action][value=approve]")
    page.wait_for_url("**/so-cong-thuong/san-pham/")
    assert page.locator("main .empty-state").is_visible()  # nothing left to review


def see_product_on_sale(page, live_server, product_url):
    """Now anyone sees it: in the catalogue, on its page and on the seller's storefront."""
    page.goto(live_server.url + "/catalogue/")
    assert PRODUCT_TITLE in visible_text(page)
    shot(page, "12-catalogue")
    page.goto(live_server.url + product_url)
    assert PRODUCT_TITLE in visible_text(page) and "250.000" in visible_text(page)
    vendor = Vendor.objects.with_tax_code(HOUSEHOLD_CCCD).get()
    page.goto(live_server.url + vendor.get_absolute_url())
    assert page.url.endswith(f"/nguoi-ban/{vendor.slug}/")
    storefront = visible_text(page)
    assert HOUSEHOLD_NAME in storefront and PRODUCT_TITLE in storefront
    shot(page, "13-storefront")


def sign_invoicing_authorisation(page, live_server):
    """The household lets the marketplace issue its sales invoices (ủy nhiệm), from its invoices page."""
    page.goto(live_server.url + "/ban-hang/hoa-don/")
    assert "Chưa có hóa đơn" in visible_text(page, "main.content, main")
    page.get_by_role("link", name="Cài đặt hóa đơn").click()
    page.wait_for_url("**/ban-hang/hoa-don/cai-dat/")
    form = page.locator("form.seller-form")
    form.locator("select[name=mode]").select_option("authorised")
    form.locator("select[name=vat_method]").select_option("direct")  # a household issues sales invoices
    form.locator("input[name=accept_authorisation]").check()
    shot(page, "14-invoicing-authorisation")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/ban-hang/hoa-don/")
    page.goto(live_server.url + "/ban-hang/hoa-don/cai-dat/")
    assert "Đã ký ủy nhiệm ngày" in visible_text(page, "main")


def buy_it(page, live_server, product_url):
    """A shopper on a desktop buys two jars and pays on the VNPay sandbox."""
    page.goto(live_server.url + product_url)
    add_to_basket(page)
    page.goto(live_server.url + product_url)
    add_to_basket(page)  # a second jar
    checkout_as_guest(page, live_server, SHOPPER_EMAIL)
    assert "530.000" in visible_text(page)  # 2 × 250.000 and the seller's 30.000 shipping
    pay_on_vnpay_sandbox(page, prefix="seller-15-shopper")
    open_guest_order(page, SHOPPER_EMAIL)
    part = order_part(page, HOUSEHOLD_NAME)
    assert "Đã thanh toán" in visible_text(page, "#order-parts") and part.get_attribute("data-status") == "new"
    shot(page, "16-shopper-order")


def ship_and_deliver(page, live_server):
    """The household sees the new order, confirms it, ships it with a tracking code, marks it delivered."""
    page.goto(live_server.url + "/ban-hang/")
    page.goto(live_server.url + "/ban-hang/don-hang/?status=new")
    number = Fulfilment.objects.get(vendor__in=Vendor.objects.with_tax_code(HOUSEHOLD_CCCD)).number
    orders = visible_text(page, "main")
    assert number in orders and "530.000" in orders  # 2 jars and the shipping fee
    assert "Đã thanh toán qua VNPay" in orders and "không thu" in orders  # paid online: nothing to collect
    shot(page, "17-orders")
    fulfil_in_browser(page, live_server, number, TRACKING, prefix="seller-18-order")
    history = visible_text(page, "#history")
    assert "Đã xác nhận" in history and "Đã giao đến người mua" in history and "confirmed" not in history
    return number


def shopper_sees_the_parcel_delivered(page, number):
    page.reload()
    part = order_part(page, HOUSEHOLD_NAME)
    assert part.get_attribute("data-status") == "delivered"
    assert TRACKING in part.inner_text() and part.get_by_role("link", name=re.compile("Hóa đơn điện tử")).count() == 1


def see_the_invoice(page, live_server, number):
    """The invoice issued at delivery, accepted by the provider, downloadable as XML and PDF."""
    page.goto(live_server.url + "/ban-hang/hoa-don/")
    invoice = Invoice.objects.get(fulfilment__number=number)
    assert invoice.provider_status == Invoice.PROVIDER_ACCEPTED, (invoice.provider_status, invoice.provider_reason)
    assert len(invoice.tax_authority_code) == 34
    row = page.locator("#invoice-cards .work-card", has=page.get_by_role("link", name=number))
    text = row.inner_text().replace("\xa0", " ")
    assert invoice.symbol in text and "530.000" in text and invoice.tax_authority_code in text
    shot(page, "19-invoices")
    name, xml = download(page, row.get_by_role("link", name="Tải XML").click)
    assert name == f"{invoice.file_stem}.xml" and xml.startswith(b"<?xml")
    assert f"<SHDon>{invoice.number}</SHDon>".encode() in xml, xml[:400]
    assert f"<MCCQT>{invoice.tax_authority_code}</MCCQT>".encode() in xml
    name, pdf = download(page, row.get_by_role("link", name="Tải PDF").click)
    assert name == f"{invoice.file_stem}.pdf" and pdf.startswith(b"%PDF")


def see_the_statement(page, live_server, number):
    page.goto(live_server.url + "/ban-hang/doi-soat/")
    summary = visible_text(page, "table.statement-summary")
    assert "Doanh thu bán hàng" in summary and "500.000" in summary
    entries = visible_text(page, "main")
    assert number in entries and "Bán hàng" in entries
    shot(page, "20-statement")


# ---------------------------------------------------------------- the seller's own statistics



def test_seller_sees_its_own_statistics(browser, live_server, watched_contexts):
    """After a sale, the seller's statistics page (/ban-hang/thong-ke/) shows it, charts included, within CSP."""
    from tests.factories import create_product
    from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor

    vendor = create_invoicing_vendor()
    product = create_product(vendor=vendor, title=PRODUCT_TITLE, price=250000, stock=20, ocop_code=HONEY)
    part = create_delivered_part(vendor=vendor, items=[(product, 2, 250000, 0)])
    user = make_user("ho-thong-ke", "thongke@example.com")
    vendor.partner.users.add(user)
    context, page = new_phone_page(browser)
    try:
        log_in(page, live_server, "thongke@example.com", "/ban-hang/thong-ke/")
        statistics = visible_text(page, "main")
        assert PRODUCT_TITLE in statistics and "500.000" in statistics  # top products: 2 jars, 500.000 ₫
        assert page.locator("main figure.report-chart img").count() >= 1
        shot(page, "21-statistics")
        assert part.order.number and page.js_errors == []
    finally:
        context.close()
    assert not watched_contexts, watched_contexts[:3]  # no CSP violation (the charts are images)
