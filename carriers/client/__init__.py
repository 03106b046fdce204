"""Clients for Vietnam's carriers (no Django imports; publishable on their own).

    from carriers.client import GHN, VNPost, Address, Parcel
    ghn = GHN(api_url="https://online-gateway.ghn.vn/shiip/public-api/", token="…", shop_id="…", webhook_secret="…")
    quote = ghn.quote(sender=Address(…), receiver=Address(…), parcel=Parcel(500, 20, 15, 10))
    booking = ghn.create(client_order_code="100123-1", sender=…, receiver=…, parcel=…, cod_amount=180000)
    event = ghn.construct_event(request.body, token_from_the_url)     # SignatureVerificationError
    VNPost(api_url=…, token=…, webhook_secret=…).construct_event(body, request.headers["X-VNPost-Signature"])

Fees and quotes are safe reads and are retried with backoff; a booking is never resent blindly: the client
order code is the idempotency key and a repeated booking returns the first one (``Booking.replayed``).
"""
from .base import (
    CANCELLED, CREATED, DELIVERED, DELIVERING, FAILED, FINAL, IN_TRANSIT, LOST, PICKED_UP, RANK, RETURNED, RETURNING,
    STATUSES, Address, Booking, Parcel, Quote, Remittance, RemittanceLine, TrackingEvent,
)
from .errors import (
    APIConnectionError, APIError, AuthenticationError, CarrierError, DuplicateOrderError, InvalidRequestError,
    SignatureVerificationError,
)
from .ghn import GHN
from .vnpost import VNPost

__all__ = [
    "GHN", "VNPost", "Address", "Parcel", "Quote", "Booking", "TrackingEvent", "Remittance", "RemittanceLine",
    "CarrierError", "InvalidRequestError", "AuthenticationError", "DuplicateOrderError", "APIConnectionError",
    "APIError", "SignatureVerificationError", "STATUSES", "RANK", "FINAL", "CREATED", "PICKED_UP", "IN_TRANSIT",
    "DELIVERING", "DELIVERED", "FAILED", "RETURNING", "RETURNED", "CANCELLED", "LOST",
]
