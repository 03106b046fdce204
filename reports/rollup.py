"""Pre-aggregated daily sales: built from the live definitions, read by the dashboard for speed.

Why: at a million order lines, evaluating the sale rule over orders, parts, payments and lines for a year
takes tens of seconds (bench/reports.py); the same figures summed from a few thousand daily rows take
milliseconds. Correctness comes from building every row with the live querysets of ``selectors`` (the one
place the rules live) and from refreshing every day whose data changed:

* ``rollup_refresh()`` (command ``refresh_report_rollups``, Celery task ``reports.refresh_rollups``,
  every few minutes) recomputes the days of orders placed, or whose parts, payments or invoices changed,
  since the previous run; a certificate change (stars at the sale date) or ``full=True`` rebuilds all.
* Everything happens in one transaction per refresh (delete the days, insert them again).
* Reports read the rollup once it has been built (``RollupState.refreshed_at``) unless
  ``settings.REPORTS_USE_ROLLUP`` is False; tests prove rollup figures equal live figures.

The rollup is built from the primary database (a replica may lag), and read through the reports alias.
"""
from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncDate, TruncMonth
from django.utils import timezone

from catalogue.models import OcopCertificate
from invoicing.models import Invoice
from payments.models import Payment
from vendors.models import Fulfilment, Vendor

from . import selectors
from .models import DailyBuyers, DailyDistrictOrders, DailyOrders, DailyProductSales, DailySellerSales, RollupState
from .periods import CUSTOM, Period

TABLES = (DailySellerSales, DailyOrders, DailyDistrictOrders, DailyProductSales, DailyBuyers)


def _zone():
    return timezone.get_default_timezone()


def _local_day(value):
    return timezone.localtime(value, _zone()).date()


def _changed_days(since):
    """First and last local day of orders placed, or whose parts/payments/invoices changed, since ``since``."""
    day = TruncDate("order__date_placed", tzinfo=_zone())
    ranges = [
        Fulfilment.objects.filter(Q(updated__gte=since) | Q(order__date_placed__gte=since)).aggregate(
            first=Min(day), last=Max(day)),
        Payment.objects.filter(updated__gte=since).aggregate(first=Min(day), last=Max(day)),
        Invoice.objects.filter(updated__gte=since).aggregate(first=Min(TruncDate("fulfilment__order__date_placed",
                                                                                 tzinfo=_zone())),
                                                             last=Max(TruncDate("fulfilment__order__date_placed",
                                                                                tzinfo=_zone()))),
    ]
    firsts = [r["first"] for r in ranges if r["first"]]
    lasts = [r["last"] for r in ranges if r["last"]]
    return (min(firsts), max(lasts)) if firsts else None


def _all_days():
    from oscar.core.loading import get_model

    row = get_model("order", "Order").objects.aggregate(first=Min("date_placed"), last=Max("date_placed"))
    return (_local_day(row["first"]), _local_day(row["last"])) if row["first"] else None


def rollup_refresh(*, full=False):
    """Recompute the daily tables for the days that changed (all days with ``full``); returns a summary.

    The state row is locked for the whole refresh, so two refreshes (beat and a manual run) never
    interleave their deletes and inserts.
    """
    started = timezone.now()
    RollupState.objects.get_or_create(pk=1)
    written = 0
    with transaction.atomic(), selectors.reading_primary():
        state = RollupState.objects.select_for_update().get(pk=1)
        since = state.checked_until
        certificates_changed = since is not None and OcopCertificate.objects.filter(updated__gte=since).exists()
        rebuild = full or since is None or certificates_changed
        days = _all_days() if rebuild else _changed_days(since)
        if rebuild:
            for model in TABLES:
                model.objects.all().delete()
        if days:
            period = Period(days[0], days[1], CUSTOM)
            if not rebuild:
                for model in TABLES:
                    model.objects.filter(day__gte=period.start, day__lte=period.end).delete()
            written = _build(period)
        state.checked_until, state.refreshed_at = started, timezone.now()
        state.save()
    return {"days": days, "rows": written, "full": rebuild}


