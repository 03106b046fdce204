"""The marketplace's shipping rules: live fees with the flat rule as fallback, booking, tracking, remittance.

Views, the checkout's shipping method, webhooks, commands and tasks call these; the clients (``carriers.client``)
know nothing of Django. Status changes of a part go through ``vendors.services.fulfilment_set_status`` — the one
path that consumes stock, posts the ledger and issues the invoice.
"""
import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import conf
from .client import (
    CANCELLED, DELIVERED, RANK, RETURNED, Address, CarrierError, Parcel,
)
from .models import (
    CARRIER_NAMES, ParcelQuote, ProductParcel, Remittance, RemittanceLine, SellerShipping, Shipment, ShipmentEvent,
)

logger = logging.getLogger("carriers")
HOME_PROVINCE = "42"
HOME_PROVINCE_NAME = "Tỉnh Hà Tĩnh"
#: Shipping weight (g) and packed size (cm) of one item when the seller gave none, per OCOP product group:
#: I food (a box or bag), II drinks (a bottle, wrapped), III herbs (light boxes), IV handicrafts (bulky),
#: V ornamental plants (heavy pots), VI tourism (vouchers: an envelope).
GROUP_DEFAULTS = {"I": (500, 20, 15, 10), "II": (1200, 30, 12, 12), "III": (300, 20, 15, 8),
                  "IV": (800, 35, 25, 15), "V": (2500, 40, 30, 30), "VI": (100, 25, 18, 1)}
FALLBACK_DEFAULT = (500, 20, 15, 10)


# --- parcels -------------------------------------------------------------------------------------------------

def product_dimensions(product):
    """(weight g, length, width, height cm) of one item: the seller's, else its OCOP group's default."""
    parcel = getattr(product, "parcel", None) if _has_parcel(product) else None
    if parcel is not None:
        return parcel.weight_g, parcel.length_cm, parcel.width_cm, parcel.height_cm
    return GROUP_DEFAULTS.get(getattr(product, "ocop_group_code", "") or "", FALLBACK_DEFAULT)


def _has_parcel(product):
    try:
        product.parcel
    except ProductParcel.DoesNotExist:
        return False
    return True


def parcel_for(items, *, value=0, content=""):
    """One parcel for [(product, quantity)]: weights add up, items stack (heights add, the largest base)."""
    weight = length = width = height = 0
    for product, quantity in items:
        w, l, wi, h = product_dimensions(product)
        weight += w * quantity
        length, width = max(length, l), max(width, wi)
        height += h * quantity
    return Parcel(weight_g=max(weight, 1), length_cm=min(length, 200), width_cm=min(width, 200),
                  height_cm=min(max(height, 1), 200), value=value, content=content[:200])


def product_parcel_set(*, product, weight_g, length_cm, width_cm, height_cm):
    ProductParcel.objects.update_or_create(product=product, defaults={
        "weight_g": weight_g, "length_cm": length_cm, "width_cm": width_cm, "height_cm": height_cm})


def product_parcel_initial(product):
    parcel = ProductParcel.objects.filter(product=product).first()
    if parcel is None:
        return {}
    return {"weight_g": parcel.weight_g, "length_cm": parcel.length_cm, "width_cm": parcel.width_cm,
            "height_cm": parcel.height_cm}


def product_parcel_from_form(*, product, data):
    """The seller's product form: a weight given saves the parcel (sizes left empty take the group's)."""
    if not data.get("weight_g"):
        return None
    _w, length, width, height = GROUP_DEFAULTS.get(product.ocop_group_code or "", FALLBACK_DEFAULT)
    return product_parcel_set(product=product, weight_g=data["weight_g"], length_cm=data.get("length_cm") or length,
                              width_cm=data.get("width_cm") or width, height_cm=data.get("height_cm") or height)


def seller_shipping_save(*, vendor, carriers, pickup_commune, pickup_address="", pickup=True):
    unknown = set(carriers) - set(CARRIER_NAMES)
    if unknown:
        raise ValidationError(_("Unknown carrier."))
    settings_, _created = SellerShipping.objects.update_or_create(vendor=vendor, defaults={
        "carriers": list(carriers), "pickup_commune": pickup_commune, "pickup_address": pickup_address,
        "pickup": pickup})
    return settings_


