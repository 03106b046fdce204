"""VNPost (Bưu điện Việt Nam) MyVNPost partner API: charge, create order, cancel, webhooks.

Wire format (see ``carriers/SPEC-NOTES.md``; VNPost's partner documentation is given to contracted customers,
so several details below come from public integrations and are marked unconfirmed there):

* base ``https://my.vnpost.vn/MYVNP_API/``; header ``token`` (obtained from ``customer-partner/GetAccessToken``).
* ``POST customer-partner/ServicesCharge`` → a list of services with their ``totalFee``/``deliveryTime``.
* ``POST customer-partner/CreateOrder`` ``{"orderCreationStatus": 1, "type": "GUI", "informationOrder": {…,
  "saleOrderCode": <our idempotency key>, "addonService": [{"code": "GTG021", "propValue": "PROP0018:<cod>"}]}}``
  → ``{"originalID", "itemCode", "totalFee", "status"}``.
* ``POST customer-partner/orderCancel`` ``{"OriginalId"}``.
* Webhook: JSON ``{"ItemCode", "SaleOrderCode", "Status", "StatusDate", "Note", "CODAmount"}`` with
  ``X-VNPost-Signature: <hex HMAC-SHA256(secret, body)>`` (unconfirmed: kept behind ``construct_event``).
"""
from . import base
from .base import Booking, Quote, TrackingEvent
from .errors import APIError, DuplicateOrderError, InvalidRequestError
from .signing import verify_hmac

CARRIER = "vnpost"
SIGNATURE_HEADER = "X-VNPost-Signature"
#: VNPost status codes (MyVNPost) → ours.
STATUS_MAP = {
    "1": base.CREATED, "2": base.CREATED, "3": base.PICKED_UP, "4": base.IN_TRANSIT, "5": base.DELIVERING,
    "6": base.DELIVERED, "7": base.FAILED, "8": base.RETURNING, "9": base.RETURNED, "10": base.CANCELLED,
}
#: VNPost's express parcel service (Chuyển phát nhanh EMS trong nước) code as used by integrations.
SERVICE = "ETN011"
VOLUME_DIVISOR = 6000