def _build(period):
    """Insert the rows of every day in ``period`` from the live querysets (aggregated in the database)."""
    zone = _zone()
    day = TruncDate("order__date_placed", tzinfo=zone)
    sales = selectors.sales(period).annotate(day=day)
    invoiced = Exists(Invoice.objects.filter(fulfilment=OuterRef("pk"), relation=Invoice.ORIGINAL,
                                             status__in=[Invoice.ISSUED, Invoice.REPLACED]))
    seller_rows = [DailySellerSales(day=r["day"], vendor_id=r["vendor_id"], method=r["method"], parts=r["parts"],
                                    gmv=r["gmv"], shipping=r["shipping"], invoiced_parts=r["invoiced"])
                   for r in sales.values("day", "vendor_id", method=F("order__payments__method")).annotate(
                       parts=Count("id"), gmv=Sum("items_total"), shipping=Sum("shipping_fee"),
                       invoiced=Count("id", filter=Q(invoiced))).order_by()]
    order_rows = [DailyOrders(day=r["day"], method=r["method"], orders=r["orders"])
                  for r in sales.values("day", method=F("order__payments__method")).annotate(
                      orders=Count("order_id", distinct=True)).order_by()]
    district_rows = [DailyDistrictOrders(day=r["day"], former_district_id=r["district"], orders=r["orders"])
                     for r in sales.values("day", district=F("vendor__former_district_id")).annotate(
                         orders=Count("order_id", distinct=True)).order_by()]
    lines = selectors.sale_lines(period).annotate(
        placed_on=TruncDate("order__date_placed", tzinfo=zone)).annotate(stars=selectors._stars_on_placement())
    product_rows = [DailyProductSales(day=r["placed_on"], product_id=r["product_id"], vendor_id=r["vendor"],
                                      group_code=r["group"], stars=r["stars"], lines=r["lines"],
                                      quantity=r["quantity"], value=selectors._money(r["value"]))
                    for r in lines.values("placed_on", "product_id", "stars", vendor=F("partner__vendor__id"),
                                          group=Coalesce(F("product__ocop_group_code"), Value(""))).annotate(
                        lines=Count("id"), quantity=Sum("quantity"), value=Sum("line_price_incl_tax")).order_by()]
    buyer_rows = [DailyBuyers(day=r["day"], buyer=r["buyer"] or "", province=r["province"], orders=r["orders"],
                              gmv=r["gmv"])
                  for r in sales.values("day", buyer=selectors._buyer_key(), province=Coalesce(
                      NullIf("order__shipping_address__state", Value("")), Value(selectors.NOT_STATED))).annotate(
                      orders=Count("order_id", distinct=True), gmv=Sum("items_total")).order_by()]
    written = 0
    for model, rows in ((DailySellerSales, seller_rows), (DailyOrders, order_rows),
                        (DailyDistrictOrders, district_rows), (DailyProductSales, product_rows),
                        (DailyBuyers, buyer_rows)):
        model.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def refreshed_at():
    state = RollupState.objects.using(selectors.db_alias()).order_by("pk").first()
    return state.refreshed_at if state else None


def is_ready():
    return refreshed_at() is not None


