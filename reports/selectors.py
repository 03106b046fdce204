"""Every figure the department reports, defined once (aggregated in the database, read through the reports alias).

Definitions (the indicator sheet and the API documentation repeat them):

* **Period**: by the order's placement date (``Order.date_placed``) in Asia/Ho_Chi_Minh; the whole
  local days from the first to the last day of the period.
* **Sale** — the unit every transaction figure counts — is one seller's part of an order
  (``Fulfilment``) that is not cancelled and whose money is secured:

  - paid through VNPay: the order's payment is ``paid`` (confirmed by the IPN); a VNPay order still
    awaiting payment, failed or expired is not a sale;
  - cash on delivery: the part is ``delivered`` (the cash was collected); a COD part still on its way
    is not a sale yet.

  Cancelled parts (and so cancelled orders) are never sales, even when they were paid and refunded.
  Each order has exactly one payment (created at placement), so joining it never duplicates rows.
* **Order** (transaction): an order with at least one sale. **Fulfilments**: the sales themselves.
* **GMV** (gross merchandise value): the goods value of the sales — the sum of their lines after
  discounts, in integer đồng, without shipping fees (``Fulfilment.items_total``). **AOV** = GMV ÷ orders,
  rounded to the đồng.
* **Refunds**: succeeded refunds of orders placed in the period (whenever they were paid back). Those
  on sales (a refunded line of a delivered part) are subtracted: **net GMV** = GMV − refunds on sales.
  Refunds of cancelled parts are shown but not subtracted, since those parts were never counted.
* **Cashless**: orders (and their GMV) paid through VNPay ÷ all orders (GMV); cash on delivery is cash.
* **Stars / product group** of a sale line: the best OCOP certificate of the product in force on the
  day the order was placed (verified, or expired since, with issue ≤ day ≤ expiry); the group is the
  product's top-level OCOP group (Decision 148). Lines of products without a certificate count as
  "not certified".
* **District** of a sale: the seller's former district (``Vendor.former_district``).
* **Products listed** (a snapshot on the period's last day, or today if earlier): public products with
  a stock record of an active seller, created by that day; **OCOP products listed** are those with a
  certificate in force that day.
* **Sellers onboarded**: active sellers created by the period's last day; **active**: with a sale in the
  period.
* **E-invoices**: invoices issued (status issued, or replaced since) with an invoice date in the period,
  by kind (VAT / sales invoice) and relation (original / adjustment / replacement); value = total payable
  (adjustments carry signed differences).
* **Buyers**: a logged-in customer, or a guest by lower-cased e-mail; **new** when their first sale ever is
  in the period, **returning** when they also bought before it. Province of delivery: the shipping
  address's province field ("not stated" when empty).

Where the figures are read: the functions below are the live definitions. Once the daily rollup exists
(``reports.rollup``, refreshed by ``refresh_report_rollups``), ``build_report`` sums the sales figures from it
instead (same results, tested), and ``cached_report`` keeps a report until the next refresh. Products,
sellers onboarded, invoices and refunds are always read live (small tables). Every query goes through
``db_alias()`` (``settings.REPORTS_DATABASE_ALIAS``).
"""
import contextlib
import contextvars
import datetime
import types
from dataclasses import dataclass

from django.conf import settings
from django.db.models import CharField, Count, Exists, F, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Lower, NullIf, TruncDate, TruncMonth
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue.models import OcopCertificate, OcopClassification, Product
from invoicing.models import Invoice
from marketplace.money import share, to_dong
from onboarding.models import VendorApplication
from payments.models import Payment, Refund
from places.models import Commune, FormerDistrict
from vendors.models import Fulfilment, Vendor

from .models import CertifiedOcopTotal

Order = get_model("order", "Order")
Line = get_model("order", "Line")
Partner = get_model("partner", "Partner")

#: Parts a VNPay payment makes sales of before they are delivered.
OPEN_STATUSES = (Fulfilment.NEW, Fulfilment.CONFIRMED, Fulfilment.SHIPPED)
NOT_CERTIFIED = 0  # the "stars" key of sale lines without a certificate in force
NOT_STATED = ""  # the province key of orders whose address names no province
TOP = 10


