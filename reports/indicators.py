"""The indicator sheet: each platform figure of a period next to the DTI / e-commerce indicator it feeds.

Names, units and definitions come from ``reports/data/dti_digital_economy_indicators.csv`` (sources in
``reports/data/SOURCES.md``), never retyped here; this module only says which figure answers which row.
"""
import csv
from functools import lru_cache
from pathlib import Path

from django.utils.translation import pgettext_lazy

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


#: How each platform figure is counted, in words a civil servant can check (the rules of reports/selectors.py).
SALE = pgettext_lazy("indicator", "A sale is one seller's parcel of an order that was not cancelled and is paid: "
                                  "through VNPay (confirmed by VNPay) or, for cash on delivery, delivered.")
HOW_COUNTED = {
    "orders": pgettext_lazy("indicator", "Number of orders placed in the period with at least one sale. "),
    "gmv": pgettext_lazy("indicator", "Value of the goods sold (after discounts, without shipping fees), added up "
                                      "over the sales of orders placed in the period."),
    "gmv_net": pgettext_lazy("indicator", "Value of the goods sold minus the money refunded on those sales."),
    "ocop": pgettext_lazy("indicator", "Products on sale on the last day of the period whose OCOP certificate "
                                       "was checked by the department and is in force that day."),
    "listed_share": pgettext_lazy("indicator", "OCOP products on sale ÷ the province's number of OCOP products "
                                               "(3 stars or more) of that year, entered by the department, × 100."),
    "onboarded": pgettext_lazy("indicator", "Sellers approved and active on the last day of the period."),
    "active": pgettext_lazy("indicator", "Sellers with at least one sale in the period."),
    "cashless_orders": pgettext_lazy("indicator", "Orders paid through VNPay ÷ all orders with a sale, × 100; "
                                                  "cash on delivery counts as cash."),
    "cashless_value": pgettext_lazy("indicator", "Value of goods paid through VNPay ÷ value of all goods sold, × 100."),
    "invoices": pgettext_lazy("indicator", "E-invoices issued with an invoice date in the period (adjustments "
                                           "included); the value is the total payable written on them."),
    "invoiced_share": pgettext_lazy("indicator", "Sales that have an e-invoice ÷ all sales, × 100."),
    "communes": pgettext_lazy("indicator", "Communes and wards of Hà Tĩnh with at least one seller who had a sale "
                                           "in the period; the share divides by the province's 69 communes and wards."),
    "assisted": pgettext_lazy("indicator", "Seller applications filed with the help of a community digital team "
                              "member."),
    "shipping": pgettext_lazy("indicator", "Shipping fees of the sales ÷ value of the goods sold, × 100."),
    "products": pgettext_lazy("indicator", "Products on sale on the last day of the period (public, with a seller "
                                           "that is active); typical specialties are counted among them."),
}
#: Which rule counts each indicator row (by indicator code and the figure's place among the rows of that code).
RULE_OF = {"PLAT-01": "orders", "PLAT-02": ("gmv", "gmv_net"), "PLAT-03": "ocop", "PLAT-04": "listed_share",
           "PLAT-05": ("onboarded", "active", "onboarded"), "PLAT-06": ("cashless_orders", "cashless_value"),
           "PLAT-07": ("invoices", "invoices", "invoiced_share"), "PLAT-08": "communes", "PLAT-09": "assisted",
           "PLAT-10": "shipping", "1034-1": "ocop", "1034-2": "onboarded", "1034-3": "orders", "1034-4": "gmv_net",
           "1034-5": "assisted", "645-2": "gmv_net", "645-3": "cashless_value", "645-4": "invoiced_share",
           "645-5": "communes", "645-7": "shipping", "HT-1": "listed_share", "HT-2": "products",
           "HT-3": "invoices"}
#: The document each framework comes from, named as the department cites it.
SOURCES = {
    "PLAT": pgettext_lazy("indicator", "Figure kept by the marketplace for the indicators it feeds: %(feeds)s"),
    "1034": pgettext_lazy("indicator", "Decision 1034/QĐ-BTTTT of 21/07/2021 (bringing farming households onto "
                                       "e-commerce platforms)"),
    "645": pgettext_lazy("indicator", "Decision 645/QĐ-TTg of 15/05/2020 (national e-commerce plan 2021–2025)"),
    "HT": pgettext_lazy("indicator", "Hà Tĩnh's own report on digital transformation and OCOP (2023)"),
}


def how_counted(code, position):
    """The words for the ``position``-th figure of indicator ``code`` (the sale rule added where it applies)."""
    rule = RULE_OF.get(code, "")
    if isinstance(rule, tuple):
        rule = rule[min(position, len(rule) - 1)]
    text = str(HOW_COUNTED.get(rule, ""))
    if rule in ("orders", "gmv", "gmv_net", "active", "cashless_orders", "cashless_value", "invoiced_share",
                "communes", "shipping"):
        text = f"{text} {SALE}"
    return text.strip()


def source_of(code, feeds=""):
    prefix = code.split("-")[0]
    template = SOURCES.get(prefix)
    if template is None:
        return ""
    return str(template) % {"feeds": feeds.replace("feeds:", "").strip()} if prefix == "PLAT" else str(template)


def indicator_sheet(report):
    """Rows ready to copy into the province's report: indicator, figure, value, unit, definition, source."""
    definitions = indicator_definitions()
    rows, seen = [], {}
    for code, measure, value, kind in _figures(report):
        row = definitions.get(code, {})
        position = seen[code] = seen.get(code, -1) + 1
        rows.append({"code": code, "framework": row.get("framework", ""), "name": row.get("name_vi", ""),
                     "unit": row.get("unit", ""), "definition": how_counted(code, position),
                     "source_named": source_of(code, row.get("notes", "")),
                     "platform": row.get("measurable_by_platform", ""), "feeds": row.get("notes", ""),
                     "source": row.get("source", ""), "measure": measure, "value": value, "kind": kind,
                     "period": report.period.label})
    return rows
