"""Writes of the emulated VNPay: a submitted payment, its signed callback, refunds."""

import random

from django.db import IntegrityError, transaction

from payments.vnpay import signing

from . import conf, ipn
from .models import SandboxTransaction
from .pay import PageError, amount_vnd

TEST_CARD = {"bank": "NCB", "number": "9704198526191432198", "holder": "NGUYEN VAN A", "issue_date": "07/15",
             "otp": "123456"}

#: Outcome button → (vnp_ResponseCode, vnp_TransactionStatus). A cancel looks like VNPay's real ones:
#: bank VNPAY, card QRCODE, transaction number 0 (spec §4.1).
OUTCOMES = {
    "success": ("00", "00"),
    "cancel": ("24", "02"),
    "insufficient_funds": ("51", "02"),
    "timeout": ("11", "02"),
}


def new_transaction_no(model, field="transaction_no"):
    """An 8-digit VNPay-like number, unique in `model`."""
    while True:
        number = str(random.randint(10_000_000, 99_999_999))
        if not model.objects.filter(**{field: number}).exists():
            return number


def transaction_submit(*, params, outcome, now):
    """Record the payment with the chosen outcome, then deliver the IPN; returns the transaction.

    The row is committed before the IPN call so that a merchant served by the same process
    (and the same SQLite file) is not blocked by our write lock.
    """
    response_code, status = OUTCOMES[outcome]
    cancelled = outcome == "cancel"
    requested_bank = params.get("vnp_BankCode", "")
    bank_code = "VNPAY" if cancelled else (requested_bank if requested_bank not in ("", "VNBANK", "VNPAYQR", "INTCARD")
                                           else TEST_CARD["bank"])
    transaction_no = "0" if cancelled else new_transaction_no(SandboxTransaction)
    tmn_code, secret = conf.terminal()
    txn = SandboxTransaction(
        tmn_code=tmn_code, txn_ref=params["vnp_TxnRef"], amount=amount_vnd(params),
        order_info=params["vnp_OrderInfo"], order_type=params["vnp_OrderType"], locale=params["vnp_Locale"],
        return_url=params["vnp_ReturnUrl"], ip_addr=params["vnp_IpAddr"], create_date=params["vnp_CreateDate"],
        expire_date=params["vnp_ExpireDate"], response_code=response_code, transaction_status=status,
        transaction_no=transaction_no, bank_code=bank_code, card_type="QRCODE" if cancelled else "ATM",
        bank_tran_no=f"VNP{transaction_no}" if outcome == "success" else "", pay_date=now,
    )
    txn.callback_query = callback_query(txn, secret)
    try:
        with transaction.atomic():
            txn.save()
            delivery = ipn.delivery_create(txn=txn)
    except IntegrityError:
        raise PageError("01", f"vnp_TxnRef={txn.txn_ref}") from None
    ipn.delivery_start(delivery)
    return txn


def callback_params(txn):
    """The vnp_* parameters VNPay sends to both the IPN and the Return URL (spec §4.1)."""
    params = {
        "vnp_Amount": str(txn.amount * 100),
        "vnp_BankCode": txn.bank_code,
        "vnp_BankTranNo": txn.bank_tran_no,
        "vnp_CardType": txn.card_type,
        "vnp_OrderInfo": txn.order_info,
        "vnp_PayDate": signing.format_date(txn.pay_date),
        "vnp_ResponseCode": txn.response_code,
        "vnp_TmnCode": txn.tmn_code,
        "vnp_TransactionNo": txn.transaction_no,
        "vnp_TransactionStatus": txn.transaction_status,
        "vnp_TxnRef": txn.txn_ref,
    }
    return {k: v for k, v in params.items() if v}


def callback_query(txn, secret):
    query, secure_hash = signing.sign_params(callback_params(txn), secret)
    return f"{query}&vnp_SecureHash={secure_hash}"


def return_redirect_url(txn):
    separator = "&" if "?" in txn.return_url else "?"
    return f"{txn.return_url}{separator}{txn.callback_query}"