_PRIMARY = contextvars.ContextVar("reports_read_primary", default=False)


def db_alias():
    """The database every report query reads (a read replica when ``REPORTS_DATABASE_URL`` is set)."""
    if _PRIMARY.get():
        return "default"
    return getattr(settings, "REPORTS_DATABASE_ALIAS", "default")


@contextlib.contextmanager
def reading_primary():
    """Read the primary database meanwhile (the rollup refresh must not read a lagging replica)."""
    token = _PRIMARY.set(True)
    try:
        yield
    finally:
        _PRIMARY.reset(token)


def sale_q(fulfilment="", order="order__"):
    """The sale rule as a ``Q`` on a fulfilment reached through ``fulfilment`` (prefix) and its order.

    Positive conditions only (no negation), so the query planner joins once even through a to-many path.
    """
    return (Q(**{f"{fulfilment}status": Fulfilment.DELIVERED})
            | Q(**{f"{fulfilment}status__in": OPEN_STATUSES, f"{order}payments__method": Payment.VNPAY,
                   f"{order}payments__status": Payment.PAID}))


def _placed_in(period, prefix="order__"):
    start, end = period.bounds()
    return Q(**{f"{prefix}date_placed__gte": start, f"{prefix}date_placed__lt": end})


def sales(period=None, *, vendor=None):
    """Sale fulfilments (see the module docstring), placed in ``period`` if given, of ``vendor`` if given."""
    qs = Fulfilment.objects.using(db_alias()).filter(sale_q())
    if period is not None:
        qs = qs.filter(_placed_in(period))
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs


def sale_lines(period, *, vendor=None):
    """Order lines belonging to sales: same order, the sale's seller (a line's seller is its partner)."""
    condition = (Q(order__fulfilments__vendor__partner_id=F("partner_id"))
                 & sale_q("order__fulfilments__", "order__") & _placed_in(period))
    if vendor is not None:
        condition &= Q(order__fulfilments__vendor=vendor)
    return Line.objects.using(db_alias()).filter(condition)


def _stars_on_placement():
    """Best certificate stars of the line's product in force on the order's local placement day (0: none)."""
    certificates = OcopCertificate.objects.filter(
        product=OuterRef("product_id"),
        status__in=[OcopCertificate.STATUS_VERIFIED, OcopCertificate.STATUS_EXPIRED],
        issue_date__lte=OuterRef("placed_on"), expiry_date__gte=OuterRef("placed_on"),
    ).order_by("-stars").values("stars")[:1]
    return Coalesce(Subquery(certificates, output_field=IntegerField()), Value(NOT_CERTIFIED))


def _money(value):
    """Whole đồng by the marketplace's one rule (half up), never Decimal's default half-even."""
    return to_dong(value)


