"""A household becomes a seller on a phone: a community digital team member files the application for it,
the department approves it, the household logs in and lists a product, the department approves the
listing and the product is on sale in the catalogue and on the seller's storefront."""
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

from catalogue.models import ListingChange, OcopClassification, Product
from marketplace.roles import COMMUNITY_GROUP, DEPARTMENT_GROUP
from onboarding.models import VendorApplication
from vendors.models import Vendor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("test-results") / "screenshots"
PHONE = {"width": 390, "height": 844}
PASSWORD = "Pw-e2e-seller-2025"

#: A household business without a tax code uses the owner's citizen ID (born 1985, Hà Tĩnh: 042).
HOUSEHOLD_CCCD = "042185054321"
HOUSEHOLD_NAME = "Hộ kinh doanh Lê Thị Bình"
HOUSEHOLD_EMAIL = "ho.lethibinh@example.com"
PRODUCT_TITLE = "Mật ong rừng Vũ Quang"
HONEY = "I.2.b"  # OCOP sub-group "Mật ong, mật khác và nông sản thực phẩm khác"


# ---------------------------------------------------------------- helpers


def make_user(username, email, *groups):
    user = get_user_model().objects.create_user(username=username, email=email, password=PASSWORD)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def jpeg_file(path, colour=(200, 120, 30)):
    """A real, small JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def pdf_file(path):
    """A minimal, real one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return str(path)


def visible_text(page, selector="body"):
    return page.inner_text(selector).replace("\xa0", " ")


def shot(page, name):
    page.screenshot(path=str(SCREENSHOTS / f"seller-{name}.png"), full_page=True)


def new_phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return context, page


def log_in(page, live_server, email, next_path):
    """Through Oscar's real login form; the ``next`` parameter brings the user where they were going."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=login-username]", email)
    page.fill("input[name=login-password]", PASSWORD)
    page.click("button[name=login_submit]")
    page.wait_for_url(f"**{next_path}")


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


def test_assisted_household_becomes_a_seller_and_sells_a_product(browser, live_server, settings, tmp_path,
                                                                  mailoutbox):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    make_user("to-cong-nghe", "to.cns@example.com", COMMUNITY_GROUP)
    make_user("so-cong-thuong", "kiemduyet@example.com", DEPARTMENT_GROUP)
    household = make_user("ho-le-thi-binh", HOUSEHOLD_EMAIL)  # the household's own account, known password
    honey = OcopClassification.objects.filter(children__isnull=True).get(code=HONEY)

    assistant_context, assistant = new_phone_page(browser)
    reviewer_context, reviewer = new_phone_page(browser)
    seller_context, seller = new_phone_page(browser)
    try:
        reference = file_assisted_application(assistant, live_server, tmp_path, honey)
        approve_application(reviewer, live_server, reference)
        product_url = list_a_product(seller, live_server, tmp_path)
        approve_listing(reviewer, live_server)
        see_product_on_sale(seller, live_server, product_url)
        for page in (assistant, reviewer, seller):
            assert page.js_errors == [], page.js_errors
    finally:
        for context in (assistant_context, reviewer_context, seller_context):
            context.close()

    application = VendorApplication.objects.get(legal_name=HOUSEHOLD_NAME)
    assert application.status == VendorApplication.APPROVED
    assert application.applicant == household and application.assisted_by.username == "to-cong-nghe"
    vendor = Vendor.objects.get(tax_code=HOUSEHOLD_CCCD)
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


def file_assisted_application(page, live_server, tmp_path, classification):
    """The community digital team member fills every step for the household and sends it."""
    log_in(page, live_server, "to.cns@example.com", "/ban-hang/dang-ky/ho-tro/")
    shot(page, "01-assisted-list")
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
    vendor = Vendor.objects.get(tax_code=HOUSEHOLD_CCCD)
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
    vendor = Vendor.objects.get(tax_code=HOUSEHOLD_CCCD)
    page.goto(live_server.url + vendor.get_absolute_url())
    assert page.url.endswith(f"/nguoi-ban/{vendor.slug}/")
    storefront = visible_text(page)
    assert HOUSEHOLD_NAME in storefront and PRODUCT_TITLE in storefront
    shot(page, "13-storefront")
