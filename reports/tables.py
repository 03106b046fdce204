"""The report laid out as sections of tables, once, for the page, the XLSX, the CSV and the PDF.

A column has a kind (text, count, money, percent) so each output formats numbers its own way while the
values stay numbers (integer đồng for money). Tables flagged ``personal`` name sellers or products with
their sellers: they are left out of the open-data file.
"""
from dataclasses import dataclass, field

from django.utils.translation import pgettext

from .charts import star_label
from .selectors import NOT_STATED

TEXT, COUNT, MONEY, PERCENT = "text", "count", "money", "percent"


@dataclass
class Table:
    key: str
    title: str
    columns: list  # [(label, kind)]
    rows: list  # lists of values, one per column
    personal: bool = False


@dataclass
class Section:
    key: str
    title: str
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)  # chart keys shown with the section


def comparison_table(report):
    labels = {
        "orders": pgettext("report", "Orders"), "fulfilments": pgettext("report", "Seller parts sold (fulfilments)"),
        "gmv": pgettext("report", "Gross merchandise value (GMV)"), "gmv_net": pgettext("report", "GMV net of refunds"),
        "aov": pgettext("report", "Average order value"), "active_sellers": pgettext("report", "Active sellers"),
        "cashless_orders_share": pgettext("report", "Cashless share of orders (%)"),
        "cashless_value_share": pgettext("report", "Cashless share of value (%)"), "new_buyers": pgettext("report", "New buyers"),
        "buyers": pgettext("report", "Buyers"),
    }
    kinds = {"gmv": MONEY, "gmv_net": MONEY, "aov": MONEY, "cashless_orders_share": PERCENT,
             "cashless_value_share": PERCENT}
    rows = [[labels[row["key"]], row["value"], row["previous"], row["change"], kinds.get(row["key"], COUNT)]
            for row in report.comparison()]
    return Table("comparison", pgettext("report", "This period compared with the previous one"),
                 [(pgettext("report", "Figure"), TEXT), (report.period.label, "mixed"), (report.previous.label, "mixed"),
                  (pgettext("report", "Change (%)"), PERCENT)], rows)