def _share(part, whole):
    """Percentage with one decimal, None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# --- transactions ----------------------------------------------------------------------------------


def transaction_totals(period, *, vendor=None):
    """Orders, fulfilments, GMV, shipping fees, AOV, refunds and net GMV of the period (one row)."""
    row = sales(period, vendor=vendor).aggregate(
        orders=Count("order_id", distinct=True), fulfilments=Count("id"),
        gmv=Coalesce(Sum("items_total"), 0), shipping=Coalesce(Sum("shipping_fee"), 0),
        sellers=Count("vendor_id", distinct=True),
    )
    return finish_totals(row, period, vendor=vendor)


def finish_totals(row, period, *, vendor=None):
    """AOV, refunds on sales, net GMV and the shipping share from the summed figures."""
    refunds = refund_totals(period, vendor=vendor)
    row["aov"] = share(row["gmv"], 1, row["orders"]) if row["orders"] else 0  # half up, like all money
    row["refunds_on_sales"] = refunds["on_sales_value"]
    row["gmv_net"] = row["gmv"] - refunds["on_sales_value"]
    row["shipping_share"] = _share(row["shipping"], row["gmv"])
    return row


def refund_totals(period, *, vendor=None):
    """Succeeded refunds of orders placed in the period; split into those on sales and the rest."""
    qs = Refund.objects.using(db_alias()).filter(status=Refund.SUCCEEDED).filter(_placed_in(period, "payment__order__"))
    if vendor is not None:
        qs = qs.filter(fulfilment__vendor=vendor)
    # the refunded part itself is a sale (its order's payment is the refund's payment)
    on_sale = (Q(fulfilment__status=Fulfilment.DELIVERED)
               | Q(fulfilment__status__in=OPEN_STATUSES, payment__method=Payment.VNPAY, payment__status=Payment.PAID)
               | Q(Exists(Fulfilment.objects.filter(sale_q(), order=OuterRef("payment__order_id"))),
                   fulfilment__isnull=True))
    return qs.aggregate(
        count=Count("id"), value=Coalesce(Sum("amount"), 0),
        on_sales_count=Count("id", filter=on_sale), on_sales_value=Coalesce(Sum("amount", filter=on_sale), 0),
    )


def transactions_by_district(period):
    """Orders, sales and GMV per former district of the seller, every district listed (zeros included)."""
    rows = {r["district"]: r for r in sales(period).values(district=F("vendor__former_district_id")).annotate(
        orders=Count("order_id", distinct=True), fulfilments=Count("id"), gmv=Sum("items_total"),
        sellers=Count("vendor_id", distinct=True)).order_by()}
    return district_rows(rows)


def district_rows(rows):
    """Every former district in code order, zeros where nothing was sold."""
    out = []
    for district in FormerDistrict.objects.using(db_alias()).order_by("code"):
        row = rows.get(district.pk, {})
        out.append({"code": district.code, "name": district.short_name, "orders": row.get("orders", 0),
                    "fulfilments": row.get("fulfilments", 0), "gmv": row.get("gmv") or 0,
                    "sellers": row.get("sellers", 0)})
    return out


def group_names():
    """Top-level OCOP product groups (I–VI) with their Vietnamese names."""
    return dict(OcopClassification.objects.using(db_alias()).filter(level=OcopClassification.LEVEL_GROUP)
                .order_by("code").values_list("code", "name_vi"))


def lines_by_group_and_stars(period, *, vendor=None):
    """Sale lines summed per (product group, stars at placement): quantity, lines and value (one query)."""
    qs = sale_lines(period, vendor=vendor).annotate(
        placed_on=TruncDate("order__date_placed", tzinfo=timezone.get_default_timezone()))
    rows = qs.annotate(stars=_stars_on_placement()).values(
        "stars", group=Coalesce(F("product__ocop_group_code"), Value(""))).annotate(
        lines=Count("id"), quantity=Sum("quantity"), value=Sum("line_price_incl_tax")).order_by()
    return [{"group": r["group"], "stars": r["stars"], "lines": r["lines"], "quantity": r["quantity"],
             "value": _money(r["value"])} for r in rows]


def by_group(cells):
    names = group_names()
    totals = {code: {"code": code, "name": name, "lines": 0, "quantity": 0, "value": 0} for code, name in names.items()}
    for cell in cells:
        row = totals.setdefault(cell["group"], {"code": cell["group"], "name": "—", "lines": 0, "quantity": 0, "value": 0})
        for key in ("lines", "quantity", "value"):
            row[key] += cell[key]
    return list(totals.values())


def by_stars(cells):
    totals = {s: {"stars": s, "lines": 0, "quantity": 0, "value": 0} for s in (5, 4, 3, NOT_CERTIFIED)}
    for cell in cells:
        row = totals[cell["stars"]]
        for key in ("lines", "quantity", "value"):
            row[key] += cell[key]
    return list(totals.values())


def top_products(period, *, vendor=None, limit=TOP):
    rows = sale_lines(period, vendor=vendor).values("product_id").annotate(
        title=Max("title"), seller=Max("partner_name"), quantity=Sum("quantity"),
        value=Sum("line_price_incl_tax")).order_by("-value", "product_id")[:limit]
    return [{"title": r["title"], "seller": r["seller"], "quantity": r["quantity"], "value": _money(r["value"])}
            for r in rows]


def top_sellers(period, *, limit=TOP):
    rows = sales(period).values("vendor_id").annotate(
        name=Max("vendor__partner__name"), seller_type=Max("vendor__seller_type"),
        district=Max("vendor__former_district__name"), orders=Count("order_id", distinct=True),
        gmv=Sum("items_total")).order_by("-gmv", "vendor_id")[:limit]
    types = dict(Vendor.TYPE_CHOICES)
    return [{**r, "seller_type": str(types.get(r["seller_type"], r["seller_type"]))} for r in rows]


def monthly_trend(period, *, vendor=None):
    """Orders, GMV and the VNPay part of both per local month of the period (months without sales: zeros)."""
    zone = timezone.get_default_timezone()
    rows = sales(period, vendor=vendor).annotate(month=TruncMonth("order__date_placed", tzinfo=zone)).values(
        "month").annotate(
        orders=Count("order_id", distinct=True), gmv=Sum("items_total"),
        vnpay_orders=Count("order_id", distinct=True, filter=Q(order__payments__method=Payment.VNPAY)),
        vnpay_gmv=Coalesce(Sum("items_total", filter=Q(order__payments__method=Payment.VNPAY)), 0),
    ).order_by("month")
    return trend_rows(period, {r["month"]: r for r in rows})


def trend_rows(period, found):
    """One row per month of the period from figures keyed by month (date or datetime)."""
    found = {(k.date() if isinstance(k, datetime.datetime) else k).replace(day=1): v for k, v in found.items()}
    out = []
    for month in period.months():
        r = found.get(month, {})
        orders, gmv = r.get("orders") or 0, r.get("gmv") or 0
        vnpay_orders, vnpay_gmv = r.get("vnpay_orders") or 0, r.get("vnpay_gmv") or 0
        out.append({"month": month, "orders": orders, "gmv": gmv, "vnpay_orders": vnpay_orders,
                    "vnpay_gmv": vnpay_gmv, "cashless_orders_share": _share(vnpay_orders, orders),
                    "cashless_value_share": _share(vnpay_gmv, gmv)})
    return out


# --- payments --------------------------------------------------------------------------------------


def cashless(period):
    """Orders and GMV of sales by payment method, with VNPay's share of each."""
    rows = {r["method"]: r for r in sales(period).values(method=F("order__payments__method")).annotate(
        orders=Count("order_id", distinct=True), gmv=Sum("items_total")).order_by()}
    return cashless_row(rows)