class VNPost(base.Transport):
    carrier = CARRIER

    def __init__(self, *, api_url, token, webhook_secret="", **kwargs):
        if not token:
            raise InvalidRequestError("token is required", carrier=CARRIER)
        super().__init__(api_url=api_url, **kwargs)
        self._token, self._webhook_secret = token, webhook_secret

    def __repr__(self):
        return f"VNPost(api_url={self.api_url!r})"

    def headers(self):
        return {"token": self._token}

    def _call(self, path, body, *, safe):
        status, data = self.request("POST", path, body=body, safe=safe)
        if status == 200:
            return data
        message = str(data.get("message") or f"HTTP {status}") if isinstance(data, dict) else f"HTTP {status}"
        code = data.get("code") if isinstance(data, dict) else None
        if code == "DUPLICATE_SALE_ORDER_CODE":
            raise DuplicateOrderError(message, code=code, http_status=status, json_body=data, carrier=CARRIER)
        raise InvalidRequestError(message, code=code, http_status=status, json_body=data, carrier=CARRIER)

    def quote(self, *, sender, receiver, parcel, cod_amount=0):
        body = {"senderProvinceCode": sender.province_code, "senderCommuneCode": sender.ward_code,
                "receiverProvinceCode": receiver.province_code, "receiverCommuneCode": receiver.ward_code,
                "weight": parcel.weight_g, "length": parcel.length_cm, "width": parcel.width_cm,
                "height": parcel.height_cm, "codAmount": cod_amount, "serviceCode": SERVICE}
        data = self._call("customer-partner/ServicesCharge", body, safe=True)
        services = data if isinstance(data, list) else []
        chosen = next((s for s in services if isinstance(s, dict) and s.get("serviceCode") == SERVICE), None)
        try:
            fee = int(chosen["totalFee"])
            hours = int(chosen.get("deliveryTime") or 72)
        except (TypeError, KeyError, ValueError):
            raise APIError("VNPost answered no charge for its express service", json_body=data, carrier=CARRIER) from None
        days = max(1, -(-hours // 24))
        return Quote(carrier=CARRIER, service=SERVICE, fee=fee, min_days=days, max_days=days + 1, raw=chosen)

    def create(self, *, client_order_code, sender, receiver, parcel, cod_amount=0, note="", pickup=True, items=()):
        """Book one parcel; ``saleOrderCode`` is the idempotency key (a repeat is answered as a replay)."""
        if not client_order_code or len(client_order_code) > 50:
            raise InvalidRequestError("client_order_code: 1-50 characters", carrier=CARRIER)
        addons = [{"code": "GTG021", "propValue": f"PROP0018:{cod_amount}"}] if cod_amount else []
        info = {
            "senderName": sender.name, "senderPhone": sender.phone, "senderAddress": sender.street,
            "senderProvinceCode": sender.province_code, "senderProvinceName": sender.province_name,
            "senderCommuneCode": sender.ward_code, "senderCommuneName": sender.ward_name,
            "receiverName": receiver.name, "receiverPhone": receiver.phone, "receiverAddress": receiver.street,
            "receiverProvinceCode": receiver.province_code, "receiverProvinceName": receiver.province_name,
            "receiverCommuneCode": receiver.ward_code, "receiverCommuneName": receiver.ward_name,
            "serviceCode": SERVICE, "saleOrderCode": client_order_code, "contentNote": (parcel.content or note)[:500],
            "weight": parcel.weight_g, "length": parcel.length_cm, "width": parcel.width_cm, "height": parcel.height_cm,
            "addonService": addons, "isBroken": 0, "vehicle": "BO",
            "sendType": "1" if pickup else "2",  # 1: collected at the sender's, 2: dropped at a post office
        }
        body = {"orderCreationStatus": 1, "type": "GUI", "informationOrder": info}
        try:
            data = self._call("customer-partner/CreateOrder", body, safe=False)
        except DuplicateOrderError as exc:
            data = dict((exc.json_body or {}).get("order") or {})
            if not data:
                raise
            replayed = True
        else:
            replayed = False
        code = (data or {}).get("itemCode") or (data or {}).get("originalID")
        if not code:
            raise APIError("VNPost answered a booking without itemCode", json_body=data, carrier=CARRIER)
        return Booking(carrier=CARRIER, tracking_code=str(code), client_order_code=client_order_code,
                       fee=int(data.get("totalFee") or 0), replayed=replayed, raw=data)

    def track(self, tracking_code):
        data = self._call("customer-partner/orderTracking", {"itemCode": tracking_code}, safe=True)
        events = []
        for entry in (data or {}).get("history") or [] if isinstance(data, dict) else []:
            status = str(entry.get("status", ""))
            if status in STATUS_MAP:
                events.append(TrackingEvent(carrier=CARRIER, tracking_code=tracking_code,
                                            client_order_code=str(data.get("saleOrderCode") or ""),
                                            status=STATUS_MAP[status], carrier_status=status,
                                            occurred_at=str(entry.get("statusDate") or ""),
                                            description=str(entry.get("note") or "")[:255], raw=entry))
        return events

    def cancel(self, tracking_code):
        return self._call("customer-partner/orderCancel", {"OriginalId": tracking_code}, safe=True)

    def construct_event(self, payload, signature):
        verify_hmac(self._webhook_secret, payload, signature)
        data = base.loads(payload)
        status = str(data.get("Status", ""))
        if not data.get("ItemCode") or status not in STATUS_MAP or not data.get("StatusDate"):
            raise InvalidRequestError(f"Unknown VNPost callback (status {status!r})", carrier=CARRIER)
        return TrackingEvent(carrier=CARRIER, tracking_code=str(data["ItemCode"]),
                             client_order_code=str(data.get("SaleOrderCode") or ""), status=STATUS_MAP[status],
                             carrier_status=status, occurred_at=str(data["StatusDate"]),
                             description=str(data.get("Note") or "")[:255],
                             cod_amount=int(data.get("CODAmount") or 0), raw=data)