def shipping_settings_for(vendor):
    return SellerShipping.objects.filter(vendor=vendor).select_related("pickup_commune").first()


def sender_for(vendor, shipping=None):
    shipping = shipping or shipping_settings_for(vendor)
    commune = shipping.pickup_commune if shipping else vendor.commune
    street = (shipping.pickup_address if shipping else "") or vendor.street_address or commune.name
    return Address(name=vendor.name[:100], phone=vendor.phone or "0000000000", street=street, ward_code=commune.code,
                   ward_name=commune.name, province_code=HOME_PROVINCE, province_name=HOME_PROVINCE_NAME)


def receiver_for(address):
    """An Oscar shipping address (with ``ward_code``/``province_code``) as the carriers' Address."""
    from onboarding.validators import normalise_phone

    return Address(name=(address.first_name or address.name or "")[:100],
                   phone=normalise_phone(str(address.phone_number or "")), street=address.line1,
                   ward_code=address.ward_code, ward_name=address.line4, province_code=address.province_code,
                   province_name=address.state)


# --- live fees -----------------------------------------------------------------------------------------------

@dataclass
class PartQuote:
    """The fee of one seller's parcel for a ward: a carrier's live one, or the flat rule (``reason`` says why)."""

    vendor: object
    fee: int
    source: str
    carrier: str = ""
    min_days: int = None
    max_days: int = None
    reason: str = ""
    weight_g: int = 0

    @property
    def carrier_name(self):
        return CARRIER_NAMES.get(self.carrier, "")

    @property
    def is_live(self):
        return self.source == ParcelQuote.LIVE


def _ward(ward_code):
    from places.models import Ward

    return Ward.objects.filter(code=ward_code).select_related("province").first() if ward_code else None


def _cached_quote(carrier, sender, ward, parcel):
    key = "carrier-quote:" + hashlib.sha256("|".join(map(str, (
        carrier, sender.ward_code, ward.code, parcel.weight_g, parcel.length_cm, parcel.width_cm, parcel.height_cm,
    ))).encode()).hexdigest()
    try:
        found = cache.get(key)
    except Exception:  # a cache that is down never blocks a checkout
        found = None
    if found is not None:
        return found
    receiver = Address(name="", phone="", street="", ward_code=ward.code, ward_name=ward.name,
                       province_code=ward.province_id, province_name=ward.province.name)
    quote = conf.client(carrier, timeout=settings.CARRIER_QUOTE_TIMEOUT).quote(sender=sender, receiver=receiver,
                                                                               parcel=parcel)
    found = (quote.fee, quote.min_days, quote.max_days)
    try:
        cache.set(key, found, settings.CARRIER_QUOTE_CACHE_SECONDS)
    except Exception:
        pass
    return found


def quote_part(*, vendor, items, items_total, ward_code):
    """The fee of one seller's parcel of ``items`` [(product, quantity)] to ``ward_code``: the cheapest of the
    seller's carriers; when none answers (or the seller chose none) the seller's flat rule. The seller's
    free-shipping threshold applies either way (the seller pays the carrier then)."""
    flat = vendor.shipping_fee_for(items_total)
    parcel = parcel_for(items, value=items_total)
    shipping = shipping_settings_for(vendor)
    ward = _ward(ward_code)
    if not shipping or not shipping.carriers:
        return PartQuote(vendor, flat, ParcelQuote.FLAT, reason="no carrier chosen", weight_g=parcel.weight_g)
    if ward is None:
        return PartQuote(vendor, flat, ParcelQuote.FLAT, reason="no ward", weight_g=parcel.weight_g)
    sender, best, failures = sender_for(vendor, shipping), None, []
    for carrier in shipping.carriers:
        try:
            fee, low, high = _cached_quote(carrier, sender, ward, parcel)
        except CarrierError as exc:
            logger.warning("Live fee of %s for seller %s failed: %s", carrier, vendor.code, exc)
            failures.append(f"{carrier}: {type(exc).__name__}")
            continue
        if best is None or fee < best.fee:
            best = PartQuote(vendor, fee, ParcelQuote.LIVE, carrier, low, high, weight_g=parcel.weight_g)
    if best is None:
        return PartQuote(vendor, flat, ParcelQuote.FLAT, reason=("carrier unavailable: " + ", ".join(failures))[:255],
                         weight_g=parcel.weight_g)
    if flat == 0 and vendor.free_shipping_over is not None:
        best.fee = 0  # the seller's free shipping: it pays the carrier
    return best


