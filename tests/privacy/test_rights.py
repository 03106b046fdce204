"""A person downloads exactly their own data, asks for correction or deletion with the legal deadline
shown, and a deletion done by the department anonymises them while orders, invoices, the ledger and the
reports keep every amount."""
import csv
import datetime
import io
import json

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountPhone
from invoicing.models import Invoice
from onboarding import services as onboarding_services
from privacy.models import AccessLogEntry, DataSubjectRequest
from reports.periods import Period
from reports.selectors import buyers, transaction_totals
from tests.checkout import ADDRESS
from tests.factories import create_product
from tests.invoicing.factories import create_invoicing_vendor
from vendors.models import Fulfilment, LedgerEntry
from vendors.services import fulfilment_set_status

from .conftest import CCCD

pytestmark = pytest.mark.django_db


def buy(client, user, product, name, phone):
    client.force_login(user)
    client.post(f"/basket/add/{product.pk}/", {"quantity": 1})
    response = client.post("/checkout/", {**ADDRESS, "full_name": name, "phone": phone, "method": "cod",
                                          "privacy_consent": "on"})
    assert response.status_code == 302
    client.logout()
    return user.orders.latest("pk")


@pytest.fixture
def market(client, shopper, other_shopper, django_capture_on_commit_callbacks):
    vendor = create_invoicing_vendor()
    product = create_product(vendor=vendor, title="Mật ong Hương Sơn", price=200000, stock=10, ocop_code="I.2.b")
    AccountPhone.objects.create(user=shopper, number="0912345678")
    mine = buy(client, shopper, product, "Nguyễn Thị Lan", "0912 345 678")
    theirs = buy(client, other_shopper, product, "Trần Thị Hoa", "0987 654 321")
    with django_capture_on_commit_callbacks(execute=True):
        for order in (mine, theirs):
            part = order.fulfilments.get()
            for status in (Fulfilment.CONFIRMED, Fulfilment.SHIPPED, Fulfilment.DELIVERED):
                fulfilment_set_status(fulfilment=part, status=status, tracking_code="VN1")
    return {"vendor": vendor, "mine": mine, "theirs": theirs}