def cashless_row(rows):
    """VNPay and COD orders and GMV and VNPay's shares, from figures keyed by payment method."""
    vnpay, cod = rows.get(Payment.VNPAY, {}), rows.get(Payment.COD, {})
    orders = vnpay.get("orders", 0) + cod.get("orders", 0)
    gmv = (vnpay.get("gmv") or 0) + (cod.get("gmv") or 0)
    return {"vnpay_orders": vnpay.get("orders", 0), "cod_orders": cod.get("orders", 0),
            "vnpay_gmv": vnpay.get("gmv") or 0, "cod_gmv": cod.get("gmv") or 0,
            "orders_share": _share(vnpay.get("orders", 0), orders), "value_share": _share(vnpay.get("gmv") or 0, gmv)}


# --- e-invoices ------------------------------------------------------------------------------------


def invoiced_parts(period, *, vendor=None):
    """Sales of the period and how many of them have an issued original e-invoice."""
    return sales(period, vendor=vendor).aggregate(
        total=Count("id"), invoiced=Count("id", filter=Q(Exists(Invoice.objects.filter(
            fulfilment=OuterRef("pk"), relation=Invoice.ORIGINAL, status__in=[Invoice.ISSUED, Invoice.REPLACED])))))


def invoices(period, *, vendor=None, source=None):
    """E-invoices issued with an invoice date in the period, by kind and relation; invoiced sales share."""
    qs = Invoice.objects.using(db_alias()).filter(status__in=[Invoice.ISSUED, Invoice.REPLACED],
                                                  issue_date__gte=period.start, issue_date__lte=period.end)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    rows = list(qs.values("template_number", "relation").annotate(
        count=Count("id"), value=Coalesce(Sum("total_payable"), 0)).order_by("template_number", "relation"))
    invoiced = (source or LIVE).invoiced_parts(period, vendor=vendor)
    return {"rows": rows, "count": sum(r["count"] for r in rows), "value": sum(r["value"] for r in rows),
            "sales": invoiced["total"], "sales_invoiced": invoiced["invoiced"],
            "sales_invoiced_share": _share(invoiced["invoiced"], invoiced["total"])}