def basket_quotes(basket, ward_code):
    """{vendor pk: PartQuote} for each seller's parcel of a basket to a ward."""
    from vendors.amounts import basket_parts

    quotes = {}
    for part in basket_parts(basket):
        items = [(pl.line.product, pl.line.quantity) for pl in part.lines]
        quotes[part.vendor.pk] = quote_part(vendor=part.vendor, items=items, items_total=part.items_total,
                                            ward_code=ward_code)
    return quotes


def quotes_record(*, order, quotes):
    """Record, for each part of a placed order, the fee it was charged and where it came from."""
    for fulfilment in order.fulfilments.select_related("vendor"):
        quote = (quotes or {}).get(fulfilment.vendor_id)
        if quote is None:
            ParcelQuote.objects.create(fulfilment=fulfilment, source=ParcelQuote.FLAT, fee=fulfilment.shipping_fee,
                                       reason="no ward")
            continue
        ParcelQuote.objects.create(fulfilment=fulfilment, source=quote.source, carrier=quote.carrier,
                                   fee=fulfilment.shipping_fee, min_days=quote.min_days, max_days=quote.max_days,
                                   reason=quote.reason, weight_g=quote.weight_g)


# --- shipments -----------------------------------------------------------------------------------------------

def carrier_for(fulfilment):
    """The carrier a part ships with: the one quoted at checkout, else the seller's first choice."""
    quote = ParcelQuote.objects.filter(fulfilment=fulfilment).first()
    shipping = shipping_settings_for(fulfilment.vendor)
    choices = shipping.carriers if shipping else []
    if quote and quote.carrier in choices:
        return quote.carrier
    return choices[0] if choices else None


def shipment_create(*, fulfilment, actor=None):
    """Book the carrier for a confirmed part and mark it shipped with the tracking number.

    Idempotent: the part's number is the client order code, so a repeated click (or a retry after a timeout)
    finds the same booking; a part that already has a shipment returns it.
    """
    from vendors.models import Fulfilment
    from vendors.services import fulfilment_set_status

    existing = Shipment.objects.filter(fulfilment=fulfilment).first()
    if existing:
        return existing
    if fulfilment.status != Fulfilment.CONFIRMED:
        raise ValidationError(_("Only a confirmed part can be handed to a carrier."))
    carrier = carrier_for(fulfilment)
    if carrier is None:
        raise ValidationError(_("Choose your carriers in “Shipping” first."))
    order = fulfilment.order
    address = order.shipping_address
    if address is None or not getattr(address, "ward_code", ""):
        raise ValidationError(_("This order has no ward or commune of delivery; ship it yourself."))
    lines = list(fulfilment.lines().select_related("product"))
    items = [(line.product, line.quantity) for line in lines if line.product_id]
    parcel = parcel_for(items, value=fulfilment.items_total,
                        content=", ".join(f"{line.quantity} × {line.title}" for line in lines))
    cod = fulfilment.total if fulfilment.is_cash_on_delivery else 0
    shipping = shipping_settings_for(fulfilment.vendor)
    try:
        booking = conf.client(carrier).create(
            client_order_code=fulfilment.number, sender=sender_for(fulfilment.vendor, shipping),
            receiver=receiver_for(address), parcel=parcel, cod_amount=cod, note=order.shipping_address.notes or "",
            pickup=shipping.pickup, items=[(line.title, line.quantity, product_dimensions(line.product)[0])
                                           for line in lines if line.product_id])
    except CarrierError as exc:
        logger.warning("Booking %s with %s failed: %s", fulfilment.number, carrier, exc)
        raise ValidationError(_("%(carrier)s did not accept the parcel: %(message)s. Try again in a moment.")
                              % {"carrier": CARRIER_NAMES[carrier], "message": exc.message}) from None
    expected = None
    if booking.expected_delivery:
        try:
            expected = datetime.date.fromisoformat(booking.expected_delivery)
        except ValueError:
            expected = None
    with transaction.atomic():
        try:
            shipment = Shipment.objects.create(
                fulfilment=fulfilment, carrier=carrier, client_order_code=fulfilment.number,
                tracking_code=booking.tracking_code, fee=booking.fee, cod_amount=cod, expected_delivery=expected,
                pickup=shipping.pickup, weight_g=parcel.weight_g, created_by=actor)
        except IntegrityError:  # a concurrent click booked it first (same code, same booking)
            return Shipment.objects.get(fulfilment=fulfilment)
        fulfilment_set_status(fulfilment=fulfilment, status=Fulfilment.SHIPPED, actor=actor,
                              tracking_code=booking.tracking_code, carrier=CARRIER_NAMES[carrier],
                              reason=f"carrier {carrier} {booking.tracking_code}: booked"
                              + (" (replayed)" if booking.replayed else ""))
    return shipment


