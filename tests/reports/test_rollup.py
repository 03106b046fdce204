"""The daily rollup gives exactly the live figures, and stays exact when orders change after a refresh."""
import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from payments.models import Payment
from reports.exports import report_json
from reports.periods import Period
from reports.selectors import LIVE, build_report, build_seller_report
from tests.reports.fixtures import at, build_marketplace, place
from vendors.models import Fulfilment

pytestmark = pytest.mark.django_db
PERIODS = [Period.month(2026, 3), Period.month(2026, 2), Period.month(2026, 4), Period.quarter(2026, 1),
           Period.year(2026), Period(datetime.date(2026, 3, 10), datetime.date(2026, 3, 14))]


def assert_rollup_equals_live(market):
    from reports import rollup

    for period in PERIODS:
        assert report_json(build_report(period, source=rollup)) == report_json(build_report(period, source=LIVE)), period
        for vendor in (market["a"], market["b"]):
            live = build_seller_report(period, vendor, source=LIVE)
            rolled = build_seller_report(period, vendor, source=rollup)
            assert (rolled.transactions, rolled.top_products, rolled.trend, rolled.by_group) == (
                live.transactions, live.top_products, live.trend, live.by_group)


def refresh(*args):
    from io import StringIO

    out = StringIO()
    call_command("refresh_report_rollups", *args, stdout=out)
    return out.getvalue()


def test_rollup_equals_live_figures_and_follows_changes():
    market = build_marketplace()
    assert "Report rollups refreshed (full): 20/02/2026 – 01/04/2026" in refresh()
    assert_rollup_equals_live(market)
    assert build_report(Period.month(2026, 3)).transactions["orders"] == 4  # read from the rollup

    # after the refresh: O3 (COD, 12/03) is delivered and a new VNPay order is paid on 28/03
    o3 = Fulfilment.objects.get(order__lines__title="Nhút B2")
    Fulfilment.objects.filter(pk=o3.pk).update(status=Fulfilment.DELIVERED, updated=timezone.now())
    place(when=at(28, 3), method=Payment.VNPAY, user=market["seller_b"],
          parts=[(market["a"], [(market["products"]["a1"], 3, 100000)], Fulfilment.SHIPPED)])
    out = refresh()
    assert "changed days" in out and "12/03/2026 – 28/03/2026" in out
    assert_rollup_equals_live(market)
    march = build_report(Period.month(2026, 3)).transactions
    assert (march["orders"], march["gmv"]) == (6, 750000 + 90000 + 300000)


def test_dashboard_reads_the_rollup_unless_disabled(client):
    build_marketplace()
    refresh("--full")
    from payments.models import Payment as P

    # a change nobody refreshed yet: the rollup still shows the last refresh, live reading shows it at once
    place(when=at(29, 3), method=P.COD, guest="late@example.com", status="Completed", payment_status=P.COD_COLLECTED,
          parts=[(Fulfilment.objects.first().vendor, [(Fulfilment.objects.first().order.lines.first().product, 1,
                                                       100000)], Fulfilment.DELIVERED)])
    with override_settings(REPORTS_API_TOKENS=["t"]):
        rolled = client.get("/bao-cao/api/v1/summary", {"period": "month", "month": "03/2026"},
                            HTTP_AUTHORIZATION="Bearer t").json()
        with override_settings(REPORTS_USE_ROLLUP=False):
            live = client.get("/bao-cao/api/v1/summary", {"period": "month", "month": "03/2026"},
                              HTTP_AUTHORIZATION="Bearer t").json()
    assert (rolled["transactions"]["orders"], live["transactions"]["orders"]) == (4, 5)
    refresh()
    with override_settings(REPORTS_API_TOKENS=["t"]):
        again = client.get("/bao-cao/api/v1/summary", {"period": "month", "month": "03/2026"},
                           HTTP_AUTHORIZATION="Bearer t").json()
    assert again == live
