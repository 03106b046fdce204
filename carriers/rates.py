"""The department's delivery figures: per carrier and former district of the seller, for parcels booked in a
period — delivered on time (by the day the carrier promised), failed at least once, returned."""
import datetime

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from .client import DELIVERED, FAILED, RETURNED
from .models import CARRIER_NAMES, Shipment, ShipmentEvent


def delivery_rates(*, date_from, date_to):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    failed = ShipmentEvent.objects.filter(shipment=OuterRef("pk"), status=FAILED)
    rows = (Shipment.objects.filter(created__gte=start, created__lt=end)
            .annotate(had_failure=Exists(failed))
            .values("carrier", district=F("fulfilment__vendor__former_district__name"))
            .annotate(booked=Count("pk"),
                      delivered=Count("pk", filter=Q(status=DELIVERED)),
                      on_time=Count("pk", filter=Q(status=DELIVERED, expected_delivery__isnull=False,
                                                   delivered_at__date__lte=F("expected_delivery"))),
                      failed=Count("pk", filter=Q(had_failure=True)),
                      returned=Count("pk", filter=Q(status=RETURNED)))
            .order_by("carrier", "district"))
    result = []
    for row in rows:
        booked, delivered = row["booked"], row["delivered"]
        result.append({**row, "carrier_name": CARRIER_NAMES.get(row["carrier"], row["carrier"]),
                       "on_time_rate": _rate(row["on_time"], delivered), "failed_rate": _rate(row["failed"], booked),
                       "return_rate": _rate(row["returned"], booked)})
    return result


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None
