"""The client, its resources (``invoices``, ``webhooks``) and the HTTP transport.

Wire format (JSON over HTTPS, the emulator in ``invoicing/sandbox`` speaks it):

* ``POST {api_url}invoices`` with ``Authorization: Bearer <key>``, ``Idempotency-Key``, ``X-Request-Id`` and
  ``{"seller_tax_code", "template", "symbol", "number", "data_id", "xml" (base64), "callback_url"?}``;
  answer 200 ``{"object": "invoice_submission", "id", "idempotency_key", "status": "accepted"|"rejected",
  "tax_authority_code", "signed_xml" (base64), "error": {"code", "message"}|null, "replayed"}``.
* ``GET {api_url}invoices/<idempotency key>``: the same object, 404 if never received.
* Callbacks: ``POST callback_url`` with ``{"type": "invoice.accepted"|"invoice.rejected", "data": <submission>}``
  and ``X-EInvoice-Signature: t=<unix time>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>``.
* Errors: ``{"error": {"type", "code", "message"}}`` with 400/401/404/409/5xx.
"""
import base64
import hashlib
import hmac
import json
import logging
import random
import re
import time
import uuid
from dataclasses import dataclass, field

import requests

from .errors import (
    APIConnectionError, APIError, AuthenticationError, IdempotencyError, InvalidRequestError,
    SignatureVerificationError,
)

logger = logging.getLogger("invoicing.provider")
KEY_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
SIGNATURE_HEADER = "X-EInvoice-Signature"


@dataclass(frozen=True)
class Submission:
    """The provider's answer about one invoice."""

    id: str
    idempotency_key: str
    status: str  # "accepted" or "rejected"
    tax_authority_code: str = ""
    signed_xml: bytes = b""
    error_code: str = ""
    error_message: str = ""
    replayed: bool = False
    request_id: str = ""
    raw: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def accepted(self):
        return self.status == "accepted"

    @classmethod
    def from_json(cls, data, *, request_id=""):
        if not isinstance(data, dict) or data.get("status") not in ("accepted", "rejected"):
            raise APIError("The provider answered an object that is not an invoice submission", json_body=data,
                           request_id=request_id)
        try:
            signed = base64.b64decode(data.get("signed_xml") or "", validate=True)
        except ValueError as exc:
            raise APIError("The provider's signed_xml is not base64", json_body=data, request_id=request_id) from exc
        error = data.get("error") or {}
        return cls(id=str(data.get("id", "")), idempotency_key=str(data.get("idempotency_key", "")),
                   status=data["status"], tax_authority_code=str(data.get("tax_authority_code") or ""),
                   signed_xml=signed, error_code=str(error.get("code", "")), error_message=str(error.get("message", "")),
                   replayed=bool(data.get("replayed")), request_id=request_id, raw=data)


@dataclass(frozen=True)
class WebhookEvent:
    type: str
    submission: Submission


