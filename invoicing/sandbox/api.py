"""The emulated provider + tax authority: receives an invoice, checks it, signs it, returns the code (MCCQT).

Checks, in order: API key (401), JSON body and fields (400), idempotency key reused for another invoice
(409), then the invoice itself — well-formed XML, the spec's required elements and arithmetic
(``invoicing.validation``), seller MST / template / symbol / number equal to the envelope — which are answered
as a *rejection* (HTTP 200, ``status: rejected``), as the tax authority rejects an invoice. An accepted
invoice gets a 34-character MCCQT (``C`` symbols) and the XML signed by the seller's sandbox certificate.

A per-seller ``SandboxSwitch`` makes the next answers reject, time out (hold the answer, then process it: the
client has given up, the invoice is nonetheless accepted, as with a real provider) or answer twice (the callback
is sent twice besides the synchronous answer). A resubmission under the same key replays the stored answer.

A held answer waits until a tester releases it (``release_held``, the control URL's ``"release": true``) or
``delay`` seconds pass: tests order "the client gave up" before "the provider answered" by that release, never
by racing a sleep against the client's timeout. The release reaches the process that holds the request (the
dev server, the test live server); elsewhere the hold ends after ``delay``.
"""
import base64
import binascii
import datetime
import hashlib
import hmac
import json
import logging
import re
import threading
import time
import uuid

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from lxml import etree

from invoicing.provider.client import SIGNATURE_HEADER, sign_payload
from invoicing.validation import xml_errors

from .models import SandboxSubmission, SandboxSwitch
from .signing import sign_invoice

logger = logging.getLogger("invoicing.sandbox")
KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
MST_RE = re.compile(r"^\d{10}$|^\d{10}-\d{3}$|^\d{12}$")
VN = datetime.timezone(datetime.timedelta(hours=7))


class Answer(Exception):
    """Ends a request with an HTTP error object."""

    def __init__(self, status, kind, code, message):
        super().__init__(message)
        self.status, self.body = status, {"error": {"type": kind, "code": code, "message": message}}


def api_key():
    return settings.EINVOICE_PROVIDER_KEY


def authenticate(header):
    expected = f"Bearer {api_key()}"
    if not header or not _equal(header, expected):
        raise Answer(401, "authentication_error", "invalid_api_key", "Invalid API key")


def _equal(a, b):
    return hmac.compare_digest(a.encode(), b.encode())


def _clean(body, key):
    if not key or not KEY_RE.match(key):
        raise Answer(400, "invalid_request_error", "idempotency_key_missing", "Idempotency-Key header is required")
    if not isinstance(body, dict):
        raise Answer(400, "invalid_request_error", "invalid_json", "The body must be a JSON object")
    for name in ("seller_tax_code", "template", "symbol", "xml"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise Answer(400, "invalid_request_error", "missing_field", f"Missing or invalid field {name}")
    number = body.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number <= 99_999_999:
        raise Answer(400, "invalid_request_error", "invalid_number", "number must be an integer 1-99999999")
    callback = body.get("callback_url")
    if callback is not None and (not isinstance(callback, str) or not re.match(r"^https?://", callback)):
        raise Answer(400, "invalid_request_error", "invalid_callback_url", "callback_url must be an http(s) URL")
    try:
        xml = base64.b64decode(body["xml"], validate=True)
    except (binascii.Error, ValueError):
        raise Answer(400, "invalid_request_error", "invalid_base64", "xml must be base64") from None
    return xml


def _problems(body, xml):
    """Why the tax authority would reject this invoice: (code, message) or None."""
    if not MST_RE.match(body["seller_tax_code"]):
        return "invalid_seller_tax_code", "MST người bán không hợp lệ"
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return "malformed_xml", "Dữ liệu hóa đơn không phải XML hợp lệ"
    errors = xml_errors(xml)
    if errors:
        return "invalid_invoice", "Hóa đơn sai định dạng: " + "; ".join(errors)[:200]
    tt = root.find("DLHDon/TTChung")
    if root.findtext("DLHDon/NDHDon/NBan/MST") != body["seller_tax_code"]:
        return "seller_mismatch", "MST người bán trong hóa đơn khác MST gửi kèm"
    if (tt.findtext("KHMSHDon"), tt.findtext("KHHDon")) != (body["template"], body["symbol"]):
        return "symbol_mismatch", "Mẫu số, ký hiệu trong hóa đơn khác dữ liệu gửi kèm"
    if tt.findtext("SHDon") != str(body["number"]):
        return "number_mismatch", "Số hóa đơn trong hóa đơn khác số gửi kèm"
    if body.get("data_id") and root.find("DLHDon").get("Id") != body["data_id"]:
        return "id_mismatch", "DLHDon Id khác dữ liệu gửi kèm"
    return None


_holds = {}
_holds_lock = threading.Lock()


def _hold_event(seller_tax_code):
    with _holds_lock:
        return _holds.setdefault(seller_tax_code, threading.Event())


def hold(seller_tax_code, delay):
    """Keep a "time out" answer until it is released or ``delay`` seconds pass; True when released."""
    released = _hold_event(seller_tax_code).wait(delay)
    with _holds_lock:
        _holds.pop(seller_tax_code, None)
    return released


def release_held(seller_tax_code):
    """Let the held answer for this seller go on (or the next one, if none is held yet)."""
    _hold_event(seller_tax_code).set()


def _switch(seller_tax_code):
    """The behaviour for this submission, consuming one use of a counted switch."""
    with transaction.atomic():
        switch = SandboxSwitch.objects.select_for_update().filter(seller_tax_code=seller_tax_code).first()
        if switch is None or switch.behaviour == SandboxSwitch.ACCEPT:
            return SandboxSwitch.ACCEPT, 0
        behaviour, delay = switch.behaviour, switch.delay
        if switch.remaining:
            switch.remaining -= 1
            if switch.remaining == 0:
                switch.behaviour = SandboxSwitch.ACCEPT
            switch.save(update_fields=["remaining", "behaviour"])
        return behaviour, delay


def tax_authority_code():
    """34 characters, unique per invoice, like ``008F3A2C9D41B7E6054C1A9F2D3B8E7A6C`` (spec §3.9)."""
    return "00" + uuid.uuid4().hex.upper()


def _seller_name(xml):
    try:
        return etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False)).findtext(
            "DLHDon/NDHDon/NBan/Ten", "")
    except etree.XMLSyntaxError:
        return ""