def shipments_create(*, fulfilments, actor=None):
    """A morning's batch: book each part; returns (shipments, {part number: error message})."""
    done, errors = [], {}
    for fulfilment in fulfilments:
        try:
            done.append(shipment_create(fulfilment=fulfilment, actor=actor))
        except ValidationError as exc:
            errors[fulfilment.number] = " ".join(exc.messages)
    return done, errors


def _parse_time(value):
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.timezone(datetime.timedelta(hours=7)))
    return moment


@transaction.atomic
def shipment_apply_event(event, *, source=ShipmentEvent.WEBHOOK):
    """Record a carrier's event once and move the part when it says something new.

    Replays (same key) change nothing; an event older than the last applied one is kept in the history but
    moves nothing (out of order); a final state is never left. Delivered → the part is delivered (ledger and
    invoice by the usual path); returned → the part is cancelled as returned (stock back, refund if paid).
    """
    from vendors.models import Fulfilment
    from vendors.services import fulfilment_set_status

    shipment = (Shipment.objects.select_for_update().select_related("fulfilment")
                .filter(carrier=event.carrier, tracking_code=event.tracking_code).first())
    if shipment is None:
        return None
    if ShipmentEvent.objects.filter(key=event.key[:128]).exists():
        return None
    occurred = _parse_time(event.occurred_at)
    newer = shipment.last_event_at is None or occurred >= shipment.last_event_at
    moves = (not shipment.is_final and newer and RANK[event.status] >= RANK[shipment.status]
             ) or (not shipment.is_final and RANK[event.status] == 9)
    record = ShipmentEvent.objects.create(shipment=shipment, status=event.status, carrier_status=event.carrier_status,
                                          occurred_at=occurred, description=event.description, key=event.key[:128],
                                          source=source, applied=moves)
    if not moves:
        return record
    shipment.status = event.status
    shipment.last_event_at = max(occurred, shipment.last_event_at or occurred)
    fields = ["status", "last_event_at", "updated"]
    if event.status == DELIVERED:
        shipment.delivered_at = occurred
        fields.append("delivered_at")
    shipment.save(update_fields=fields)
    fulfilment = shipment.fulfilment
    if event.status == DELIVERED and fulfilment.status == Fulfilment.SHIPPED:
        fulfilment_set_status(fulfilment=fulfilment, status=Fulfilment.DELIVERED,
                              reason=f"carrier {shipment.carrier} {shipment.tracking_code}: delivered",
                              cash_with_carrier=shipment.cod_amount > 0)
    elif event.status in (RETURNED, CANCELLED) and fulfilment.status == Fulfilment.SHIPPED:
        fulfilment_set_status(fulfilment=fulfilment, status=Fulfilment.CANCELLED, returned=True,
                              reason=f"carrier {shipment.carrier} {shipment.tracking_code}: returned to the seller")
    return record


