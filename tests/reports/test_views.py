"""Who may see what, the pages, the exports and the API's answers."""
import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.utils import ConnectionDoesNotExist
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.reports.fixtures import build_marketplace, department_user

pytestmark = pytest.mark.django_db
#: A read replica for the test below: a mirror of the test database, as REPORTS_DATABASE_URL sets up in CI
#: (added before the test databases are set up, so Django mirrors it instead of creating it).
REPLICA = "replica_for_test"
connections.settings.setdefault(REPLICA, {**connections.settings["default"], "TEST": {"MIRROR": "default"}})
MARCH = {"period": "month", "month": "03/2026"}
DEPARTMENT_URLS = ["/bao-cao/", "/bao-cao/chi-so/", "/bao-cao/tong-so-ocop/", "/bao-cao/xuat/xlsx/",
                   "/bao-cao/xuat/csv/", "/bao-cao/xuat/open-data/", "/bao-cao/xuat/pdf/"]


@pytest.fixture
def market():
    return build_marketplace()


def _user(username, **extra):
    return get_user_model().objects.create_user(username=username, email=f"{username}@example.com", password="x",
                                                **extra)


@pytest.mark.parametrize("url", DEPARTMENT_URLS)
def test_department_pages_are_for_the_department_and_admins_only(client, market, url):
    response = client.get(url, MARCH)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (_user("shopper"), market["seller_a"]):
        client.force_login(user)
        assert client.get(url, MARCH).status_code == 403
    for user in (department_user(), _user("admin", is_superuser=True, is_staff=True)):
        client.force_login(user)
        assert client.get(url, MARCH).status_code == 200


def test_dashboard_shows_every_section_with_charts_and_vietnamese_formats(client, market):
    client.force_login(department_user())
    page = client.get("/bao-cao/", MARCH).content.decode()
    for text in ("750.000\xa0₫", "187.500\xa0₫", "700.000\xa0₫", "75,0 %", "73,3 %", "+300,0 %",
                 "01/03/2026", "31/03/2026", "data:image/svg+xml;base64,", market["a"].name, "Nghệ An"):
        assert text in page, text
    assert page.count("<figure class=\"report-chart\">") == 5
    assert page.count('<img class="report-chart__img" src="data:image/svg+xml;base64,') == 5  # no inline style
    assert "<script src=\"http" not in page


def test_dashboard_query_count_is_bounded_and_does_not_grow_with_orders(client, market, django_assert_max_num_queries):
    from tests.reports.fixtures import at, place
    from payments.models import Payment
    from vendors.models import Fulfilment

    client.force_login(department_user())
    client.get("/bao-cao/", MARCH)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connections["default"]) as before:
        assert client.get("/bao-cao/", MARCH).status_code == 200
    a1 = market["products"]["a1"]
    for day in range(1, 25):
        place(when=at(day, 3), method=Payment.COD, guest=f"more{day}@example.com",
              parts=[(market["a"], [(a1, 1, 100000)], Fulfilment.DELIVERED)])
    with django_assert_max_num_queries(60):
        response = client.get("/bao-cao/", MARCH)
    assert response.status_code == 200
    with CaptureQueriesContext(connections["default"]) as after:
        client.get("/bao-cao/", MARCH)
    assert len(after) == len(before)


def test_reports_read_through_the_configured_alias(client, market):
    client.force_login(department_user())
    with override_settings(REPORTS_DATABASE_ALIAS="no-such-replica"):
        with pytest.raises(ConnectionDoesNotExist):
            client.get("/bao-cao/", MARCH)


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_every_report_query_goes_to_the_reports_database(client):
    """A mirror alias stands for the replica: the primary database sees no report query at all."""
    build_marketplace()
    with override_settings(REPORTS_DATABASE_ALIAS=REPLICA, REPORTS_API_TOKENS=["t"]):
        with CaptureQueriesContext(connections["default"]) as primary, \
                CaptureQueriesContext(connections[REPLICA]) as replica:
            response = client.get("/bao-cao/api/v1/summary", MARCH, HTTP_AUTHORIZATION="Bearer t")
    assert response.status_code == 200 and response.json()["transactions"]["orders"] == 4
    assert len(primary) == 0
    assert len(replica) > 20


def test_xlsx_has_a_formatted_sheet_per_section(client, market):
    client.force_login(department_user())
    response = client.get("/bao-cao/xuat/xlsx/", MARCH)
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-20260301-20260331.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Thông tin", "Tổng quan", "Sản phẩm niêm yết", "Người bán", "Giao dịch",
                               "Thanh toán không dùng tiền mặt", "Hóa đơn điện tử và hoàn tiền", "Người mua",
                               "Xu hướng theo tháng", "Chỉ số DTI", "Biểu đồ"]
    sheet = book["Giao dịch"]
    assert sheet["A1"].value == "Giao dịch" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Chỉ tiêu" and sheet["A2"].font.bold and sheet["B2"].font.bold
    values = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2) for r in range(3, 11)}
    gmv = values["Giá trị hàng hóa giao dịch (GMV)"]
    assert gmv.value == 750000 and isinstance(gmv.value, int) and gmv.number_format == "#,##0"
    assert values["Số đơn hàng"].value == 4
    assert len(book["Biểu đồ"]._images) == 5
    indicators = book["Chỉ số DTI"]
    assert [c.value for c in indicators[2]][:4] == ["Mã", "Chỉ số", "Chỉ tiêu", "Giá trị"]
    assert any(row[0].value == "PLAT-01" and row[3].value == 4 for row in indicators.iter_rows(min_row=3))