# --- buyers ----------------------------------------------------------------------------------------


def _buyer_key(prefix="order__"):
    return Coalesce(Cast(f"{prefix}user_id", CharField()), Lower(f"{prefix}guest_email"), output_field=CharField())


def buyers(period):
    """New and returning buyers of the period (first sale ever inside it, or also before it)."""
    start, end = period.bounds()
    history = sales().filter(order__date_placed__lt=end).values(buyer=_buyer_key()).annotate(
        first=Min("order__date_placed"),
        in_period=Count("id", filter=Q(order__date_placed__gte=start))).filter(in_period__gt=0)
    row = history.aggregate(total=Count("buyer"), new=Count("buyer", filter=Q(first__gte=start)))
    return {"total": row["total"], "new": row["new"], "returning": row["total"] - row["new"]}


def buyers_by_province(period):
    """Distinct buyers, orders and GMV per province of delivery (shipping address), largest first."""
    rows = sales(period).values(province=Coalesce(NullIf("order__shipping_address__state", Value("")),
                                                  Value(NOT_STATED))).annotate(
        buyers=Count(_buyer_key(), distinct=True), orders=Count("order_id", distinct=True),
        gmv=Sum("items_total")).order_by("-gmv", "province")
    return list(rows)


# --- sellers ---------------------------------------------------------------------------------------


def active_vendors(period):
    return sales(period).values("vendor_id")


def sellers(period, *, source=None):
    """Sellers onboarded by the period's end and active in it, by type and by former district."""
    start, end = period.bounds()
    onboarded = Vendor.objects.using(db_alias()).filter(is_active=True, created__lt=end)
    active_ids = (source or LIVE).active_vendors(period)
    totals = onboarded.aggregate(
        onboarded=Count("id"), new=Count("id", filter=Q(created__gte=start)),
        active=Count("id", filter=Q(pk__in=active_ids)),
        with_accounts=Count("id", filter=Q(
            Exists(Partner.users.through.objects.filter(partner_id=OuterRef("partner_id"))),
            seller_type__in=[Vendor.TYPE_HOUSEHOLD, Vendor.TYPE_COOPERATIVE, Vendor.TYPE_COOPERATIVE_GROUP])),
        active_communes=Count("commune_id", distinct=True, filter=Q(pk__in=active_ids)),
    )
    by_type_rows = {r["seller_type"]: r for r in onboarded.values("seller_type").annotate(
        onboarded=Count("id"), active=Count("id", filter=Q(pk__in=active_ids))).order_by()}
    by_type = [{"type": key, "name": str(name), "onboarded": by_type_rows.get(key, {}).get("onboarded", 0),
                "active": by_type_rows.get(key, {}).get("active", 0)} for key, name in Vendor.TYPE_CHOICES]
    district_rows = {r["former_district_id"]: r for r in onboarded.values("former_district_id").annotate(
        onboarded=Count("id"), active=Count("id", filter=Q(pk__in=active_ids))).order_by()}
    by_district = [{"code": d.code, "name": d.short_name,
                    "onboarded": district_rows.get(d.pk, {}).get("onboarded", 0),
                    "active": district_rows.get(d.pk, {}).get("active", 0)}
                   for d in FormerDistrict.objects.using(db_alias()).order_by("code")]
    communes = Commune.objects.using(db_alias()).count()
    assisted = VendorApplication.objects.using(db_alias()).filter(
        assisted_by__isnull=False, submitted_at__gte=start, submitted_at__lt=end).aggregate(
        submitted=Count("id"), approved=Count("id", filter=Q(status=VendorApplication.APPROVED)))
    return {**totals, "communes": communes, "active_communes_share": _share(totals["active_communes"], communes),
            "by_type": by_type, "by_district": by_district, "assisted": assisted["submitted"],
            "assisted_approved": assisted["approved"]}


