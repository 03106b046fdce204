"""The emulated carriers: GHN's and VNPost's wire formats over one table of parcels.

Quotes by weight (the larger of real and volumetric) and zone (same province, the North-Central region, the
rest of the country); bookings deduplicated by client order code; statuses moved by a tester (the control
endpoint) or one step at a time for every parcel (``advance``); each change is sent to the marketplace as the
carrier's signed webhook, retried until it answers 2xx; COD remittance statements of delivered parcels.
"""
import datetime
import json
import logging
import time

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from carriers.client import ghn, remittance, vnpost
from carriers.client.base import Parcel, volumetric_weight
from carriers.client.signing import hmac_hex
from marketplace import served

from .models import EmulatedParcel, EmulatorSwitch

logger = logging.getLogger("carriers.emulator")
VN = datetime.timezone(datetime.timedelta(hours=7))
HOME = "42"  # Hà Tĩnh
REGION = {"38", "40", "42", "44", "46"}  # Thanh Hóa, Nghệ An, Hà Tĩnh, Quảng Trị, Huế (since 07/2025)
#: (first 500 g, each further 500 g, days) per zone.
TARIFFS = {
    "ghn": {"province": (16_500, 2_500, 1), "region": (30_000, 5_000, 2), "country": (35_000, 5_000, 3)},
    "vnpost": {"province": (18_000, 3_000, 1), "region": (28_000, 4_000, 2), "country": (32_000, 4_000, 4)},
}
#: Our statuses → the carrier's code for them.
CODES = {
    "ghn": {"created": "ready_to_pick", "picked_up": "picked", "in_transit": "transporting",
            "delivering": "delivering", "delivered": "delivered", "delivery_failed": "delivery_fail",
            "returning": "returning", "returned": "returned", "cancelled": "cancel", "lost": "lost"},
    "vnpost": {"created": "2", "picked_up": "3", "in_transit": "4", "delivering": "5", "delivered": "6",
               "delivery_failed": "7", "returning": "8", "returned": "9", "cancelled": "10"},
}
HAPPY_PATH = ["created", "picked_up", "in_transit", "delivering", "delivered"]


class Answer(Exception):
    def __init__(self, status, body):
        super().__init__(str(body))
        self.status, self.body = status, body


def behaviour(carrier):
    switch = EmulatorSwitch.objects.filter(carrier=carrier).first()
    return switch.behaviour if switch else EmulatorSwitch.UP


def check_up(carrier):
    if behaviour(carrier) == EmulatorSwitch.DOWN:
        raise Answer(503, {"code": 503, "message": "Service unavailable (emulated outage)"})


def authenticate(carrier, headers):
    if carrier == "ghn":
        ok = headers.get("Token") == settings.GHN_TOKEN and headers.get("ShopId") == str(settings.GHN_SHOP_ID)
    else:
        ok = headers.get("token") == settings.VNPOST_TOKEN
    if not ok:
        raise Answer(401, {"code": 401, "message": "Token is invalid"})


def zone(from_province, to_province):
    if from_province == to_province:
        return "province"
    return "region" if to_province in REGION and from_province in REGION else "country"


def _province_of_ward(code):
    from places.models import Ward

    ward = Ward.objects.filter(code=code).only("province_id").first()
    return ward.province_id if ward else None