def shipments_poll(*, now=None):
    """The polling fallback: ask the carrier about parcels not heard of for CARRIER_POLL_AFTER_MINUTES."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.CARRIER_POLL_AFTER_MINUTES)
    asked = applied = 0
    for shipment in Shipment.objects.exclude(status__in=[DELIVERED, RETURNED, CANCELLED]).filter(
            updated__lt=stale).order_by("updated")[:200]:
        asked += 1
        try:
            events = conf.client(shipment.carrier).track(shipment.tracking_code)
        except CarrierError as exc:
            logger.warning("Polling %s %s failed: %s", shipment.carrier, shipment.tracking_code, exc)
            continue
        for event in events:
            if shipment_apply_event(event, source=ShipmentEvent.POLL) is not None:
                applied += 1
        Shipment.objects.filter(pk=shipment.pk).update(polled_at=now, updated=now)
    return asked, applied


# --- COD remittance ------------------------------------------------------------------------------------------

@transaction.atomic
def remittance_import(*, statement, source=Remittance.WEBHOOK, actor=None):
    """Import one carrier statement, all or nothing: match each line to its shipment, post what reached the
    marketplace to the seller's ledger (vendors.ledger), and flag what does not match. A statement seen before
    (same carrier and reference) is not imported twice, also when the carrier's retry arrives meanwhile."""
    from vendors.ledger import ledger_post_carrier_remittance

    found = Remittance.objects.filter(carrier=statement.carrier, reference=statement.reference).first()
    if found:
        return found, False
    try:
        with transaction.atomic():
            remittance = Remittance.objects.create(
                carrier=statement.carrier, reference=statement.reference,
                remitted_on=datetime.date.fromisoformat(statement.remitted_on), total=statement.total,
                source=source, imported_by=actor)
    except IntegrityError:  # the same statement, imported by a concurrent request a moment ago
        return Remittance.objects.get(carrier=statement.carrier, reference=statement.reference), False
    shipments = {s.tracking_code: s for s in Shipment.objects.select_related("fulfilment__vendor").filter(
        carrier=statement.carrier, tracking_code__in=[line.tracking_code for line in statement.lines])}
    already = set(RemittanceLine.objects.filter(shipment__in=shipments.values(), problem__in=["", "short", "over"])
                  .values_list("shipment_id", flat=True))
    for line in statement.lines:
        shipment = shipments.get(line.tracking_code)
        problem, expected = "", 0
        if shipment is None:
            problem = RemittanceLine.UNKNOWN
        elif shipment.pk in already:
            problem, expected = RemittanceLine.DUPLICATE, shipment.cod_amount
        elif shipment.status != DELIVERED:
            problem, expected = RemittanceLine.NOT_DELIVERED, shipment.cod_amount
        else:
            expected = shipment.cod_amount
            problem = (RemittanceLine.SHORT if line.cod_amount < expected
                       else RemittanceLine.OVER if line.cod_amount > expected else "")
        RemittanceLine.objects.create(remittance=remittance, shipment=shipment, tracking_code=line.tracking_code,
                                      cod_amount=line.cod_amount, fee=line.fee, expected=expected, problem=problem)
        if problem in ("", RemittanceLine.SHORT, RemittanceLine.OVER):
            ledger_post_carrier_remittance(fulfilment=shipment.fulfilment, cash=line.cod_amount, fee=line.fee,
                                           statement=f"{statement.carrier} {statement.reference}",
                                           tracking_code=f"{statement.carrier} {shipment.tracking_code}")
    if sum(line.cod_amount - line.fee for line in statement.lines) != statement.total:
        RemittanceLine.objects.create(remittance=remittance, tracking_code="", cod_amount=0, fee=0,
                                      expected=statement.total, problem=RemittanceLine.TOTAL)
    return remittance, True


def remittance_from_csv(*, carrier, reference, remitted_on, rows):
    """A statement from a spreadsheet's rows: tracking_code, cod_amount, fee (header names as given)."""
    from .client.remittance import parse_statement

    lines = [{"tracking_code": row.get("tracking_code", ""), "client_order_code": row.get("client_order_code", ""),
              "cod_amount": int(str(row.get("cod_amount", "0")).replace(".", "").replace(",", "") or 0),
              "fee": int(str(row.get("fee", "0")).replace(".", "").replace(",", "") or 0)} for row in rows]
    return parse_statement({"carrier": carrier, "reference": reference, "remitted_on": remitted_on,
                            "total": sum(line["cod_amount"] - line["fee"] for line in lines), "lines": lines})


def unremitted_overdue(*, today=None):
    """Delivered cash-on-delivery parcels no statement has paid after CARRIER_REMITTANCE_DUE_DAYS."""
    today = today or timezone.now()
    due = today - datetime.timedelta(days=settings.CARRIER_REMITTANCE_DUE_DAYS)
    paid = RemittanceLine.objects.filter(problem__in=["", "short", "over"]).values("shipment_id")
    return (Shipment.objects.filter(status=DELIVERED, cod_amount__gt=0, delivered_at__lt=due)
            .exclude(pk__in=paid).select_related("fulfilment__vendor"))

