"""Journey 3 — the Department of Industry and Trade at its desk: the seller applications queue (approve one,
send one back for changes), an OCOP certificate checked against its records (the badge then shows on the
product page), the e-commerce reports dashboard for the month and its XLSX and PDF exports."""
import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue.models import OcopCertificate, OcopClassification
from marketplace.roles import DEPARTMENT_GROUP
from onboarding import services as onboarding
from onboarding.models import ApplicationDocument, VendorApplication
from places.models import Commune
from reports.jobs import exports_run_pending
from tests.factories import create_product, create_vendor
from vendors.models import Vendor

from .helpers import DESKTOP, download, log_in, make_user, new_page, pdf_file, shot, visible_text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REVIEWER = "kiemduyet.so@example.com"
COOPERATIVE = "Hợp tác xã Nước mắm Cẩm Nhượng"
HOUSEHOLD = "Hộ kinh doanh Trần Văn Hải"
CERTIFICATE = "112/QĐ-UBND"


def submitted_application(tmp_path, *, username, legal_name, seller_type, tax_code, email,
                          representative_id="040190012345"):
    """An application sent by its applicant, every step filled (through the services, as the form does)."""
    applicant = make_user(username, email)
    application = onboarding.vendor_application_start(user=applicant)
    onboarding.vendor_application_save(application=application, actor=applicant, data={
        "seller_type": seller_type, "legal_name": legal_name, "tax_code": tax_code,
        "representative_name": "Nguyễn Văn An", "representative_id_number": representative_id, "phone": "0912345678",
        "email": email, "commune": Commune.objects.get(code="18754"), "street_address": "Thôn Hải Hà",
        "bank_code": "VBA", "bank_account_number": "3700205123456", "bank_account_holder": "NGUYEN VAN AN"})
    upload = SimpleUploadedFile("dang-ky-kinh-doanh.pdf", open(pdf_file(tmp_path / f"{username}.pdf"), "rb").read(),
                                content_type="application/pdf")
    onboarding.application_document_add(application=application, actor=applicant,
                                        kind=ApplicationDocument.BUSINESS_REGISTRATION, upload=upload)
    onboarding.application_product_add(application=application, actor=applicant, name="Nước mắm cá cơm",
                                       classification=OcopClassification.objects.get(code="I.4.a"), stars=4)
    return onboarding.vendor_application_submit(application=application, actor=applicant)


@pytest.fixture
def department(transactional_db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "public"
    make_user("so-cong-thuong", REVIEWER, DEPARTMENT_GROUP)
    cooperative = submitted_application(tmp_path, username="htx-cam-nhuong", legal_name=COOPERATIVE,
                                        seller_type=Vendor.TYPE_COOPERATIVE, tax_code="0100233488",
                                        email="htx.camnhuong@example.com")
    household = submitted_application(tmp_path, username="ho-tran-van-hai", legal_name=HOUSEHOLD,
                                      seller_type=Vendor.TYPE_HOUSEHOLD, tax_code="042185054321",
                                      representative_id="042185054321",
                                      email="ho.tranvanhai@example.com")
    seller = create_vendor(name="HTX Kẹo cu đơ Đức Thọ", tax_code="3001234567")
    product = create_product(vendor=seller, title="Kẹo cu đơ Thành Đạt", price=65000, ocop_code="I.3.b")
    issued = timezone.localdate() - datetime.timedelta(days=30)
    certificate = OcopCertificate.objects.create(
        product=product, number=CERTIFICATE, stars=4, classification=product.ocop_classification,
        issuing_body="UBND tỉnh Hà Tĩnh", issue_date=issued, expiry_date=OcopCertificate.default_expiry(issued),
        status=OcopCertificate.STATUS_PENDING)
    return {"cooperative": cooperative, "household": household, "product": product, "certificate": certificate}


def test_department_reviews_applications_and_verifies_a_certificate(browser, live_server, department):
    context, page = new_page(browser, DESKTOP)
    try:
        review_queue(page, live_server, department)
        verify_certificate(page, live_server, department)
        assert page.js_errors == [], page.js_errors
    finally:
        context.close()

    cooperative = VendorApplication.objects.get(pk=department["cooperative"].pk)
    household = VendorApplication.objects.get(pk=department["household"].pk)
    assert cooperative.status == VendorApplication.APPROVED and cooperative.vendor.legal_name == COOPERATIVE
    assert household.status == VendorApplication.CHANGES_REQUESTED and not Vendor.objects.filter(
        legal_name=HOUSEHOLD).exists()
    certificate = OcopCertificate.objects.get(pk=department["certificate"].pk)
    assert certificate.status == OcopCertificate.STATUS_VERIFIED and certificate.verified_by.email == REVIEWER


def review_queue(page, live_server, department):
    log_in(page, live_server, REVIEWER, "/so-cong-thuong/ho-so/")
    queue = visible_text(page, "main")
    for application in (department["cooperative"], department["household"]):
        assert application.reference in queue and application.legal_name in queue
    assert "2 hồ sơ" in queue
    shot(page, "department-01-queue")

    # The cooperative: complete, approved with a reason.
    page.get_by_role("link", name=department["cooperative"].reference).click()
    page.wait_for_url(f"**/so-cong-thuong/ho-so/{department['cooperative'].pk}/")
    details = visible_text(page, "main")
    assert COOPERATIVE in details and "0100233488" in details and "dang-ky-kinh-doanh.pdf" in details
    shot(page, "department-02-application")
    page.fill("textarea[name=reason]", "Hồ sơ đầy đủ, mã số thuế hợp lệ.")
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".status--approved")
    shot(page, "department-03-approved")

    # The household: sent back with what is missing.
    page.goto(live_server.url + "/so-cong-thuong/ho-so/")
    page.get_by_role("link", name=department["household"].reference).click()
    page.wait_for_url(f"**/so-cong-thuong/ho-so/{department['household'].pk}/")
    page.fill("textarea[name=reason]", "Thiếu giấy chứng nhận OCOP của sản phẩm nước mắm.")
    page.click("button[name=action][value=request_changes]")
    page.wait_for_selector(".status--changes_requested")
    assert "Thiếu giấy chứng nhận OCOP" in visible_text(page, "main")


