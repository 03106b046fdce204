"""Journey — the department's office on a phone (390 px) and at a desk (1280 px): sign in, the home with the work
waiting, each queue from its count, the month's report and its file, a year's file prepared in the background and
downloaded. Every page is checked for English words and raw field names."""
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from catalogue.models import ListingChange, OcopCertificate
from marketplace.roles import DEPARTMENT_GROUP
from reports.jobs import exports_run_pending
from tests.reports.fixtures import build_marketplace

from .helpers import DESKTOP, PHONE, assert_vietnamese, download, log_in, make_user, new_page, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REVIEWER = "vanphong.so@example.com"
#: Names and words a page shows on purpose (people's and products' names of the fixture, file formats).
ALLOWED = ["XLSX", "CSV", "PDF"]


@pytest.fixture
def office(transactional_db):
    market = build_marketplace()
    make_user("van-phong-so", REVIEWER, DEPARTMENT_GROUP)
    b1, a1 = market["products"]["b1"], market["products"]["a1"]
    today = timezone.localdate()
    OcopCertificate.objects.create(product=b1, number="88/GCN-CHO", stars=3, classification=b1.ocop_classification,
                                   issuing_body="UBND tỉnh Hà Tĩnh", issue_date=today - datetime.timedelta(days=3),
                                   expiry_date=today + datetime.timedelta(days=1000))
    ListingChange.objects.create(product=a1, vendor=market["a"], kind=ListingChange.EDIT,
                                 data={"description": "Kẹo mật mía, lạc rang, gừng tươi.", "sales_unit": "gói"})
    return market


@pytest.mark.parametrize("viewport,name", [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_department_goes_through_its_office(browser, live_server, office, viewport, name):
    context, page = new_page(browser, viewport)
    try:
        log_in(page, live_server, REVIEWER, "/so-cong-thuong/")
        assert_vietnamese(page, ALLOWED)
        shot(page, f"office-{name}-01-home")
        assert page.locator('[data-queue="listings"] .office-work__count').inner_text() == "1"
        assert page.locator('[data-queue="certificates"] .office-work__count').inner_text() == "1"

        # Each count opens its queue, which shows as many rows as the count said.
        for index, key in enumerate(["applications", "certificates", "expiring", "listings", "late_invoices",
                                     "payouts", "refunds"], start=2):
            page.goto(f"{live_server.url}/so-cong-thuong/")
            count = page.locator(f'[data-queue="{key}"] .office-work__count').inner_text()
            page.locator(f'[data-queue="{key}"] a').click()
            page.wait_for_load_state()
            shown = page.locator(".queue-count")
            assert (shown.get_attribute("data-count") if shown.count() else "0") == count, key
            assert_vietnamese(page, ALLOWED)
            shot(page, f"office-{name}-{index:02d}-{key}")

        # The change to moderate: labels in Vietnamese, before and after.
        page.goto(f"{live_server.url}/so-cong-thuong/san-pham/")
        page.locator("main table a").first.click()
        page.wait_for_selector(".listing-diff")
        assert_vietnamese(page, ALLOWED)
        assert "Đơn vị bán" in page.inner_text("main")
        shot(page, f"office-{name}-10-moderation")

        # The month's report, from the home's link; its XLSX comes at once.
        page.goto(f"{live_server.url}/so-cong-thuong/")
        page.get_by_role("link", name="Xem báo cáo đầy đủ").click()
        page.wait_for_url(re.compile(r"/bao-cao/\?period=month&month=\d\d/\d{4}$"))
        assert_vietnamese(page, ALLOWED)
        shot(page, f"office-{name}-11-report-month")
        page.goto(f"{live_server.url}/bao-cao/?period=month&month=03/2026")
        filename, body = download(page, lambda: page.get_by_role("link", name="XLSX").click(),
                                  name=f"office-{name}-month.xlsx")
        assert filename == "bao-cao-ocop-20260301-20260331.xlsx"
        assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames

        # A year: the file is prepared in the background, with its progress, then downloaded.
        page.goto(f"{live_server.url}/bao-cao/?period=year&year=2026")
        assert_vietnamese(page, ALLOWED)
        shot(page, f"office-{name}-12-report-year")
        page.locator("form[action^='/bao-cao/xuat/xlsx/'] button").click()
        page.wait_for_selector('.report-job[data-status="pending"]')
        assert page.locator("progress").is_visible()
        assert_vietnamese(page, ALLOWED)
        shot(page, f"office-{name}-13-export-waiting")
        exports_run_pending()  # what the worker (or `manage.py serve`'s scheduler) does meanwhile
        page.wait_for_selector('.report-job[data-status="ready"]', timeout=10_000)  # the page refreshes itself
        assert_vietnamese(page, ALLOWED + ["bao-cao-ocop-20260101-20261231.xlsx"])
        shot(page, f"office-{name}-14-export-ready")
        filename, body = download(page, lambda: page.get_by_role("link", name="Tải về").click(),
                                  name=f"office-{name}-year.xlsx")
        assert filename == "bao-cao-ocop-20260101-20261231.xlsx"
        assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames

        page.goto(f"{live_server.url}/bao-cao/chi-so/?period=month&month=03/2026")
        assert_vietnamese(page, ALLOWED + ["PLAT"])
        shot(page, f"office-{name}-15-indicators")
        assert page.js_errors == [], page.js_errors
    finally:
        context.close()
