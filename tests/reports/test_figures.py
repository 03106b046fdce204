"""Every figure of March 2026 against the known fixture (tests/reports/fixtures.py), read through the JSON API."""
import pytest
from django.test import override_settings

from tests.reports.fixtures import build_marketplace, department_user

pytestmark = pytest.mark.django_db
TOKEN = "test-token-123"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def market():
    return build_marketplace()


def summary(client, **params):
    with override_settings(REPORTS_API_TOKENS=[TOKEN]):
        response = client.get("/bao-cao/api/v1/summary", params, **AUTH)
    assert response.status_code == 200, response.content
    return response.json()


def test_transactions_count_only_sales(client, market):
    data = summary(client, period="month", month="03/2026")
    t = data["transactions"]
    # O1 (2 parts), O2, O6, O8; not O3 (COD not delivered), O4 (unpaid), O5 (cancelled), O9 (April 00:10 GMT+7)
    assert (t["orders"], t["fulfilments"], t["sellers"]) == (4, 5, 2)
    assert t["gmv"] == 200000 + 50000 + 200000 + 100000 + 200000 == 750000
    assert t["shipping"] == 5 * 30000
    assert t["aov"] == 187500
    assert (t["refunds_on_sales"], t["gmv_net"]) == (50000, 700000)
    assert t["shipping_share"] == 20.0
    assert data["refunds"] == {"count": 2, "value": 180000, "on_sales_count": 1, "on_sales_value": 50000}


def test_period_is_local_time_and_previous_period_compares(client, market):
    data = summary(client, **{"from": "01/04/2026", "to": "30/04/2026"})
    assert (data["transactions"]["orders"], data["transactions"]["gmv"]) == (1, 100000)  # O9 at 00:10 on 01/04
    march = summary(client, period="month", month="03/2026")
    assert march["previous_period"] == {"start": "2026-02-01", "end": "2026-02-28"}
    orders = next(row for row in march["comparison"] if row["key"] == "orders")
    assert (orders["value"], orders["previous"], orders["change"]) == (4, 1, 300.0)
    gmv = next(row for row in march["comparison"] if row["key"] == "gmv")
    assert (gmv["value"], gmv["previous"], gmv["change"]) == (750000, 100000, 650.0)
    quarter = summary(client, period="quarter", quarter="1/2026")
    assert (quarter["transactions"]["orders"], quarter["transactions"]["gmv"]) == (5, 850000)
    assert quarter["previous_period"] == {"start": "2025-10-01", "end": "2025-12-31"}
    year = summary(client, period="year", year="2026")
    assert year["transactions"]["orders"] == 6


def test_breakdowns_by_district_group_stars(client, market):
    data = summary(client, period="month", month="03/2026")
    t = data["transactions"]
    districts = {row["code"]: row for row in t["by_district"]}
    assert len(districts) == 13
    a, b = districts[market["a"].former_district.code], districts[market["b"].former_district.code]
    assert (a["orders"], a["fulfilments"], a["gmv"], a["sellers"]) == (3, 3, 600000, 1)
    assert (b["orders"], b["fulfilments"], b["gmv"], b["sellers"]) == (2, 2, 150000, 1)
    assert sum(row["gmv"] for row in t["by_district"]) == t["gmv"]
    groups = {row["code"]: (row["quantity"], row["value"]) for row in t["by_group"]}
    assert groups["I"] == (5, 350000) and groups["II"] == (2, 400000) and groups["III"] == (0, 0)
    stars = {row["stars"]: (row["quantity"], row["value"]) for row in t["by_stars"]}
    # a2's 5★ certificate starts in May: its March sales are "not certified" (0)
    assert stars == {5: (0, 0), 4: (2, 200000), 3: (3, 150000), 0: (2, 400000)}
    assert [(p["title"], p["value"]) for p in data["top_products"]] == [
        ("Rượu A2", 400000), ("Kẹo cu đơ A1", 200000), ("Mật ong B1", 150000)]
    assert [(s["name"], s["orders"], s["gmv"]) for s in data["top_sellers"]] == [
        (market["a"].name, 3, 600000), (market["b"].name, 2, 150000)]


def test_cashless_share(client, market):
    c = summary(client, period="month", month="03/2026")["cashless"]
    assert (c["vnpay_orders"], c["cod_orders"], c["vnpay_gmv"], c["cod_gmv"]) == (3, 1, 550000, 200000)
    assert (c["orders_share"], c["value_share"]) == (75.0, 73.3)


def test_invoices_by_kind_and_invoiced_share(client, market):
    i = summary(client, period="month", month="03/2026")["invoices"]
    rows = {(r["template_number"], r["relation"]): (r["count"], r["value"]) for r in i["rows"]}
    o1a, o2a, o6b = (market["invoices"][k] for k in ("o1a", "o2a", "o6b"))
    assert rows == {("1", "original"): (2, o1a.total_payable + o2a.total_payable), ("2", "original"): (1, o6b.total_payable)}
    assert (o1a.total_payable, o2a.total_payable, o6b.total_payable) == (230000, 230000, 130000)
    assert (i["count"], i["value"]) == (3, 590000)
    assert (i["sales"], i["sales_invoiced"], i["sales_invoiced_share"]) == (5, 3, 60.0)
    # the adjustment for O6's refund is dated the day it was made (today), so it belongs to that period
    adjustment = market["invoices"]["o6b_adjustment"]
    today = summary(client, **{"from": adjustment.issue_date.strftime("%d/%m/%Y"),
                               "to": adjustment.issue_date.strftime("%d/%m/%Y")})["invoices"]["rows"]
    assert {"template_number": "2", "relation": "adjustment", "count": 1, "value": adjustment.total_payable} in today