def verify_certificate(page, live_server, department):
    product_url = live_server.url + department["product"].get_absolute_url()
    page.goto(product_url)
    assert page.locator(".ocop-badge").count() == 0  # not verified yet: no badge

    page.goto(live_server.url + "/so-cong-thuong/chung-nhan/")
    listing = visible_text(page, "main")
    assert CERTIFICATE in listing and "Kẹo cu đơ Thành Đạt" in listing and "HTX Kẹo cu đơ Đức Thọ" in listing
    shot(page, "department-04-certificates")
    page.get_by_role("link", name=CERTIFICATE).click()
    page.wait_for_url(f"**/so-cong-thuong/chung-nhan/{department['certificate'].pk}/")
    page.fill("input[name=reason]", "Khớp với Quyết định 112/QĐ-UBND của UBND tỉnh.")
    shot(page, "department-05-certificate")
    page.get_by_role("button", name="Xác minh").click()
    page.wait_for_url("**/so-cong-thuong/chung-nhan/")
    assert page.locator("main .empty-state").is_visible()  # nothing left awaiting verification

    page.goto(product_url)
    assert page.locator(".ocop-badge").first.is_visible()  # the badge shows once verified
    shot(page, "department-06-product-badge")


# ---------------------------------------------------------------- reports



@pytest.fixture
def sales(transactional_db):
    """Two sellers' delivered parts this month: 1 × 200.000 (VNPay) and 3 × 45.000 (cash on delivery)."""
    from payments.models import Payment
    from tests.invoicing.factories import create_delivered_part, create_invoicing_vendor, products

    honey_seller = create_invoicing_vendor(vat=False, code="T-RP1")
    sauce_seller = create_invoicing_vendor(vat=True, code="T-RP2")
    (honey,) = products(honey_seller, 200000)
    (sauce,) = products(sauce_seller, 45000)
    create_delivered_part(vendor=honey_seller, items=[(honey, 1, 200000, 0)])
    create_delivered_part(vendor=sauce_seller, items=[(sauce, 3, 45000, 0)], method=Payment.COD)


def test_department_reads_the_reports_dashboard_and_exports_it(browser, live_server, sales, watched_contexts):
    make_user("so-bao-cao", REVIEWER, DEPARTMENT_GROUP)
    context, page = new_page(browser, DESKTOP)
    try:
        log_in(page, live_server, REVIEWER, "/bao-cao/")
        dashboard = visible_text(page, "main")
        assert "335.000" in dashboard  # gross merchandise value of the month: 200.000 + 3 × 45.000
        assert page.locator("main .report-kpi").count() >= 3
        assert page.locator("main figure.report-chart img").count() >= 1
        shot(page, "department-07-reports")

        exports = page.locator("nav.report-exports")
        name, xlsx = download(page, exports.get_by_role("link", name="XLSX", exact=True).click)
        assert re.fullmatch(r"bao-cao-ocop-\d{8}-\d{8}\.xlsx", name), name
        workbook = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
        assert len(workbook.sheetnames) >= 2
        # What the server says the file is (the same link, fetched with the reviewer's session).
        href = exports.get_by_role("link", name="XLSX", exact=True).get_attribute("href")
        response = context.request.get(live_server.url + href)
        assert response.ok and response.headers["content-type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

        # The PDF takes seconds to lay out: it is prepared in the background, then downloaded.
        exports.get_by_role("button", name="PDF", exact=True).click()
        page.wait_for_selector('.report-job[data-status="pending"]')
        exports_run_pending()  # what the worker (or `manage.py serve`'s scheduler) does meanwhile
        page.wait_for_selector('.report-job[data-status="ready"]', timeout=10_000)  # the page refreshes itself
        name, pdf = download(page, page.get_by_role("link", name="Tải về").click)
        assert re.fullmatch(r"bao-cao-ocop-\d{8}-\d{8}\.pdf", name) and pdf.startswith(b"%PDF")
        assert page.js_errors == []
    finally:
        context.close()
    assert not watched_contexts, watched_contexts[:3]  # no CSP violation (the charts are images)