# --- products --------------------------------------------------------------------------------------


def snapshot_day(period):
    return min(period.end, timezone.localdate())


def products(period):
    """Products listed on the snapshot day, typical specialties, OCOP-certified by stars and by group."""
    day = snapshot_day(period)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min,
                                    tzinfo=timezone.get_default_timezone())
    listed = Product.objects.using(db_alias()).filter(
        is_public=True, date_created__lt=end,
        pk__in=Product.objects.filter(stockrecords__partner__vendor__is_active=True).values("pk"))
    best = OcopCertificate.objects.filter(
        product=OuterRef("pk"), status__in=[OcopCertificate.STATUS_VERIFIED, OcopCertificate.STATUS_EXPIRED],
        issue_date__lte=day, expiry_date__gte=day).order_by("-stars").values("stars")[:1]
    listed = listed.annotate(stars=Subquery(best, output_field=IntegerField()))
    totals = listed.aggregate(total=Count("id"), specialties=Count("id", filter=Q(is_typical_specialty=True)),
                              ocop=Count("id", filter=Q(stars__isnull=False)))
    star_rows = {r["stars"]: r["n"] for r in listed.filter(stars__isnull=False).values("stars").annotate(
        n=Count("id")).order_by()}
    group_rows = {r["ocop_group_code"]: r for r in listed.values("ocop_group_code").annotate(
        listed=Count("id"), ocop=Count("id", filter=Q(stars__isnull=False))).order_by()}
    names = group_names()
    by_group_rows = [{"code": code, "name": name, "listed": group_rows.get(code, {}).get("listed", 0),
                      "ocop": group_rows.get(code, {}).get("ocop", 0)} for code, name in names.items()]
    if group_rows.get(""):
        by_group_rows.append({"code": "", "name": "—", "listed": group_rows[""]["listed"], "ocop": group_rows[""]["ocop"]})
    certified = CertifiedOcopTotal.objects.using(db_alias()).filter(year=day.year).first()
    return {**totals, "day": day, "by_stars": [{"stars": s, "count": star_rows.get(s, 0)} for s in (5, 4, 3)],
            "by_group": by_group_rows, "certified_total": certified.total if certified else None,
            "certified_source": certified.source if certified else "",
            "listed_share": _share(totals["ocop"], certified.total) if certified else None}


# --- the whole report ------------------------------------------------------------------------------


@dataclass
class Report:
    """Every section for one period (and the headline figures of the previous one)."""

    period: object
    previous: object
    products: dict
    sellers: dict
    transactions: dict
    previous_transactions: dict
    by_district: list
    by_group: list
    by_stars: list
    top_products: list
    top_sellers: list
    cashless: dict
    previous_cashless: dict
    invoices: dict
    refunds: dict
    buyers: dict
    previous_buyers: dict
    by_province: list
    trend: list

    def comparison(self):
        """Headline figures now, before, and the change in percent (None when before was zero)."""
        pairs = [
            ("orders", self.transactions["orders"], self.previous_transactions["orders"]),
            ("fulfilments", self.transactions["fulfilments"], self.previous_transactions["fulfilments"]),
            ("gmv", self.transactions["gmv"], self.previous_transactions["gmv"]),
            ("gmv_net", self.transactions["gmv_net"], self.previous_transactions["gmv_net"]),
            ("aov", self.transactions["aov"], self.previous_transactions["aov"]),
            ("active_sellers", self.transactions["sellers"], self.previous_transactions["sellers"]),
            ("cashless_orders_share", self.cashless["orders_share"], self.previous_cashless["orders_share"]),
            ("cashless_value_share", self.cashless["value_share"], self.previous_cashless["value_share"]),
            ("new_buyers", self.buyers["new"], self.previous_buyers["new"]),
            ("buyers", self.buyers["total"], self.previous_buyers["total"]),
        ]
        out = []
        for key, now, before in pairs:
            change = round(100 * (now - before) / before, 1) if before and now is not None else None
            out.append({"key": key, "value": now, "previous": before, "change": change})
        return out