def submission_json(sub, *, replayed=False):
    error = {"code": sub.error_code, "message": sub.error_message} if sub.status == "rejected" else None
    return {"object": "invoice_submission", "id": sub.reference, "idempotency_key": sub.idempotency_key,
            "status": sub.status, "tax_authority_code": sub.tax_authority_code,
            "signed_xml": base64.b64encode(bytes(sub.signed_xml or b"")).decode("ascii"), "error": error,
            "replayed": replayed, "created": sub.created.isoformat() if sub.created else None}


def submit(body, key):
    """POST invoices → (JSON body, how many callbacks to send: 0 for a replay, 2 when answering twice)."""
    xml = _clean(body, key)
    digest = hashlib.sha256(json.dumps({k: body[k] for k in sorted(body) if k != "callback_url"},
                                       sort_keys=True).encode()).hexdigest()
    existing = SandboxSubmission.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.body_sha256 != digest:
            raise Answer(409, "idempotency_error", "idempotency_conflict",
                         "This Idempotency-Key was used for another invoice")
        SandboxSubmission.objects.filter(pk=existing.pk).update(answers=existing.answers + 1)
        return submission_json(existing, replayed=True), 0
    behaviour, delay = _switch(body["seller_tax_code"])
    if behaviour == SandboxSwitch.TIMEOUT:
        hold(body["seller_tax_code"], delay)  # the caller has given up; the invoice is still processed below
    problem = _problems(body, xml)
    if behaviour == SandboxSwitch.REJECT and problem is None:
        problem = ("rejected_on_request", "Cơ quan thuế từ chối cấp mã (sandbox: người bán đặt chế độ từ chối)")
    fields = {"idempotency_key": key, "reference": f"sub_{uuid.uuid4().hex[:24]}",
              "seller_tax_code": body["seller_tax_code"], "body_sha256": digest}
    if problem:
        fields.update(status="rejected", error_code=problem[0], error_message=problem[1][:255])
    else:
        code = tax_authority_code() if body["symbol"].startswith("C") else ""
        signed = sign_invoice(xml, tax_code=body["seller_tax_code"], name=_seller_name(xml),
                              signing_time=datetime.datetime.now(VN).replace(tzinfo=None, microsecond=0),
                              tax_authority_code=code)
        fields.update(status="accepted", tax_authority_code=code, signed_xml=signed)
    try:
        with transaction.atomic():
            sub = SandboxSubmission.objects.create(**fields)
    except IntegrityError:  # the same key raced in: answer what the first one got
        sub = SandboxSubmission.objects.get(idempotency_key=key)
        return submission_json(sub, replayed=True), 0
    logger.info("sandbox e-invoice %s %s", key, sub.status)
    return submission_json(sub), 2 if behaviour == SandboxSwitch.TWICE else 1


def retrieve(key):
    sub = SandboxSubmission.objects.filter(idempotency_key=key).first()
    if sub is None:
        raise Answer(404, "invalid_request_error", "not_found", "No invoice was received under this key")
    return submission_json(sub, replayed=True)


def send_callback(url, data, *, times=1):
    """POST the answer to the marketplace's callback URL ``times`` times (failures are only logged)."""
    payload = json.dumps({"type": f"invoice.{data['status']}", "data": data}).encode()
    for _ in range(times):
        header = sign_payload(api_key(), payload, time.time())
        try:
            requests.post(url, data=payload, timeout=10,
                          headers={"Content-Type": "application/json", SIGNATURE_HEADER: header})
        except requests.RequestException as exc:
            logger.warning("sandbox callback to %s failed: %s", url, exc)
