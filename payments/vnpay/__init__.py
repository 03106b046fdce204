"""VNPay 2.1.0 client with a Stripe-like interface (no Django imports; publishable on its own).

    client = VNPay(tmn_code=..., hash_secret=..., payment_url=..., api_url=...)
    intent = client.payment_intents.create(amount=150_000, txn_ref="ORD1", order_info="...",
                                           return_url="https://.../return/", ip_addr="203.0.113.7")
    event = client.webhooks.construct_event(request.GET)
    txn = client.payment_intents.retrieve(txn_ref="ORD1", transaction_date=intent.create_date)
    refund = client.refunds.create(txn_ref="ORD1", amount=50_000, transaction_date=..., created_by="...")
"""

from . import codes, signing
from .client import VNPay
from .errors import (
    APIConnectionError,
    APIError,
    InvalidRequestError,
    SignatureVerificationError,
    VNPayError,
)
from .objects import Event, PaymentIntent, Refund, Transaction

__all__ = [
    "VNPay", "PaymentIntent", "Event", "Transaction", "Refund",
    "VNPayError", "SignatureVerificationError", "APIConnectionError", "InvalidRequestError", "APIError",
    "codes", "signing",
]
