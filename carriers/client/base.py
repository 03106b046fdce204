"""What every carrier client speaks: addresses, parcels, quotes, bookings, tracking events; and the transport.

No Django here: the package can be published on its own (as ``payments/vnpay`` and ``invoicing/provider``).
Statuses are normalised to ``STATUSES`` so the marketplace never reads a carrier's own codes.
"""
import json
import logging
import random
import time
from dataclasses import dataclass, field

import requests

from .errors import APIConnectionError, APIError, AuthenticationError, InvalidRequestError

logger = logging.getLogger("carriers.client")

CREATED, PICKED_UP, IN_TRANSIT, DELIVERING, DELIVERED, FAILED, RETURNING, RETURNED, CANCELLED, LOST = (
    "created", "picked_up", "in_transit", "delivering", "delivered", "delivery_failed", "returning", "returned",
    "cancelled", "lost")
STATUSES = (CREATED, PICKED_UP, IN_TRANSIT, DELIVERING, DELIVERED, FAILED, RETURNING, RETURNED, CANCELLED, LOST)
#: How far along a parcel is: an event of a lower rank arriving late never moves it back (a failed attempt and
#: the next delivery round share a rank: they alternate).
RANK = {CREATED: 0, PICKED_UP: 1, IN_TRANSIT: 2, DELIVERING: 3, FAILED: 3, RETURNING: 5, DELIVERED: 9,
        RETURNED: 9, CANCELLED: 9, LOST: 9}
FINAL = (DELIVERED, RETURNED, CANCELLED, LOST)


@dataclass(frozen=True)
class Address:
    name: str
    phone: str
    street: str
    ward_code: str  #: GSO code since 01/07/2025
    ward_name: str
    province_code: str
    province_name: str


@dataclass(frozen=True)
class Parcel:
    weight_g: int
    length_cm: int
    width_cm: int
    height_cm: int
    value: int = 0  #: goods value in đồng (insurance)
    content: str = ""


@dataclass(frozen=True)
class Quote:
    carrier: str
    service: str
    fee: int  #: đồng
    min_days: int
    max_days: int
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class Booking:
    carrier: str
    tracking_code: str
    client_order_code: str
    fee: int
    expected_delivery: str = ""  #: ISO date when the carrier says one
    sort_code: str = ""
    replayed: bool = False  #: the code was booked before: this is that booking
    raw: dict = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class TrackingEvent:
    carrier: str
    tracking_code: str
    client_order_code: str
    status: str  #: one of STATUSES
    carrier_status: str
    occurred_at: str  #: ISO 8601 with offset
    description: str = ""
    cod_amount: int = 0
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def key(self):
        """Identifies one event: a replayed webhook has the same key."""
        return f"{self.carrier}:{self.tracking_code}:{self.carrier_status}:{self.occurred_at}"


@dataclass(frozen=True)
class RemittanceLine:
    tracking_code: str
    client_order_code: str
    cod_amount: int  #: cash collected from the buyer
    fee: int  #: the carrier's fee deducted


@dataclass(frozen=True)
class Remittance:
    carrier: str
    reference: str
    remitted_on: str  #: ISO date
    total: int  #: what was transferred: Σ cod − Σ fee
    lines: tuple = ()


class Transport:
    """JSON over HTTPS with timeouts; retries (exponential backoff) only when the caller says the call is safe."""

    carrier = ""

    def __init__(self, *, api_url, timeout=8.0, max_retries=2, backoff_factor=0.3, max_backoff=3.0, session=None,
                 sleep=time.sleep):
        if not api_url or not isinstance(api_url, str):
            raise InvalidRequestError("api_url is required", carrier=self.carrier)
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self._session = session or requests.Session()
        self._sleep = sleep

    def headers(self):
        return {}

    def backoff_delay(self, retry_number):
        return min(self.max_backoff, self.backoff_factor * 2 ** (retry_number - 1)) * random.uniform(0.5, 1.0)

    def request(self, method, path, *, body=None, params=None, safe=False):
        """Send once; when ``safe`` (a read, or a write the carrier deduplicates) retry network errors and 5xx."""
        headers = {"Content-Type": "application/json", "Accept": "application/json", **self.headers()}
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.request(method, self.api_url + path, json=body, params=params,
                                                 headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                error = APIConnectionError(f"Could not reach {self.carrier} for {method} {path} (attempt {attempt}): "
                                           f"{type(exc).__name__}", timeout=isinstance(exc, requests.Timeout),
                                           carrier=self.carrier)
            else:
                if response.status_code < 500:
                    return self.decode(response)
                error = APIError(f"{self.carrier} failed with HTTP {response.status_code} for {path}",
                                 http_status=response.status_code, carrier=self.carrier)
            if not safe or attempt > self.max_retries:
                logger.warning("%s", error)
                raise error
            delay = self.backoff_delay(attempt)
            logger.warning("%s; retry %d/%d in %.2fs", error, attempt, self.max_retries, delay)
            self._sleep(delay)

    def decode(self, response):
        try:
            data = response.json()
        except ValueError:
            raise APIError(f"{self.carrier} answered HTTP {response.status_code} that is not JSON",
                           http_status=response.status_code, carrier=self.carrier) from None
        if response.status_code in (401, 403):
            raise AuthenticationError(f"{self.carrier} refused the token", http_status=response.status_code,
                                      json_body=data, carrier=self.carrier)
        return response.status_code, data


def loads(payload):
    """A webhook body (bytes) as a JSON object, or InvalidRequestError."""
    try:
        data = json.loads(bytes(payload).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidRequestError("Webhook body is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequestError("Webhook body is not a JSON object")
    return data


def volumetric_weight(parcel, divisor):
    """Carriers charge the larger of the real and the volumetric weight (L×W×H / divisor, in grams)."""
    return max(parcel.weight_g, parcel.length_cm * parcel.width_cm * parcel.height_cm * 1000 // divisor)
