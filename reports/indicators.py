"""The indicator sheet: each platform figure of a period next to the DTI / e-commerce indicator it feeds.

Names, units and definitions come from ``reports/data/dti_digital_economy_indicators.csv`` (sources in
``reports/data/SOURCES.md``), never retyped here; this module only says which figure answers which row.
"""
import csv
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "dti_digital_economy_indicators.csv"


@lru_cache(maxsize=1)
def indicator_definitions():
    """code → the CSV row (code, framework, name_vi, name_en, unit, formula_definition, …, source, notes)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def _figures(report):
    t, s, p, c, i = report.transactions, report.sellers, report.products, report.cashless, report.invoices
    by_type = {row["type"]: row for row in s["by_type"]}
    return [
        # (indicator code, what is measured (vi), value, kind: count|money|percent)
        ("PLAT-01", "Số đơn hàng thành công", t["orders"], "count"),
        ("PLAT-02", "GMV (giá trị hàng hóa, trước hoàn tiền)", t["gmv"], "money"),
        ("PLAT-02", "GMV thuần (sau hoàn tiền)", t["gmv_net"], "money"),
        ("PLAT-03", "Sản phẩm OCOP đang niêm yết", p["ocop"], "count"),
        *[("PLAT-03", f"Sản phẩm OCOP {row['stars']} sao", row["count"], "count") for row in p["by_stars"]],
        ("PLAT-04", "Tỷ lệ sản phẩm OCOP của tỉnh được niêm yết", p["listed_share"], "percent"),
        ("PLAT-05", "Chủ thể bán hàng (đã tham gia)", s["onboarded"], "count"),
        ("PLAT-05", "Chủ thể bán hàng có giao dịch trong kỳ", s["active"], "count"),
        ("PLAT-05", "Hợp tác xã", by_type["cooperative"]["onboarded"], "count"),
        ("PLAT-05", "Tổ hợp tác", by_type["cooperative_group"]["onboarded"], "count"),
        ("PLAT-05", "Hộ kinh doanh", by_type["household_business"]["onboarded"], "count"),
        ("PLAT-05", "Doanh nghiệp", by_type["enterprise"]["onboarded"], "count"),
        ("PLAT-06", "Tỷ lệ thanh toán không dùng tiền mặt theo số đơn", c["orders_share"], "percent"),
        ("PLAT-06", "Tỷ lệ thanh toán không dùng tiền mặt theo giá trị", c["value_share"], "percent"),
        ("PLAT-07", "Số hóa đơn điện tử đã phát hành", i["count"], "count"),
        ("PLAT-07", "Giá trị hóa đơn điện tử đã phát hành", i["value"], "money"),
        ("PLAT-07", "Tỷ lệ giao dịch có hóa đơn điện tử", i["sales_invoiced_share"], "percent"),
        ("PLAT-08", "Số xã/phường có người bán trực tuyến", s["active_communes"], "count"),
        ("PLAT-08", "Tỷ lệ xã/phường có người bán trực tuyến", s["active_communes_share"], "percent"),
        ("PLAT-09", "Hồ sơ người bán được hỗ trợ", s["assisted"], "count"),
        ("PLAT-10", "Chi phí vận chuyển / giá trị hàng", t["shipping_share"], "percent"),
        ("1034-1", "Sản phẩm OCOP được đưa lên sàn", p["ocop"], "count"),
        ("1034-2", "Tài khoản hộ kinh doanh, HTX, THT trên sàn", s["with_accounts"], "count"),
        ("1034-3", "Số giao dịch qua sàn", t["orders"], "count"),
        ("1034-4", "Giá trị giao dịch qua sàn (sau hoàn tiền)", t["gmv_net"], "money"),
        ("1034-5", "Hồ sơ được Tổ công nghệ số cộng đồng hỗ trợ", s["assisted"], "count"),
        ("645-2", "Doanh số TMĐT B2C trên sàn (đồng)", t["gmv_net"], "money"),
        ("645-3", "Tỷ lệ thanh toán không dùng tiền mặt (theo giá trị)", c["value_share"], "percent"),
        ("645-4", "Tỷ lệ giao dịch có hóa đơn điện tử", i["sales_invoiced_share"], "percent"),
        ("645-5", "Tỷ lệ xã có thương nhân bán hàng trực tuyến", s["active_communes_share"], "percent"),
        ("645-7", "Chi phí vận chuyển / giá trị hàng", t["shipping_share"], "percent"),
        ("HT-1", "Tỷ lệ sản phẩm OCOP được đăng tải lên sàn", p["listed_share"], "percent"),
        ("HT-2", "Sản phẩm được giới thiệu và bày bán trên sàn", p["total"], "count"),
        ("HT-2", "trong đó đặc sản tiêu biểu", p["specialties"], "count"),
        ("HT-3", "Số hóa đơn điện tử người bán trên sàn đã phát hành", i["count"], "count"),
    ]


def indicator_sheet(report):
    """Rows ready to copy into the province's report: indicator, figure, value, unit, definition, source."""
    definitions = indicator_definitions()
    rows = []
    for code, measure, value, kind in _figures(report):
        row = definitions.get(code, {})
        rows.append({"code": code, "framework": row.get("framework", ""), "name": row.get("name_vi", ""),
                     "unit": row.get("unit", ""), "definition": row.get("formula_definition", ""),
                     "platform": row.get("measurable_by_platform", ""), "feeds": row.get("notes", ""),
                     "source": row.get("source", ""), "measure": measure, "value": value, "kind": kind,
                     "period": report.period.label})
    return rows