def test_csv_and_open_data_csv(client, market):
    client.force_login(department_user())
    text = client.get("/bao-cao/xuat/csv/", MARCH).content.decode("utf-8-sig")
    assert "Giá trị hàng hóa giao dịch (GMV),750000" in text
    open_data = client.get("/bao-cao/xuat/open-data/", MARCH).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(open_data)))
    assert rows[0] == ["ky_tu_ngay", "ky_den_ngay", "bang", "ten_bang", "chieu", "gia_tri_chieu", "chi_tieu",
                       "gia_tri", "don_vi"]
    assert ["2026-03-01", "2026-03-31", "transactions_totals", "Giao dịch", "Chỉ tiêu",
            "Giá trị hàng hóa giao dịch (GMV)", "Giá trị", "750000", "đồng"] in rows
    # no personal data: no buyer, no seller or product names, no contact details, nothing per order
    for forbidden in ("example.com", "buyer1", "Nguyễn", "Trần Phú", "0912", "+84", market["a"].name,
                      market["b"].name, "Kẹo cu đơ A1", "R0000", market["b"].tax_code, "Hộ Thử"):
        assert forbidden not in open_data, forbidden


def test_pdf_report(client, market):
    client.force_login(department_user())
    # Even a month's PDF is prepared in the background (laying it out takes seconds): asked, built, downloaded.
    from reports.jobs import exports_run_pending

    job = client.post("/bao-cao/xuat/pdf/?period=month&month=03/2026")["Location"]
    exports_run_pending()
    response = client.get(job + "tai-xuong/")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    from reports.exports import report_pdf_html
    from reports.periods import Period
    from reports.selectors import build_report

    html = report_pdf_html(build_report(Period.month(2026, 3)))
    assert html.count('<img class="chart" src="data:image/png;base64,') == 5
    assert "750.000\xa0₫" in html and "Báo cáo thương mại điện tử sản phẩm OCOP Hà Tĩnh" in html


def test_unknown_export_format_and_bad_period(client, market):
    client.force_login(department_user())
    assert client.get("/bao-cao/xuat/docx/", MARCH).status_code == 404
    assert client.get("/bao-cao/xuat/xlsx/", {"from": "31/02/2026", "to": "01/03/2026"}).status_code == 400
    response = client.get("/bao-cao/", {"from": "hôm qua", "to": "01/03/2026"})
    assert response.status_code == 200 and "dd/mm/yyyy" in response.content.decode()


@override_settings(REPORTS_API_TOKENS=["secret-1", "secret-2"])
def test_api_needs_a_valid_token_and_readable_dates(client, market):
    url = "/bao-cao/api/v1/summary"
    assert client.get(url, MARCH).status_code == 401
    bad = client.get(url, MARCH, HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401 and "Authorization: Bearer" in bad.json()["error"]
    assert bad["WWW-Authenticate"].startswith("Bearer")
    assert client.get(url, MARCH, HTTP_AUTHORIZATION="Basic secret-1").status_code == 401
    client.force_login(department_user())  # a session is not a token
    assert client.get(url, MARCH).status_code == 401
    ok = client.get(url, {"from": "2026-03-01", "to": "31/03/2026"}, HTTP_AUTHORIZATION="Bearer secret-2")
    assert ok.status_code == 200 and ok.json()["transactions"]["gmv"] == 750000
    for params, message in [({"from": "32/03/2026", "to": "31/03/2026"}, "'from' must be a date"),
                            ({"from": "01/04/2026", "to": "01/03/2026"}, "'from' must not be after 'to'"),
                            ({"from": "01/03/2026"}, "needs both 'from' and 'to'"),
                            ({"period": "week"}, "'period' must be one of"),
                            ({"period": "month", "month": "13/2026"}, "'month' must be between 1 and 12")]:
        response = client.get(url, params, HTTP_AUTHORIZATION="Bearer secret-1")
        assert response.status_code == 400 and message in response.json()["error"], (params, response.content)
    csv_response = client.get("/bao-cao/api/v1/open-data.csv", MARCH, HTTP_AUTHORIZATION="Bearer secret-1")
    assert csv_response.status_code == 200 and b"750000" in csv_response.content


@override_settings(REPORTS_API_TOKENS=[])
def test_api_without_configured_tokens_refuses_everyone(client, market):
    assert client.get("/bao-cao/api/v1/summary", MARCH, HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_seller_sees_only_its_own_statistics(client, market):
    url = "/ban-hang/thong-ke/"
    response = client.get(url, MARCH)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for user in (_user("shopper"), department_user()):
        client.force_login(user)
        assert client.get(url, MARCH).status_code == 403
    client.force_login(market["seller_a"])
    page = client.get(url, MARCH).content.decode()
    assert "600.000\xa0₫" in page and "Rượu A2" in page and "Kẹo cu đơ A1" in page and "data:image/svg+xml;base64," in page
    for other in ("Mật ong B1", market["b"].name, "750.000"):
        assert other not in page, other
    client.force_login(market["seller_b"])
    page = client.get(url, MARCH).content.decode()
    assert "150.000\xa0₫" in page and "100.000\xa0₫" in page and "Rượu A2" not in page  # net: 150.000 − 50.000
