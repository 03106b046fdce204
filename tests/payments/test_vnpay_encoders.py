"""Callbacks signed by any of VNPay's official encoders verify (issue 15 point 13).

The official demos encode ``! ' ( ) * ~`` six different ways (spec §3.2); the callback is signed over the
bytes sent, so the IPN is checked on its raw query string as well as on each known encoder's output. The
independent implementation is VNPay's Node demo (``sortObject`` + ``encodeURIComponent`` + HMAC-SHA512), run
by Node.js itself, not a Python copy of it.
"""
import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.test import Client

from payments.models import Payment
from payments.vnpay import SignatureVerificationError, signing
from tests.payments.test_ipn import ipn, pending, state  # noqa: F401 — the fixture is used below
from tests.payments.test_vnpay_signing import SECRET, make_client

NODE = shutil.which("node")
ORDER_INFO = "Thanh toán đơn hàng ~ * ' ! ( ) – Kẹo cu đơ"

#: VNPay's Node demo (DOC-PAY, Node tab): sortObject + qs.stringify(encode: false) + createHmac("sha512").
NODE_DEMO = r"""
const crypto = require("crypto");
const params = JSON.parse(process.argv[1]); const secret = process.argv[2];
function sortObject(obj) {
  let sorted = {}; let str = []; let key;
  for (key in obj) { if (obj.hasOwnProperty(key)) { str.push(encodeURIComponent(key)); } }
  str.sort();
  for (key = 0; key < str.length; key++) {
    sorted[str[key]] = encodeURIComponent(obj[str[key]]).replace(/%20/g, "+");
  }
  return sorted;
}
const sorted = sortObject(params);
const signData = Object.keys(sorted).map((k) => k + "=" + sorted[k]).join("&");
const hash = crypto.createHmac("sha512", secret).update(Buffer.from(signData, "utf-8")).digest("hex");
process.stdout.write(signData + "&vnp_SecureHash=" + hash);
"""


def callback_params(**overrides):
    params = {"vnp_Amount": "15000000", "vnp_BankCode": "NCB", "vnp_OrderInfo": ORDER_INFO,
              "vnp_PayDate": "20250101103512", "vnp_ResponseCode": "00", "vnp_TmnCode": "TESTTMN1",
              "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00", "vnp_TxnRef": "100001"}
    params.update(overrides)
    return params


def signed_query(params, secret, quote_fn):
    data = signing.canonical_query(params, quote_fn=quote_fn)
    return f"{data}&vnp_SecureHash={signing.hmac_sha512(secret, data)}"


ENCODERS = {"python": signing.quote_plus, "php": signing.quote_php, "node": signing.quote_node,
            "dotnet": signing.quote_dotnet, "whatwg-java": signing.quote_whatwg}


@pytest.mark.parametrize("encoder", ENCODERS)
def test_every_official_encoder_verifies_with_the_characters_they_disagree_on(encoder):
    query = signed_query(callback_params(), SECRET, ENCODERS[encoder])
    event = make_client().webhooks.construct_event(query)
    assert event.paid and event.order_info == ORDER_INFO  # decoded exactly, whatever the encoder
    with pytest.raises(SignatureVerificationError):  # still nothing without the secret
        make_client().webhooks.construct_event(signed_query(callback_params(), "not-the-secret", ENCODERS[encoder]))
    tampered = query.replace("vnp_Amount=15000000", "vnp_Amount=15000100")
    with pytest.raises(SignatureVerificationError):
        make_client().webhooks.construct_event(tampered)


def test_encoders_really_disagree_on_those_characters():
    outputs = {name: signing.canonical_query({"vnp_OrderInfo": "~ * ' ! ( )"}, quote_fn=fn)
               for name, fn in ENCODERS.items()}
    assert len(set(outputs.values())) == len(ENCODERS)


def test_en_dash_and_minus_become_a_hyphen_in_free_text():
    assert signing.fold_text("Thanh toán đơn hàng 12 – Kẹo — mè −5") == "Thanh toan don hang 12 - Keo - me -5"


@pytest.mark.django_db
@pytest.mark.skipif(not NODE, reason="node not installed: VNPay's Node demo cannot run as the independent signer")
def test_ipn_signed_by_vnpays_node_demo_marks_the_order_paid(pending):  # noqa: F811
    order, payment, product = pending
    params = {"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14226112",
              "vnp_CardType": "ATM", "vnp_OrderInfo": f"Thanh toán đơn hàng {order.number} ~*'!() – OCOP",
              "vnp_PayDate": "20261127103000", "vnp_ResponseCode": "00", "vnp_TmnCode": settings.VNPAY_TMN_CODE,
              "vnp_TransactionNo": "14226112", "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}
    query = subprocess.run([NODE, "-e", NODE_DEMO, json.dumps(params), settings.VNPAY_HASH_SECRET],  # nosec B603
                           capture_output=True, text=True, check=True, timeout=120).stdout
    assert "~*'!()" in query  # Node keeps what Python's quote_plus would escape: a different signed string
    assert signing.canonical_query(params) != query.split("&vnp_SecureHash=")[0]
    assert ipn(Client(), query)["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.status == Payment.PAID
    forged = subprocess.run([NODE, "-e", NODE_DEMO, json.dumps(params), "wrong-secret"],  # nosec B603
                            capture_output=True, text=True, check=True, timeout=120).stdout
    assert ipn(Client(), forged)["RspCode"] == "97"