def test_the_json_export_holds_my_data_and_nobody_elses(client, shopper, market, applicant):
    onboarding_services.vendor_application_start(user=applicant)  # someone else's application
    client.force_login(shopper)
    response = client.get(reverse("privacy:my-data-export", args=["json"]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "lan@example.com" and data["account"]["mobile"] == "0912345678"
    assert [order["number"] for order in data["orders"]] == [market["mine"].number]
    assert data["orders"][0]["delivery"]["name"] == "Nguyễn Thị Lan"
    assert data["orders"][0]["total"] == int(market["mine"].total_incl_tax)
    assert [consent["purpose"] for consent in data["consents"]] == ["Đơn hàng (giao hàng và hóa đơn)"]
    assert data["seller_applications"] == []
    text = response.content.decode()
    for other in ("hoa@example.com", "Trần Thị Hoa", "0987654321", market["theirs"].number, "applicant"):
        assert other not in text
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.EXPORT)
    assert entry.actor == shopper


def pdf_text(content):
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_export_reads_in_vietnamese_with_my_data_and_nobody_elses(client, shopper, market, applicant):
    onboarding_services.vendor_application_start(user=applicant)
    client.force_login(shopper)
    assert reverse("privacy:my-data-export", args=["pdf"]) in client.get(reverse("privacy:my-data")).content.decode()
    response = client.get(reverse("privacy:my-data-export", args=["pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for mine in ("Dữ liệu cá nhân của tôi", "Lan Nguyễn", "lan@example.com", "0912345678", "Nguyễn Thị Lan",
                 market["mine"].number, "Mật ong Hương Sơn", "Tài khoản", "Đơn hàng", "Sự đồng ý", "Số di động",
                 "Trạng thái", "₫"):
        assert mine in text, mine
    from django.utils import translation

    from marketplace.order.statuses import LABELS
    market["mine"].refresh_from_db()
    with translation.override("vi"):
        status = str(LABELS[market["mine"].status])
    assert status != market["mine"].status and status in " ".join(text.split())  # the status in Vietnamese words
    for other in ("hoa@example.com", "Trần Thị Hoa", "0987654321", market["theirs"].number, "applicant@"):
        assert other not in text, other
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.EXPORT, actor=shopper, fields="own data (pdf)").exists()


def test_the_csv_export_is_readable_in_a_spreadsheet(client, shopper, market):
    client.force_login(shopper)
    response = client.get(reverse("privacy:my-data-export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["Mục", "Thứ tự", "Trường", "Giá trị"]
    assert ["Tài khoản", "", "email", "lan@example.com"] in rows
    assert any(row[0] == "Đơn hàng" and row[3] == market["mine"].number for row in rows)
    assert "hoa@example.com" not in response.content.decode()
    assert client.get("/tai-khoan/du-lieu-ca-nhan/tai-ve.xml").status_code == 404


def test_a_sellers_application_with_its_decrypted_numbers_is_in_the_applicants_export(
        client, submitted_application, applicant):
    client.force_login(applicant)
    data = json.loads(client.get(reverse("privacy:my-data-export", args=["json"])).content)
    assert data["seller_applications"][0]["citizen_id"] == CCCD


def test_a_request_shows_its_legal_deadline(client, shopper):
    client.force_login(shopper)
    response = client.post(reverse("privacy:my-data"), {"kind": "correction", "details": ""})
    assert response.status_code == 200 and "Hãy cho biết dữ liệu nào sai" in response.content.decode()
    before = timezone.now()
    response = client.post(reverse("privacy:my-data"), {"kind": "correction", "details": "Sai tên đệm"},
                           follow=True)
    item = DataSubjectRequest.objects.get()
    assert before + datetime.timedelta(hours=72) <= item.due_at <= timezone.now() + datetime.timedelta(hours=72)
    page = response.content.decode()
    assert item.reference in page and timezone.localtime(item.due_at).strftime("%d/%m/%Y") in page


def test_the_department_queue_lists_requests_by_deadline_and_flags_overdue_ones(client, shopper, reviewer):
    late = DataSubjectRequest.objects.create(user=shopper, kind=DataSubjectRequest.DELETION,
                                             created=timezone.now() - datetime.timedelta(days=4))
    DataSubjectRequest.objects.create(user=shopper, kind=DataSubjectRequest.CORRECTION, details="Sai địa chỉ")
    client.force_login(reviewer)
    page = client.get(reverse("privacy:department-requests")).content.decode()
    assert page.index(late.reference) < page.index("Sai địa chỉ")
    assert "quá hạn" in page
    response = client.post(reverse("privacy:department-requests"),
                           {"request": late.pk, "status": "refused", "answer": ""})
    assert response.status_code == 200 and "Hãy nêu lý do từ chối" in response.content.decode()


def test_deletion_anonymises_but_keeps_invoices_ledger_and_report_totals(client, shopper, reviewer, market):
    period = Period.month(timezone.localdate().year, timezone.localdate().month)
    invoices_before = list(Invoice.objects.order_by("pk").values_list("pk", "number", "status"))
    assert len(invoices_before) == 2
    ledger_before = LedgerEntry.objects.aggregate(total=Sum("amount"))["total"]
    totals_before, buyers_before = transaction_totals(period), buyers(period)

    client.force_login(shopper)
    client.post(reverse("privacy:my-data"), {"kind": "deletion", "details": ""})
    item = DataSubjectRequest.objects.get()
    client.force_login(reviewer)
    client.post(reverse("privacy:department-requests"), {"request": item.pk, "status": "done", "answer": "Đã xóa"})

    shopper.refresh_from_db()
    assert not shopper.is_active and shopper.email == "" and not shopper.has_usable_password()
    assert not AccountPhone.objects.filter(user=shopper).exists()
    order = market["mine"].__class__.objects.get(pk=market["mine"].pk)
    address = order.shipping_address
    assert "Lan" not in address.name and address.line1 == "—" and not address.phone_number
    assert address.state  # the province stays for the statistics
    theirs = market["theirs"].__class__.objects.get(pk=market["theirs"].pk)
    assert theirs.shipping_address.name == "Trần Thị Hoa"  # nobody else touched
    # What the law keeps is unchanged, to the đồng.
    assert list(Invoice.objects.order_by("pk").values_list("pk", "number", "status")) == invoices_before
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == ledger_before
    assert transaction_totals(period) == totals_before and buyers(period) == buyers_before
    assert DataSubjectRequest.objects.get().status == DataSubjectRequest.DONE
    # the former shopper can no longer sign in with the e-mail or the password
    client.logout()
    response = client.post("/accounts/login/", {"login-username": "lan@example.com",
                                                 "login-password": "Pw-privacy-2026", "login_submit": "1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_withdrawing_consent_marks_the_persons_consents_withdrawn(client, shopper, other_shopper, reviewer):
    from privacy.models import ConsentRecord
    from privacy.services import consent_record

    mine = consent_record(purpose=ConsentRecord.ACCOUNT, user=shopper)
    theirs = consent_record(purpose=ConsentRecord.ACCOUNT, user=other_shopper)
    client.force_login(shopper)
    client.post(reverse("privacy:my-data"), {"kind": "withdraw_consent", "details": ""})
    item = DataSubjectRequest.objects.get()
    client.force_login(reviewer)
    client.post(reverse("privacy:department-requests"), {"request": item.pk, "status": "done", "answer": ""})
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.withdrawn_at is not None and theirs.withdrawn_at is None
    client.force_login(shopper)
    page = client.get(reverse("privacy:my-data")).content.decode()
    assert "Đã xử lý" in page and mine.withdrawn_at is not None