def report_source():
    """Where sales figures come from: the daily rollup once built (unless REPORTS_USE_ROLLUP is False), else live."""
    from . import rollup

    if getattr(settings, "REPORTS_USE_ROLLUP", True) and rollup.is_ready():
        return rollup
    return LIVE


def cached_report(period):
    """``build_report`` through the cache when it reads the rollup: keyed by the rollup's refresh time, so a
    cached report never outlives the figures it was made from (live reports are never cached)."""
    from django.core.cache import cache

    from . import rollup

    src = report_source()
    if src is LIVE:
        return build_report(period, source=LIVE)
    key = report_cache_key(period)
    report = cache.get(key)
    if report is None:
        report = build_report(period, source=src)
        cache.set(key, report, getattr(settings, "REPORTS_CACHE_SECONDS", 3600))
    return report


def report_cache_key(period, suffix=""):
    from . import rollup

    stamp = rollup.refreshed_at()
    return f"reports:{db_alias()}:{stamp.timestamp() if stamp else 0}:{period.start}:{period.end}:{period.kind}{suffix}"


def build_report(period, *, source=None):
    """All sections of ``period``: a bounded number of aggregate queries, whatever the data size."""
    src = source or report_source()
    previous = period.previous()
    cells = src.lines_by_group_and_stars(period)
    return Report(
        period=period, previous=previous, products=products(period), sellers=sellers(period, source=src),
        transactions=src.transaction_totals(period), previous_transactions=src.transaction_totals(previous),
        by_district=src.transactions_by_district(period), by_group=by_group(cells), by_stars=by_stars(cells),
        top_products=src.top_products(period), top_sellers=src.top_sellers(period), cashless=src.cashless(period),
        previous_cashless=src.cashless(previous), invoices=invoices(period, source=src),
        refunds=refund_totals(period), buyers=src.buyers(period), previous_buyers=src.buyers(previous),
        by_province=src.buyers_by_province(period), trend=src.monthly_trend(period.trend_period()),
    )


@dataclass
class SellerReport:
    """A seller's own figures: nothing about any other seller."""

    vendor: object
    period: object
    transactions: dict
    previous_transactions: dict
    top_products: list
    trend: list
    by_group: list


def build_seller_report(period, vendor, *, source=None):
    src = source or report_source()
    cells = src.lines_by_group_and_stars(period, vendor=vendor)
    return SellerReport(vendor=vendor, period=period, transactions=src.transaction_totals(period, vendor=vendor),
                        previous_transactions=src.transaction_totals(period.previous(), vendor=vendor),
                        top_products=src.top_products(period, vendor=vendor),
                        trend=src.monthly_trend(period.trend_period(), vendor=vendor), by_group=by_group(cells))


#: The live definitions, as the same interface as ``reports.rollup``.
LIVE = types.SimpleNamespace(
    transaction_totals=transaction_totals, transactions_by_district=transactions_by_district,
    lines_by_group_and_stars=lines_by_group_and_stars, top_products=top_products, top_sellers=top_sellers,
    monthly_trend=monthly_trend, cashless=cashless, invoiced_parts=invoiced_parts, buyers=buyers,
    buyers_by_province=buyers_by_province, active_vendors=active_vendors,
)
