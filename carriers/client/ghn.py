"""GHN (Giao Hàng Nhanh) public API v2: fee, lead time, create, detail, cancel, webhooks.

Wire format (see ``carriers/SPEC-NOTES.md`` for sources and what is not confirmed):

* base ``https://online-gateway.ghn.vn/shiip/public-api/`` (test: ``dev-online-gateway.ghn.vn``); headers
  ``Token`` and ``ShopId``; every answer is ``{"code": 200, "message": "Success", "data": …}``, errors
  ``{"code": 400, "message": "…", "code_message": "…"}``.
* ``POST v2/shipping-order/fee`` → ``data.total``; ``POST v2/shipping-order/leadtime`` → ``data.leadtime`` (unix).
* ``POST v2/shipping-order/create`` with ``client_order_code`` (our idempotency key) → ``data.order_code``,
  ``sort_code``, ``total_fee``, ``expected_delivery_time``.
* ``POST v2/shipping-order/detail`` ``{order_code}``, ``v2/shipping-order/detail-by-client-code``
  ``{client_order_code}``; ``POST v2/switch-status/cancel`` ``{order_codes: […]}``.
* Webhook: ``POST`` JSON ``{"OrderCode", "ClientOrderCode", "Status", "Type", "Time", "CODAmount", "Reason",
  "Description", …}``. GHN documents no signature: the callback URL registered with GHN carries a secret
  token, checked here in constant time.
"""
import datetime
import time

from . import base
from .base import Booking, Quote, TrackingEvent
from .errors import APIError, DuplicateOrderError, InvalidRequestError
from .signing import verify_token

CARRIER = "ghn"
#: GHN's statuses → ours (GHN's list: ready_to_pick … returned, exception, damage, lost).
STATUS_MAP = {
    "ready_to_pick": base.CREATED, "picking": base.CREATED, "money_collect_picking": base.CREATED,
    "picked": base.PICKED_UP, "storing": base.IN_TRANSIT, "transporting": base.IN_TRANSIT,
    "sorting": base.IN_TRANSIT, "delivering": base.DELIVERING, "money_collect_delivering": base.DELIVERING,
    "delivered": base.DELIVERED, "delivery_fail": base.FAILED, "waiting_to_return": base.FAILED,
    "return": base.RETURNING, "return_transporting": base.RETURNING, "return_sorting": base.RETURNING,
    "returning": base.RETURNING, "return_fail": base.RETURNING, "returned": base.RETURNED,
    "cancel": base.CANCELLED, "exception": base.IN_TRANSIT, "damage": base.LOST, "lost": base.LOST,
}
#: Volumetric divisor GHN applies (cm³ per kg).
VOLUME_DIVISOR = 5000
#: GHN service type 2 = "hàng nhẹ" (light e-commerce parcels).
LIGHT = 2


