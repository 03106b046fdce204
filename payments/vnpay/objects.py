"""Typed results. Amounts are integer đồng: the ×100 of vnp_Amount never leaves the SDK."""

from dataclasses import dataclass, field
from datetime import datetime

from . import codes


@dataclass(frozen=True)
class PaymentIntent:
    """A signed pay URL: the browser is redirected to `url` (Stripe: status requires_action)."""

    txn_ref: str
    amount: int
    currency: str
    order_info: str
    url: str
    created_at: datetime
    expires_at: datetime
    #: The exact vnp_CreateDate string sent; querydr/refund need it back as vnp_TransactionDate.
    create_date: str
    expire_date: str
    params: dict = field(repr=False)
    status: str = "requires_action"

    @property
    def id(self):
        return self.txn_ref

    @property
    def transaction_date(self):
        return self.create_date

    @property
    def next_action(self):
        return {"type": "redirect_to_url", "redirect_to_url": {"url": self.url}}


@dataclass(frozen=True)
class Event:
    """A verified Return-URL or IPN callback."""

    txn_ref: str
    amount: int
    tmn_code: str
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    bank_tran_no: str
    card_type: str
    order_info: str
    pay_date: datetime | None
    data: dict = field(repr=False)
    #: Which encoding variant of the checksum matched (spec §3.3); "canonical" in normal operation.
    signature_variant: str = "canonical"

    @property
    def id(self):
        return f"{self.txn_ref}:{self.transaction_no}"

    @property
    def paid(self):
        """Both codes 00, as the .NET demo requires (spec §4.3): anything else is not paid."""
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def held_for_review(self):
        return self.response_code == "07"

    @property
    def type(self):
        return "payment_intent.succeeded" if self.paid else "payment_intent.payment_failed"

    @property
    def response_message(self):
        return codes.describe(codes.RESPONSE_CODES, self.response_code)

    @property
    def transaction_status_message(self):
        return codes.describe(codes.TRANSACTION_STATUSES, self.transaction_status)


@dataclass(frozen=True)
class Transaction:
    """A querydr answer (response code 00, checksum verified)."""

    request_id: str
    response_id: str
    txn_ref: str
    amount: int | None
    message: str
    transaction_no: str
    transaction_type: str
    transaction_status: str
    bank_code: str
    order_info: str
    pay_date: datetime | None
    promotion_code: str
    promotion_amount: int | None
    raw: dict = field(repr=False)

    @property
    def paid(self):
        return self.transaction_type == "01" and self.transaction_status == "00"

    @property
    def transaction_status_message(self):
        return codes.describe(codes.TRANSACTION_STATUSES, self.transaction_status)


@dataclass(frozen=True)
class Refund:
    """An accepted refund request; VNPay then processes it (status 05/06), poll with querydr."""

    request_id: str
    response_id: str
    txn_ref: str
    amount: int | None
    full: bool
    message: str
    transaction_no: str
    transaction_type: str
    transaction_status: str
    bank_code: str
    order_info: str
    pay_date: datetime | None
    raw: dict = field(repr=False)

    @property
    def id(self):
        return self.request_id

    @property
    def status(self):
        """Stripe's refund vocabulary mapped from vnp_TransactionStatus."""
        return {"00": "succeeded", "09": "failed"}.get(self.transaction_status, "pending")

    @property
    def transaction_status_message(self):
        return codes.describe(codes.TRANSACTION_STATUSES, self.transaction_status)
