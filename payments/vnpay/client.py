"""The client object (Stripe's `StripeClient` shape) and its HTTP transport to the merchant API."""

import logging
import random
import time
import uuid

import requests

from .errors import APIConnectionError, APIError, InvalidRequestError
from .resources import PaymentIntents, Refunds, Webhooks

logger = logging.getLogger("payments.vnpay")

#: Retry policies of `_post`: querydr only reads, so any network failure may be retried; a refund
#: moves money, so it is resent (with the same vnp_RequestId) only when it certainly never left.
RETRY_ALWAYS = "always"
RETRY_IF_UNSENT = "if-unsent"


class VNPay:
    """One VNPay terminal: `client.payment_intents`, `client.refunds`, `client.webhooks`."""

    def __init__(self, *, tmn_code, hash_secret, payment_url, api_url, timeout=10.0, max_retries=2,
                 session=None, server_ip="127.0.0.1", backoff_factor=0.5, max_backoff=5.0, sleep=time.sleep):
        if not tmn_code or not isinstance(tmn_code, str):
            raise InvalidRequestError("tmn_code is required", param="tmn_code")
        if not hash_secret or not isinstance(hash_secret, str):
            raise InvalidRequestError("hash_secret is required", param="hash_secret")
        if not isinstance(max_retries, int) or max_retries < 0:
            raise InvalidRequestError("max_retries must be a non-negative integer", param="max_retries")
        self.tmn_code = tmn_code
        self._hash_secret = hash_secret
        self.payment_url = payment_url
        self.api_url = api_url
        self.timeout = timeout
        self.max_retries = max_retries
        #: Default vnp_IpAddr of API calls: VNPay wants the calling server's address.
        self.server_ip = server_ip
        self.backoff_factor = backoff_factor
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._session = session or requests.Session()
        self.payment_intents = PaymentIntents(self)
        self.refunds = Refunds(self)
        self.webhooks = Webhooks(self)

    def __repr__(self):
        return f"VNPay(tmn_code={self.tmn_code!r}, api_url={self.api_url!r})"

    @staticmethod
    def new_request_id():
        """vnp_RequestId: unique per request within the day, at most 32 alphanumerics."""
        return uuid.uuid4().hex

    def backoff_delay(self, retry_number):
        """Stripe's schedule: factor × 2^(n−1), capped, times a random factor in [0.5, 1]."""
        delay = min(self.max_backoff, self.backoff_factor * 2 ** (retry_number - 1))
        return delay * random.uniform(0.5, 1.0)

    def _post(self, body, *, retry):
        """POST the signed JSON body, retrying network failures per `retry`; returns the decoded JSON."""
        request_id = body["vnp_RequestId"]
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.post(self.api_url, json=body, timeout=self.timeout)
            except requests.RequestException as exc:
                retryable = retry == RETRY_ALWAYS or _never_sent(exc)
                if not retryable or attempt > self.max_retries:
                    raise _connection_error(exc, body, attempt, retryable) from exc
                delay = self.backoff_delay(attempt)
                logger.warning("VNPay %s %s failed (%s), retry %d/%d in %.2fs", body["vnp_Command"], request_id,
                               type(exc).__name__, attempt, self.max_retries, delay)
                self._sleep(delay)
                continue
            return _decode(response, body)


def _never_sent(exc):
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return type(reason).__name__ in {"NewConnectionError", "ConnectTimeoutError", "NameResolutionError"}


def _connection_error(exc, body, attempts, retryable):
    command, request_id = body["vnp_Command"], body["vnp_RequestId"]
    message = f"Could not reach VNPay for {command} {request_id} after {attempts} attempt(s): {type(exc).__name__}"
    if not retryable:
        message += " (the request may have reached VNPay; query before resending)"
    logger.error(message)
    return APIConnectionError(message, should_retry=retryable, request_id=request_id)


def _decode(response, body):
    """The JSON object of a 200 answer; anything else is an APIError (not retried: VNPay did answer)."""
    request_id = body["vnp_RequestId"]
    if response.status_code != 200:
        raise APIError(f"VNPay {body['vnp_Command']} answered HTTP {response.status_code}",
                       http_status=response.status_code, request_id=request_id)
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise APIError(f"VNPay {body['vnp_Command']} answered something that is not a JSON object",
                       http_status=response.status_code, request_id=request_id)
    return data