class EInvoiceProvider:
    """One account at an e-invoice provider: ``client.invoices``, ``client.webhooks``."""

    def __init__(self, *, api_url, api_key, timeout=10.0, max_retries=2, backoff_factor=0.5, max_backoff=5.0,
                 session=None, sleep=time.sleep):
        if not api_url or not isinstance(api_url, str):
            raise InvalidRequestError("api_url is required")
        if not api_key or not isinstance(api_key, str):
            raise InvalidRequestError("api_key is required")
        if not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidRequestError("max_retries must be a non-negative integer")
        self.api_url = api_url if api_url.endswith("/") else api_url + "/"
        self._api_key = api_key
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._session = session or requests.Session()
        self.invoices = Invoices(self)
        self.webhooks = Webhooks(self)

    def __repr__(self):
        return f"EInvoiceProvider(api_url={self.api_url!r})"

    def backoff_delay(self, retry_number):
        """Stripe's schedule: factor × 2^(n−1), capped, times a random factor in [0.5, 1]."""
        return min(self.max_backoff, self.backoff_factor * 2 ** (retry_number - 1)) * random.uniform(0.5, 1.0)

    def _request(self, method, path, *, body=None, idempotency_key=None):
        """Send, retrying network failures and 5xx (safe: the idempotency key makes a resend a replay)."""
        request_id = uuid.uuid4().hex
        headers = {"Authorization": f"Bearer {self._api_key}", "X-Request-Id": request_id,
                   "Accept": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.request(method, self.api_url + path, json=body, headers=headers,
                                                 timeout=self.timeout)
            except requests.RequestException as exc:
                error = APIConnectionError(
                    f"Could not reach the e-invoice provider for {method} {path} (request {request_id}, "
                    f"attempt {attempt}): {type(exc).__name__}", timeout=isinstance(exc, requests.Timeout),
                    request_id=request_id)
            else:
                if response.status_code < 500:
                    return _decode(response, request_id)
                error = APIError(f"The e-invoice provider failed with HTTP {response.status_code} "
                                 f"(request {request_id})", http_status=response.status_code, request_id=request_id)
            if attempt > self.max_retries:
                logger.error("%s", error)
                raise error
            delay = self.backoff_delay(attempt)
            logger.warning("%s; retry %d/%d in %.2fs", error, attempt, self.max_retries, delay)
            self._sleep(delay)


def _decode(response, request_id):
    try:
        data = response.json()
    except ValueError:
        data = None
    if response.status_code == 200:
        if not isinstance(data, dict):
            raise APIError("The e-invoice provider answered something that is not a JSON object",
                           http_status=200, request_id=request_id)
        return data, request_id
    error = (data or {}).get("error", {}) if isinstance(data, dict) else {}
    message = f"{error.get('message') or 'HTTP ' + str(response.status_code)} (request {request_id})"
    kind = {401: AuthenticationError, 403: AuthenticationError, 409: IdempotencyError}.get(
        response.status_code, InvalidRequestError)
    raise kind(message, code=error.get("code"), http_status=response.status_code, json_body=data,
               request_id=request_id)


class Invoices:
    def __init__(self, client):
        self._client = client

    def submit(self, *, xml, seller_tax_code, template, symbol, number, idempotency_key, data_id="",
               callback_url=None):
        """Send one issued invoice's XML to be signed and coded; returns the ``Submission`` (accepted or
        rejected). Raises ``APIConnectionError``/``APIError`` when no answer came (resend with the same key)."""
        if not isinstance(xml, (bytes, bytearray)) or not xml:
            raise InvalidRequestError("xml must be non-empty bytes")
        if not isinstance(idempotency_key, str) or not KEY_RE.match(idempotency_key):
            raise InvalidRequestError("idempotency_key: 1-64 letters, digits or ._:-")
        body = {"seller_tax_code": seller_tax_code, "template": template, "symbol": symbol, "number": number,
                "data_id": data_id, "xml": base64.b64encode(bytes(xml)).decode("ascii")}
        if callback_url:
            body["callback_url"] = callback_url
        logger.info("e-invoice submit %s", idempotency_key)
        data, request_id = self._client._request("POST", "invoices", body=body, idempotency_key=idempotency_key)
        return Submission.from_json(data, request_id=request_id)

    def retrieve(self, idempotency_key):
        """What the provider answered for a key (``InvalidRequestError`` with code "not_found" if never received)."""
        if not isinstance(idempotency_key, str) or not KEY_RE.match(idempotency_key):
            raise InvalidRequestError("idempotency_key: 1-64 letters, digits or ._:-")
        data, request_id = self._client._request("GET", f"invoices/{idempotency_key}")
        return Submission.from_json(data, request_id=request_id)


def sign_payload(secret, payload, timestamp):
    """The callback signature header for ``payload`` (bytes) at ``timestamp`` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{int(timestamp)}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={int(timestamp)},v1={mac}"


class Webhooks:
    def __init__(self, client):
        self._client = client

    def construct_event(self, payload, header, *, tolerance=300, now=None):
        """Verify a callback (HMAC-SHA256 with the API key, at most ``tolerance`` seconds old) and decode it."""
        parts = dict(item.split("=", 1) for item in (header or "").split(",") if "=" in item)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise SignatureVerificationError("Missing or malformed signature header") from None
        expected = sign_payload(self._client._api_key, bytes(payload), timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise SignatureVerificationError("Callback signature does not verify")
        if abs((now or time.time()) - timestamp) > tolerance:
            raise SignatureVerificationError("Callback signature is too old")
        try:
            data = json.loads(bytes(payload).decode("utf-8"))
        except ValueError as exc:
            raise SignatureVerificationError("Callback body is not JSON") from exc
        if not isinstance(data, dict) or data.get("type") not in ("invoice.accepted", "invoice.rejected"):
            raise InvalidRequestError("Unknown callback type")
        return WebhookEvent(type=data["type"], submission=Submission.from_json(data.get("data")))