def build_sections(report):
    p, s, t = report.products, report.sellers, report.transactions
    c, i, r, b = report.cashless, report.invoices, report.refunds, report.buyers
    sections = [Section("summary", pgettext("report", "Summary"), [comparison_table(report)], ["trend"])]

    listed_share = p["listed_share"]
    sections.append(Section("products", pgettext("report", "Products listed"), [
        Table("products_totals", pgettext("report", "Products listed on %(day)s") % {"day": f"{p['day']:%d/%m/%Y}"},
              [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
                  [pgettext("report", "Products listed"), p["total"], COUNT],
                  [pgettext("report", "Typical specialties of Hà Tĩnh"), p["specialties"], COUNT],
                  [pgettext("report", "OCOP-certified products listed"), p["ocop"], COUNT],
                  [pgettext("report", "Certified OCOP products in the province (%(year)s)") % {"year": p["day"].year},
                   p["certified_total"], COUNT],
                  [pgettext("report", "Share of the province's certified products listed (%)"), listed_share, PERCENT],
              ]),
        Table("products_by_stars", pgettext("report", "OCOP products listed by star rating"),
              [(pgettext("report", "Stars"), TEXT), (pgettext("report", "Products"), COUNT)],
              [[star_label(row["stars"]), row["count"]] for row in p["by_stars"]]),
        Table("products_by_group", pgettext("report", "Products listed by OCOP product group"),
              [(pgettext("report", "Group"), TEXT), (pgettext("report", "Name"), TEXT), (pgettext("report", "Products listed"), COUNT), (pgettext("report", "OCOP-certified"), COUNT)],
              [[row["code"], row["name"], row["listed"], row["ocop"]] for row in p["by_group"]]),
    ]))

    sections.append(Section("sellers", pgettext("report", "Sellers"), [
        Table("sellers_totals", pgettext("report", "Sellers"), [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
            [pgettext("report", "Sellers onboarded (by the end of the period)"), s["onboarded"], COUNT],
            [pgettext("report", "New sellers in the period"), s["new"], COUNT],
            [pgettext("report", "Active sellers (sold in the period)"), s["active"], COUNT],
            [pgettext("report", "Households, cooperatives and cooperative groups with accounts"), s["with_accounts"], COUNT],
            [pgettext("report", "Applications assisted by community digital teams"), s["assisted"], COUNT],
            [pgettext("report", "of which approved"), s["assisted_approved"], COUNT],
            [pgettext("report", "Communes and wards with an active seller"), s["active_communes"], COUNT],
            [pgettext("report", "Share of the %(n)s communes and wards (%%)") % {"n": s["communes"]}, s["active_communes_share"],
             PERCENT],
        ]),
        Table("sellers_by_type", pgettext("report", "Sellers by type"),
              [(pgettext("report", "Type"), TEXT), (pgettext("report", "Onboarded"), COUNT), (pgettext("report", "Active"), COUNT)],
              [[row["name"], row["onboarded"], row["active"]] for row in s["by_type"]]),
        Table("sellers_by_district", pgettext("report", "Sellers by former district"),
              [(pgettext("report", "Former district"), TEXT), (pgettext("report", "Onboarded"), COUNT), (pgettext("report", "Active"), COUNT)],
              [[row["name"], row["onboarded"], row["active"]] for row in s["by_district"]]),
    ]))

    sections.append(Section("transactions", pgettext("report", "Transactions"), [
        Table("transactions_totals", pgettext("report", "Transactions"), [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
            [pgettext("report", "Orders"), t["orders"], COUNT],
            [pgettext("report", "Seller parts sold (fulfilments)"), t["fulfilments"], COUNT],
            [pgettext("report", "Gross merchandise value (GMV)"), t["gmv"], MONEY],
            [pgettext("report", "Refunds on sales"), t["refunds_on_sales"], MONEY],
            [pgettext("report", "GMV net of refunds"), t["gmv_net"], MONEY],
            [pgettext("report", "Average order value"), t["aov"], MONEY],
            [pgettext("report", "Shipping fees"), t["shipping"], MONEY],
            [pgettext("report", "Shipping fees / goods value (%)"), t["shipping_share"], PERCENT],
        ]),
        Table("transactions_by_district", pgettext("report", "Sales by former district of the seller"),
              [(pgettext("report", "Former district"), TEXT), (pgettext("report", "Orders"), COUNT), (pgettext("report", "Seller parts"), COUNT),
               (pgettext("report", "Sellers"), COUNT), (pgettext("report", "GMV (đồng)"), MONEY)],
              [[row["name"], row["orders"], row["fulfilments"], row["sellers"], row["gmv"]]
               for row in report.by_district]),
        Table("transactions_by_group", pgettext("report", "Sales by OCOP product group"),
              [(pgettext("report", "Group"), TEXT), (pgettext("report", "Name"), TEXT), (pgettext("report", "Quantity"), COUNT), (pgettext("report", "Value (đồng)"), MONEY)],
              [[row["code"], row["name"], row["quantity"], row["value"]] for row in report.by_group]),
        Table("transactions_by_stars", pgettext("report", "Sales by OCOP star rating on the day of the order"),
              [(pgettext("report", "Stars"), TEXT), (pgettext("report", "Quantity"), COUNT), (pgettext("report", "Value (đồng)"), MONEY)],
              [[star_label(row["stars"]), row["quantity"], row["value"]] for row in report.by_stars]),
        Table("top_products", pgettext("report", "Top products"),
              [(pgettext("report", "Product"), TEXT), (pgettext("report", "Seller"), TEXT), (pgettext("report", "Quantity"), COUNT), (pgettext("report", "Value (đồng)"), MONEY)],
              [[row["title"], row["seller"], row["quantity"], row["value"]] for row in report.top_products],
              personal=True),
        Table("top_sellers", pgettext("report", "Top sellers"),
              [(pgettext("report", "Seller"), TEXT), (pgettext("report", "Type"), TEXT), (pgettext("report", "Former district"), TEXT), (pgettext("report", "Orders"), COUNT),
               (pgettext("report", "GMV (đồng)"), MONEY)],
              [[row["name"], row["seller_type"], row["district"], row["orders"], row["gmv"]]
               for row in report.top_sellers], personal=True),
    ], ["districts", "groups", "stars"]))

    total_orders = c["vnpay_orders"] + c["cod_orders"]
    sections.append(Section("payments", pgettext("report", "Cashless payments"), [
        Table("cashless", pgettext("report", "Orders and value by payment method"),
              [(pgettext("report", "Method"), TEXT), (pgettext("report", "Orders"), COUNT), (pgettext("report", "Share of orders (%)"), PERCENT),
               (pgettext("report", "Value (đồng)"), MONEY), (pgettext("report", "Share of value (%)"), PERCENT)], [
                  [pgettext("report", "VNPay (cashless)"), c["vnpay_orders"], c["orders_share"], c["vnpay_gmv"], c["value_share"]],
                  [pgettext("report", "Cash on delivery"), c["cod_orders"],
                   None if c["orders_share"] is None else round(100 - c["orders_share"], 1), c["cod_gmv"],
                   None if c["value_share"] is None else round(100 - c["value_share"], 1)],
                  [pgettext("report", "Total"), total_orders, 100.0 if total_orders else None, c["vnpay_gmv"] + c["cod_gmv"],
                   100.0 if total_orders else None],
              ]),
    ], ["cashless"]))

    kinds = {"1": pgettext("report", "VAT invoice"), "2": pgettext("report", "Sales invoice")}
    relations = {"original": pgettext("report", "Original"), "adjustment": pgettext("report", "Adjustment"), "replacement": pgettext("report", "Replacement")}
    sections.append(Section("invoices", pgettext("report", "E-invoices and refunds"), [
        Table("invoices", pgettext("report", "E-invoices issued (by invoice date)"),
              [(pgettext("report", "Kind"), TEXT), (pgettext("report", "Relation"), TEXT), (pgettext("report", "Invoices"), COUNT), (pgettext("report", "Value (đồng)"), MONEY)],
              [[kinds.get(row["template_number"], row["template_number"]),
                relations.get(row["relation"], row["relation"]), row["count"], row["value"]] for row in i["rows"]]
              + [[pgettext("report", "Total"), "", i["count"], i["value"]]]),
        Table("invoices_share", pgettext("report", "Sales with an e-invoice"), [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
            [pgettext("report", "Seller parts sold"), i["sales"], COUNT],
            [pgettext("report", "of which with an issued e-invoice"), i["sales_invoiced"], COUNT],
            [pgettext("report", "Share (%)"), i["sales_invoiced_share"], PERCENT],
        ]),
        Table("refunds", pgettext("report", "Refunds (orders placed in the period)"), [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
            [pgettext("report", "Refunds"), r["count"], COUNT],
            [pgettext("report", "Refunded value"), r["value"], MONEY],
            [pgettext("report", "Refunds on sales (subtracted from GMV)"), r["on_sales_count"], COUNT],
            [pgettext("report", "Value refunded on sales"), r["on_sales_value"], MONEY],
        ]),
    ]))

    sections.append(Section("buyers", pgettext("report", "Buyers"), [
        Table("buyers", pgettext("report", "Buyers"), [(pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed")], [
            [pgettext("report", "Buyers"), b["total"], COUNT], [pgettext("report", "New buyers"), b["new"], COUNT],
            [pgettext("report", "Returning buyers"), b["returning"], COUNT],
        ]),
        Table("buyers_by_province", pgettext("report", "Buyers by province of delivery"),
              [(pgettext("report", "Province"), TEXT), (pgettext("report", "Buyers"), COUNT), (pgettext("report", "Orders"), COUNT), (pgettext("report", "GMV (đồng)"), MONEY)],
              [[row["province"] if row["province"] != NOT_STATED else pgettext("report", "Not stated"), row["buyers"], row["orders"],
                row["gmv"]] for row in report.by_province]),
    ]))

    sections.append(Section("trend", pgettext("report", "Monthly trend"), [
        Table("trend", pgettext("report", "Orders and value per month"),
              [(pgettext("report", "Month"), TEXT), (pgettext("report", "Orders"), COUNT), (pgettext("report", "GMV (đồng)"), MONEY), (pgettext("report", "VNPay orders"), COUNT),
               (pgettext("report", "VNPay value (đồng)"), MONEY), (pgettext("report", "Cashless share of orders (%)"), PERCENT),
               (pgettext("report", "Cashless share of value (%)"), PERCENT)],
              [[f"{row['month']:%m/%Y}", row["orders"], row["gmv"], row["vnpay_orders"], row["vnpay_gmv"],
                row["cashless_orders_share"], row["cashless_value_share"]] for row in report.trend]),
    ]))
    return sections


def indicator_table(rows):
    return Table("indicators", pgettext("report", "DTI indicator sheet"),
                 [(pgettext("report", "Code"), TEXT), (pgettext("report", "Indicator"), TEXT), (pgettext("report", "Figure"), TEXT), (pgettext("report", "Value"), "mixed"),
                  (pgettext("report", "Unit"), TEXT), (pgettext("report", "How it is counted"), TEXT),
                  (pgettext("report", "Source"), TEXT)],
                 [[row["code"], row["name"], row["measure"], row["value"], row["unit"], row["definition"],
                   row["source_named"], row["kind"]] for row in rows])


def cell_kind(table, row, index):
    """The kind of one cell: the column's, or for a "mixed" column the kind carried at the end of the row."""
    kind = table.columns[index][1]
    if kind == "mixed":
        return row[-1] if len(row) > len(table.columns) else COUNT
    return kind


def visible_cells(table, row):
    """The row's values without the trailing kind of "mixed" tables, each with its kind."""
    return [(row[i], cell_kind(table, row, i)) for i in range(len(table.columns))]