def price(carrier, *, from_ward, to_ward, parcel):
    """(fee, days) for a parcel between two wards (GSO codes)."""
    from_province, to_province = _province_of_ward(from_ward) or HOME, _province_of_ward(to_ward)
    if to_province is None:
        raise Answer(400, {"code": 400, "message": f"Unknown ward {to_ward}"})
    first, step, days = TARIFFS[carrier][zone(from_province, to_province)]
    divisor = ghn.VOLUME_DIVISOR if carrier == "ghn" else vnpost.VOLUME_DIVISOR
    weight = volumetric_weight(parcel, divisor)
    extra = max(0, -(-(weight - 500) // 500))
    return first + extra * step, days


def _int(body, name, default=None):
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Answer(400, {"code": 400, "message": f"{name} must be a non-negative integer"})
    return value


def parcel_from(body, names=("weight", "length", "width", "height")):
    weight, length, width, height = (_int(body, n, 0 if n != "weight" else None) for n in names)
    if not 0 < weight <= 50_000:
        raise Answer(400, {"code": 400, "message": "weight must be 1-50000 grams"})
    return Parcel(weight_g=weight, length_cm=length, width_cm=width, height_cm=height)


def now():
    return timezone.now().astimezone(VN).replace(microsecond=0)


# --- GHN ---------------------------------------------------------------------------------------------------

def ghn_ok(data):
    return {"code": 200, "message": "Success", "data": data}


def ghn_fee(body):
    fee, _days = price("ghn", from_ward=str(body.get("from_ward_code", "")), to_ward=str(body.get("to_ward_code", "")),
                       parcel=parcel_from(body))
    return ghn_ok({"total": fee, "service_fee": fee, "insurance_fee": 0, "cod_fee": 0})


def ghn_leadtime(body):
    _fee, days = price("ghn", from_ward=str(body.get("from_ward_code", "")), to_ward=str(body.get("to_ward_code", "")),
                       parcel=Parcel(500, 10, 10, 10))
    start = int(time.time())
    return ghn_ok({"leadtime": start + days * 86400, "order_date": start})


def book(carrier, *, code, request, from_ward, to_ward, parcel, cod):
    if behaviour(carrier) == EmulatorSwitch.REFUSE:
        raise Answer(400, {"code": 400, "message": "Emulated refusal: the carrier does not serve this route"})
    existing = EmulatedParcel.objects.filter(carrier=carrier, client_order_code=code).first()
    if existing:
        return existing, True
    fee, days = price(carrier, from_ward=from_ward, to_ward=to_ward, parcel=parcel)
    prefix = {"ghn": "GHN", "vnpost": "EB"}[carrier]
    stamp = now()
    try:
        with transaction.atomic():
            item = EmulatedParcel.objects.create(
                carrier=carrier, client_order_code=code, request=request, fee=fee, cod_amount=cod,
                tracking_code="pending", carrier_status=CODES[carrier]["created"],
                history=[{"status": CODES[carrier]["created"], "time": stamp.isoformat()}])
            item.tracking_code = (f"{prefix}{item.pk:07d}HT" if carrier == "ghn" else f"EB{item.pk:09d}VN")
            item.save(update_fields=["tracking_code"])
    except IntegrityError:
        return EmulatedParcel.objects.get(carrier=carrier, client_order_code=code), True
    item.expected = (stamp + datetime.timedelta(days=days)).date().isoformat()
    return item, False


def ghn_create(body):
    code = str(body.get("client_order_code") or "")
    for name in ("to_name", "to_phone", "to_address", "to_ward_code", "client_order_code"):
        if not body.get(name):
            raise Answer(400, {"code": 400, "message": f"{name} is required", "code_message": "MISSING_FIELD"})
    if EmulatedParcel.objects.filter(carrier="ghn", client_order_code=code).exists():
        raise Answer(400, {"code": 400, "message": "Mã đơn hàng của khách (client_order_code) đã tồn tại",
                           "code_message": "DUPLICATE_CLIENT_ORDER_CODE"})
    item, _replayed = book("ghn", code=code, request=body, from_ward=str(body.get("from_ward_code", "")),
                           to_ward=str(body["to_ward_code"]), parcel=parcel_from(body),
                           cod=_int(body, "cod_amount", 0))
    return ghn_ok({"order_code": item.tracking_code, "sort_code": "HT-" + item.tracking_code[-4:],
                   "total_fee": item.fee, "expected_delivery_time": getattr(item, "expected", "") + "T23:59:59Z"})


def ghn_detail(item):
    return ghn_ok({"order_code": item.tracking_code, "client_order_code": item.client_order_code,
                   "status": item.carrier_status, "cod_amount": item.cod_amount, "total_fee": item.fee,
                   "log": [{"status": h["status"], "updated_date": h["time"]} for h in item.history]})


def find(carrier, **lookup):
    item = EmulatedParcel.objects.filter(carrier=carrier, **lookup).first()
    if item is None:
        raise Answer(400, {"code": 400, "message": "Order not found"})
    return item


# --- VNPost ------------------------------------------------------------------------------------------------

def vnpost_charge(body):
    parcel = parcel_from(body)
    fee, days = price("vnpost", from_ward=str(body.get("senderCommuneCode", "")),
                      to_ward=str(body.get("receiverCommuneCode", "")), parcel=parcel)
    return [{"serviceCode": vnpost.SERVICE, "serviceName": "Chuyển phát nhanh EMS", "totalFee": fee,
             "deliveryTime": days * 24}]


def vnpost_create(body):
    info = body.get("informationOrder") if isinstance(body, dict) else None
    if not isinstance(info, dict):
        raise Answer(400, {"code": "INVALID", "message": "informationOrder is required"})
    for name in ("receiverName", "receiverPhone", "receiverAddress", "receiverCommuneCode", "saleOrderCode"):
        if not info.get(name):
            raise Answer(400, {"code": "MISSING_FIELD", "message": f"{name} is required"})
    cod = 0
    for addon in info.get("addonService") or []:
        if addon.get("code") == "GTG021":
            cod = int(str(addon.get("propValue", "PROP0018:0")).split(":")[-1])
    item, replayed = book("vnpost", code=str(info["saleOrderCode"]), request=body,
                          from_ward=str(info.get("senderCommuneCode", "")), to_ward=str(info["receiverCommuneCode"]),
                          parcel=parcel_from(info), cod=cod)
    answer = {"originalID": f"VNP{item.pk:08d}", "itemCode": item.tracking_code, "totalFee": item.fee,
              "status": item.carrier_status, "saleOrderCode": item.client_order_code}
    if replayed:
        raise Answer(409, {"code": "DUPLICATE_SALE_ORDER_CODE", "message": "saleOrderCode already exists",
                           "order": answer})
    return answer


def vnpost_tracking(item):
    return {"itemCode": item.tracking_code, "saleOrderCode": item.client_order_code, "status": item.carrier_status,
            "history": [{"status": h["status"], "statusDate": h["time"]} for h in item.history]}


# --- status changes, webhooks, remittance ---------------------------------------------------------------------

def webhook_url(carrier):
    if carrier == "ghn":
        path = reverse("carriers:webhook-ghn", args=[settings.GHN_WEBHOOK_SECRET])
    else:
        path = reverse("carriers:webhook-vnpost")
    return served.server_origin() + path


def move(item, status, *, note="", send=True, at=None):
    """Put a parcel in ``status`` (ours), record it in its history and tell the marketplace."""
    code = CODES[item.carrier].get(status)
    if code is None:
        raise Answer(400, {"error": f"{item.carrier} has no status {status}"})
    stamp = (at or now()).isoformat()
    item.carrier_status = code
    item.history = [*item.history, {"status": code, "time": stamp, "note": note}]
    item.save(update_fields=["carrier_status", "history"])
    if send:
        send_webhook(item, code, stamp, note)
    return item


def webhook_body(item, code, stamp, note=""):
    if item.carrier == "ghn":
        return {"OrderCode": item.tracking_code, "ClientOrderCode": item.client_order_code, "Status": code,
                "Type": "switch_status", "Time": stamp, "CODAmount": item.cod_amount, "TotalFee": item.fee,
                "ShopID": int(settings.GHN_SHOP_ID) if str(settings.GHN_SHOP_ID).isdigit() else 0,
                "Description": note, "Reason": note}
    return {"ItemCode": item.tracking_code, "SaleOrderCode": item.client_order_code, "Status": code,
            "StatusDate": stamp, "Note": note, "CODAmount": item.cod_amount}


def send_webhook(item, code, stamp, note=""):
    body = json.dumps(webhook_body(item, code, stamp, note), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json"}
    if item.carrier == "vnpost":
        headers[vnpost.SIGNATURE_HEADER] = hmac_hex(settings.VNPOST_WEBHOOK_SECRET, body)
    return post_with_retries(webhook_url(item.carrier), body, headers)


def post_with_retries(url, body, headers, *, tries=None):
    """POST until the marketplace answers 2xx, like the carriers' own retries (a few, quickly, here)."""
    tries = tries or getattr(settings, "CARRIERS_EMULATOR_WEBHOOK_TRIES", 3)
    for attempt in range(1, tries + 1):
        try:
            response = requests.post(url, data=body, headers=headers, timeout=10)
            if response.status_code < 300:
                return response.status_code
            logger.warning("Carrier emulator webhook to %s answered %s (attempt %d)", url, response.status_code, attempt)
        except requests.RequestException as exc:
            logger.warning("Carrier emulator webhook to %s failed: %s (attempt %d)", url, exc, attempt)
        time.sleep(getattr(settings, "CARRIERS_EMULATOR_WEBHOOK_DELAY", 0.2) * attempt)
    return None


def advance_all():
    """One step along the happy path for every parcel not yet delivered (the "schedule" of the emulator)."""
    moved = 0
    for item in EmulatedParcel.objects.order_by("pk"):
        ours = {v: k for k, v in CODES[item.carrier].items()}.get(item.carrier_status)
        if ours in HAPPY_PATH[:-1]:
            move(item, HAPPY_PATH[HAPPY_PATH.index(ours) + 1])
            moved += 1
    return moved


def remit(carrier, *, short_by=0, reference=None):
    """A COD statement of every delivered parcel not remitted yet, posted (signed) to the marketplace."""
    items = list(EmulatedParcel.objects.filter(carrier=carrier, remitted=False,
                                               carrier_status=CODES[carrier]["delivered"]).order_by("pk"))
    if not items:
        return None
    lines = [{"tracking_code": i.tracking_code, "client_order_code": i.client_order_code, "cod_amount": i.cod_amount,
              "fee": i.fee} for i in items]
    if short_by:
        lines[0]["cod_amount"] = max(0, lines[0]["cod_amount"] - short_by)
    statement = {"carrier": carrier, "reference": reference or f"{carrier.upper()}-DS-{now():%Y%m%d%H%M%S}-{items[0].pk}",
                 "remitted_on": now().date().isoformat(),
                 "total": sum(line["cod_amount"] - line["fee"] for line in lines), "lines": lines}
    body = json.dumps(statement).encode()
    secret = settings.GHN_WEBHOOK_SECRET if carrier == "ghn" else settings.VNPOST_WEBHOOK_SECRET
    status = post_with_retries(served.server_origin() + reverse("carriers:remittance-webhook", args=[carrier]), body,
                               {"Content-Type": "application/json",
                                remittance.SIGNATURE_HEADER: hmac_hex(secret, body)})
    if status:
        EmulatedParcel.objects.filter(pk__in=[i.pk for i in items]).update(remitted=True)
    return statement