def warm_reports(today=None):
    """Compute and cache this month's, quarter's and year's reports and their charts right after a refresh (the
    views' cache keys), so the dashboard answers from memory for the periods people look at most."""
    today = today or timezone.localdate()
    periods = [Period.month(today.year, today.month), Period.quarter(today.year, (today.month - 1) // 3 + 1),
               Period.year(today.year)]
    from django.utils import translation

    from .exports import chart_pngs
    from .views import rendered_charts

    for period in periods:
        report = selectors.cached_report(period)
        with translation.override("vi"):  # drawing the charts is most of a cold dashboard (matplotlib)
            rendered_charts(report)
            chart_pngs(report, 90)  # the month's XLSX
    return periods


# --- reading ---------------------------------------------------------------------------------------


def _days(model, period):
    return model.objects.using(selectors.db_alias()).filter(day__gte=period.start, day__lte=period.end)


def transaction_totals(period, *, vendor=None):
    parts = _days(DailySellerSales, period)
    if vendor is not None:
        parts = parts.filter(vendor=vendor)
    sums = parts.aggregate(f=Coalesce(Sum("parts"), 0), g=Coalesce(Sum("gmv"), 0), s=Coalesce(Sum("shipping"), 0),
                           sellers=Count("vendor_id", distinct=True))
    row = {"fulfilments": sums["f"], "gmv": sums["g"], "shipping": sums["s"], "sellers": sums["sellers"]}
    if vendor is not None:
        row["orders"] = row["fulfilments"]  # one part per seller per order
    else:
        row["orders"] = _days(DailyOrders, period).aggregate(n=Coalesce(Sum("orders"), 0))["n"]
    row = {key: row[key] for key in ("orders", "fulfilments", "gmv", "shipping", "sellers")}
    return selectors.finish_totals(row, period, vendor=vendor)


def transactions_by_district(period):
    parts = {r["district"]: {"fulfilments": r["f"], "gmv": r["g"], "sellers": r["sellers"]}
             for r in _days(DailySellerSales, period).values(district=F("vendor__former_district_id")).annotate(
                 f=Sum("parts"), g=Sum("gmv"), sellers=Count("vendor_id", distinct=True)).order_by()}
    orders = dict(_days(DailyDistrictOrders, period).values("former_district_id").annotate(
        n=Sum("orders")).values_list("former_district_id", "n").order_by())
    rows = {k: {**v, "orders": orders.get(k, 0)} for k, v in parts.items()}
    return selectors.district_rows(rows)


def lines_by_group_and_stars(period, *, vendor=None):
    qs = _days(DailyProductSales, period)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return [{"group": r["group_code"], "stars": r["stars"], "lines": r["l"], "quantity": r["q"], "value": r["v"]}
            for r in qs.values("group_code", "stars").annotate(l=Sum("lines"), q=Sum("quantity"),
                                                               v=Sum("value")).order_by()]


def top_products(period, *, vendor=None, limit=selectors.TOP):
    qs = _days(DailyProductSales, period)
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    rows = qs.values("product_id").annotate(title=Max("product__title"), seller=Max("vendor__partner__name"),
                                            q=Sum("quantity"), v=Sum("value")).order_by("-v", "product_id")[:limit]
    return [{"title": r["title"], "seller": r["seller"], "quantity": r["q"], "value": r["v"]} for r in rows]


def top_sellers(period, *, limit=selectors.TOP):
    rows = _days(DailySellerSales, period).values("vendor_id").annotate(
        name=Max("vendor__partner__name"), seller_type=Max("vendor__seller_type"),
        district=Max("vendor__former_district__name"), orders=Sum("parts"), g=Sum("gmv")).order_by(
        "-g", "vendor_id")[:limit]
    types = dict(Vendor.TYPE_CHOICES)
    return [{"vendor_id": r["vendor_id"], "name": r["name"], "seller_type": str(types.get(r["seller_type"],
                                                                                       r["seller_type"])),
             "district": r["district"], "orders": r["orders"], "gmv": r["g"]} for r in rows]


def monthly_trend(period, *, vendor=None):
    month = TruncMonth("day")
    parts = _days(DailySellerSales, period)
    if vendor is not None:
        parts = parts.filter(vendor=vendor)
    values = {r["month"]: {"gmv": r["g"], "vnpay_gmv": r["vnpay_gmv"], "parts": r["p"], "vnpay_parts": r["vnpay_parts"]}
              for r in parts.annotate(month=month).values("month").annotate(
                  g=Sum("gmv"), vnpay_gmv=Coalesce(Sum("gmv", filter=Q(method=Payment.VNPAY)), 0),
                  p=Sum("parts"), vnpay_parts=Coalesce(Sum("parts", filter=Q(method=Payment.VNPAY)), 0)).order_by()}
    if vendor is None:
        orders = {r["month"]: {"orders": r["o"], "vnpay_orders": r["vnpay_orders"]}
                  for r in _days(DailyOrders, period).annotate(month=month).values("month").annotate(
                      o=Sum("orders"), vnpay_orders=Coalesce(Sum("orders", filter=Q(method=Payment.VNPAY)), 0))
                  .order_by()}
    else:
        orders = {k: {"orders": v["parts"], "vnpay_orders": v["vnpay_parts"]} for k, v in values.items()}
    found = {}
    for key in set(values) | set(orders):
        found[key] = {**values.get(key, {}), **orders.get(key, {})}
    return selectors.trend_rows(period, found)


def cashless(period):
    gmv = dict(_days(DailySellerSales, period).values("method").annotate(v=Sum("gmv")).values_list("method", "v")
               .order_by())
    orders = dict(_days(DailyOrders, period).values("method").annotate(v=Sum("orders")).values_list("method", "v")
                  .order_by())
    return selectors.cashless_row({m: {"orders": orders.get(m, 0), "gmv": gmv.get(m, 0)} for m in set(gmv) | set(orders)})


def invoiced_parts(period, *, vendor=None):
    parts = _days(DailySellerSales, period)
    if vendor is not None:
        parts = parts.filter(vendor=vendor)
    row = parts.aggregate(total=Coalesce(Sum("parts"), 0), invoiced=Coalesce(Sum("invoiced_parts"), 0))
    return row


def buyers(period):
    history = DailyBuyers.objects.using(selectors.db_alias()).filter(day__lte=period.end).values("buyer").annotate(
        first=Min("day"), in_period=Count("id", filter=Q(day__gte=period.start))).filter(in_period__gt=0)
    row = history.aggregate(total=Count("buyer"), new=Count("buyer", filter=Q(first__gte=period.start)))
    return {"total": row["total"], "new": row["new"], "returning": row["total"] - row["new"]}


def buyers_by_province(period):
    return [{"province": r["province"], "buyers": r["buyers"], "orders": r["o"], "gmv": r["g"]}
            for r in _days(DailyBuyers, period).values("province").annotate(
                buyers=Count("buyer", distinct=True), o=Sum("orders"), g=Sum("gmv")).order_by("-g", "province")]


def active_vendors(period):
    """Ids of the sellers with a sale in the period, as a subquery."""
    return _days(DailySellerSales, period).values("vendor_id")