class GHN(base.Transport):
    carrier = CARRIER

    def __init__(self, *, api_url, token, shop_id, webhook_secret="", **kwargs):
        if not token or not shop_id:
            raise InvalidRequestError("token and shop_id are required", carrier=CARRIER)
        super().__init__(api_url=api_url, **kwargs)
        self._token, self.shop_id, self._webhook_secret = token, str(shop_id), webhook_secret

    def __repr__(self):
        return f"GHN(api_url={self.api_url!r}, shop_id={self.shop_id!r})"

    def headers(self):
        return {"Token": self._token, "ShopId": self.shop_id}

    def _call(self, path, body, *, safe):
        status, data = self.request("POST", path, body=body, safe=safe)
        if status == 200 and isinstance(data, dict) and data.get("code") == 200:
            return data.get("data")
        message = str((data or {}).get("message") or f"HTTP {status}") if isinstance(data, dict) else f"HTTP {status}"
        code = (data or {}).get("code_message") if isinstance(data, dict) else None
        if "client_order_code" in message.lower() or code == "DUPLICATE_CLIENT_ORDER_CODE":
            raise DuplicateOrderError(message, code=code, http_status=status, json_body=data, carrier=CARRIER)
        raise InvalidRequestError(message, code=code, http_status=status, json_body=data, carrier=CARRIER)

    @staticmethod
    def _where(prefix, address):
        return {f"{prefix}_ward_code": address.ward_code, f"{prefix}_ward_name": address.ward_name,
                f"{prefix}_province_name": address.province_name}

    def quote(self, *, sender, receiver, parcel, cod_amount=0):
        """The fee and the expected days for one parcel (two safe reads: fee, lead time)."""
        body = {"service_type_id": LIGHT, **self._where("from", sender), **self._where("to", receiver),
                "weight": parcel.weight_g, "length": parcel.length_cm, "width": parcel.width_cm,
                "height": parcel.height_cm, "insurance_value": min(parcel.value, 5_000_000), "cod_value": cod_amount}
        fee = self._call("v2/shipping-order/fee", body, safe=True) or {}
        lead = self._call("v2/shipping-order/leadtime", {k: body[k] for k in body if k.endswith(("ward_code", "name"))}
                          | {"service_type_id": LIGHT}, safe=True) or {}
        try:
            total = int(fee["total"])
            start = int(lead.get("order_date") or time.time())
            days = max(1, -(-(int(lead["leadtime"]) - start) // 86400))  # whole days, rounded up
        except (KeyError, TypeError, ValueError):
            raise APIError("GHN answered a fee without total or leadtime", json_body=fee, carrier=CARRIER) from None
        return Quote(carrier=CARRIER, service="light", fee=total, min_days=days, max_days=days + 1,
                     raw={"fee": fee, "leadtime": lead})

    def create(self, *, client_order_code, sender, receiver, parcel, cod_amount=0, note="", pickup=True, items=()):
        """Book a shipment. Not retried blindly: a second call with the same ``client_order_code`` finds the first
        booking (GHN refuses duplicates) and returns it with ``replayed=True``."""
        if not client_order_code or len(client_order_code) > 50:
            raise InvalidRequestError("client_order_code: 1-50 characters", carrier=CARRIER)
        body = {
            "payment_type_id": 1,  # the shop (marketplace) pays GHN; the buyer paid the marketplace
            "required_note": "CHOXEMHANGKHONGTHU", "note": note[:500], "client_order_code": client_order_code,
            "from_name": sender.name, "from_phone": sender.phone, "from_address": sender.street,
            **self._where("from", sender),
            "to_name": receiver.name, "to_phone": receiver.phone, "to_address": receiver.street,
            **self._where("to", receiver),
            "cod_amount": cod_amount, "content": parcel.content[:2000], "weight": parcel.weight_g,
            "length": parcel.length_cm, "width": parcel.width_cm, "height": parcel.height_cm,
            "insurance_value": min(parcel.value, 5_000_000), "service_type_id": LIGHT,
            "pick_option": "cod" if pickup else "post_office",
            "items": [{"name": name[:200], "quantity": quantity, "weight": weight} for name, quantity, weight in items],
        }
        try:
            data = self._call("v2/shipping-order/create", body, safe=False) or {}
        except DuplicateOrderError:
            found = self.retrieve(client_order_code=client_order_code)
            return Booking(carrier=CARRIER, tracking_code=found["order_code"], client_order_code=client_order_code,
                           fee=int(found.get("total_fee") or 0), replayed=True, raw=found)
        if not data.get("order_code"):
            raise APIError("GHN answered a booking without order_code", json_body=data, carrier=CARRIER)
        return Booking(carrier=CARRIER, tracking_code=data["order_code"], client_order_code=client_order_code,
                       fee=int(data.get("total_fee") or 0), expected_delivery=str(data.get("expected_delivery_time")
                                                                                  or "")[:10],
                       sort_code=str(data.get("sort_code") or ""), raw=data)

    def retrieve(self, *, tracking_code=None, client_order_code=None):
        if tracking_code:
            return self._call("v2/shipping-order/detail", {"order_code": tracking_code}, safe=True) or {}
        return self._call("v2/shipping-order/detail-by-client-code", {"client_order_code": client_order_code},
                          safe=True) or {}

    def track(self, tracking_code):
        """The events GHN lists for a parcel (its ``log``), oldest first: the polling fallback of webhooks."""
        data = self.retrieve(tracking_code=tracking_code)
        events = []
        for entry in data.get("log") or []:
            status = str(entry.get("status", ""))
            if status in STATUS_MAP:
                events.append(TrackingEvent(carrier=CARRIER, tracking_code=tracking_code,
                                            client_order_code=str(data.get("client_order_code") or ""),
                                            status=STATUS_MAP[status], carrier_status=status,
                                            occurred_at=str(entry.get("updated_date") or ""), raw=entry))
        return events

    def cancel(self, tracking_code):
        return self._call("v2/switch-status/cancel", {"order_codes": [tracking_code]}, safe=True)

    def construct_event(self, payload, token):
        """Check the callback URL's secret token and decode GHN's callback into a ``TrackingEvent``."""
        verify_token(self._webhook_secret, token)
        data = base.loads(payload)
        status = str(data.get("Status", ""))
        if not data.get("OrderCode") or status not in STATUS_MAP:
            raise InvalidRequestError(f"Unknown GHN callback (status {status!r})", carrier=CARRIER)
        when = str(data.get("Time") or "")
        try:
            datetime.datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidRequestError("GHN callback without a readable Time", carrier=CARRIER) from None
        return TrackingEvent(carrier=CARRIER, tracking_code=str(data["OrderCode"]),
                             client_order_code=str(data.get("ClientOrderCode") or ""), status=STATUS_MAP[status],
                             carrier_status=status, occurred_at=when,
                             description=str(data.get("Description") or data.get("Reason") or "")[:255],
                             cod_amount=int(data.get("CODAmount") or 0), raw=data)