def test_buyers_new_returning_and_provinces(client, market):
    data = summary(client, period="month", month="03/2026")
    buyers = data["buyers"]
    assert (buyers["total"], buyers["new"], buyers["returning"]) == (3, 2, 1)  # U1, G1 new; U2 bought in February
    assert [(r["province"], r["buyers"], r["orders"], r["gmv"]) for r in buyers["by_province"]] == [
        ("Hà Tĩnh", 1, 2, 350000), ("", 1, 1, 200000), ("Nghệ An", 1, 1, 200000)]


def test_products_and_sellers(client, market):
    data = summary(client, period="month", month="03/2026")
    p = data["products"]
    assert (p["total"], p["specialties"], p["ocop"], p["day"]) == (4, 3, 2, "2026-03-31")
    assert p["by_stars"] == [{"stars": 5, "count": 0}, {"stars": 4, "count": 1}, {"stars": 3, "count": 1}]
    groups = {row["code"]: (row["listed"], row["ocop"]) for row in p["by_group"]}
    assert groups["I"] == (3, 2) and groups["II"] == (1, 0)
    assert p["certified_total"] is None and p["listed_share"] is None
    s = data["sellers"]
    assert (s["onboarded"], s["new"], s["active"], s["with_accounts"]) == (4, 1, 2, 2)
    assert (s["active_communes"], s["communes"], s["active_communes_share"]) == (2, 69, 2.9)
    assert (s["assisted"], s["assisted_approved"]) == (1, 1)
    types = {row["type"]: (row["onboarded"], row["active"]) for row in s["by_type"]}
    assert types == {"cooperative": (1, 1), "cooperative_group": (1, 0), "household_business": (1, 1),
                     "enterprise": (1, 0)}
    february = summary(client, period="month", month="02/2026")["sellers"]
    assert (february["onboarded"], february["new"], february["active"]) == (3, 0, 1)


def test_monthly_trend(client, market):
    trend = summary(client, period="month", month="03/2026")["monthly_trend"]
    assert len(trend) == 12 and trend[0]["month"] == "2025-04-01" and trend[-1]["month"] == "2026-03-01"
    assert (trend[-2]["orders"], trend[-2]["gmv"], trend[-2]["cashless_orders_share"]) == (1, 100000, 0.0)
    assert trend[-1] == {"month": "2026-03-01", "orders": 4, "gmv": 750000, "vnpay_orders": 3, "vnpay_gmv": 550000,
                         "cashless_orders_share": 75.0, "cashless_value_share": 73.3}
    assert trend[0]["cashless_orders_share"] is None


def test_certified_total_set_by_the_department_gives_the_listed_share(client, market):
    department = department_user()
    client.force_login(department)
    response = client.post("/bao-cao/tong-so-ocop/", {"year": 2026, "total": 239, "source": "QĐ 1234/QĐ-UBND"})
    assert response.status_code == 302
    client.post("/bao-cao/tong-so-ocop/", {"year": 2026, "total": 250, "source": "QĐ 2000/QĐ-UBND"})
    page = client.get("/bao-cao/tong-so-ocop/").content.decode()
    assert "239 → 250" in page and "dept" in page
    products = summary(client, period="month", month="03/2026")["products"]
    assert (products["certified_total"], products["listed_share"]) == (250, 0.8)
    assert client.post("/bao-cao/tong-so-ocop/", {"year": 2026, "total": -1}).status_code == 400


def test_indicator_sheet_maps_figures_to_dti_rows(client, market):
    with override_settings(REPORTS_API_TOKENS=[TOKEN]):
        rows = client.get("/bao-cao/api/v1/indicators", {"period": "month", "month": "03/2026"}, **AUTH).json()["indicators"]
    by_measure = {(r["code"], r["measure"]): r for r in rows}
    orders = by_measure[("PLAT-01", "Số đơn hàng thành công")]
    assert orders["value"] == 4 and orders["unit"] == "đơn"
    # Written for a civil servant: the rule in words (no pseudo-SQL), and the document it comes from named.
    assert orders["definition"].startswith("Số đơn hàng đặt trong kỳ có ít nhất một giao dịch.")
    assert "đã giao thành công" in orders["definition"] and "COUNT(" not in orders["definition"]
    assert orders["source_named"].startswith("Số liệu do sàn theo dõi") and "645-2" in orders["source_named"]
    assert by_measure[("1034-3", "Số giao dịch qua sàn")]["source_named"].startswith("Quyết định 1034/QĐ-BTTTT")
    assert not any("SOURCES" in r["definition"] + r["source_named"] for r in rows)
    assert by_measure[("1034-4", "Giá trị giao dịch qua sàn (sau hoàn tiền)")]["value"] == 700000
    assert by_measure[("645-3", "Tỷ lệ thanh toán không dùng tiền mặt (theo giá trị)")]["value"] == 73.3
    assert by_measure[("PLAT-07", "Tỷ lệ giao dịch có hóa đơn điện tử")]["value"] == 60.0
    assert all(r["name"] for r in rows)  # every code exists in the data file
    client.force_login(department_user())
    page = client.get("/bao-cao/chi-so/", {"period": "month", "month": "03/2026"}).content.decode()
    assert "PLAT-01" in page and "Tỷ lệ thanh toán không dùng tiền mặt" in page and "700.000" in page
