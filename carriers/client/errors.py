"""Typed errors, shaped like the VNPay and e-invoice SDKs here: callers catch one class per kind of failure."""


class CarrierError(Exception):
    """Base class of every error the clients raise on purpose."""

    def __init__(self, message, *, code=None, http_status=None, json_body=None, carrier=None):
        super().__init__(message)
        self.message = message
        self.code = code  #: the carrier's own error code or message key, when it answered one
        self.http_status = http_status
        self.json_body = json_body
        self.carrier = carrier

    def __str__(self):
        return self.message


class InvalidRequestError(CarrierError):
    """The request breaks the API's rules (caught before sending, or answered 400/404)."""


class AuthenticationError(CarrierError):
    """The token was refused (401/403)."""


class DuplicateOrderError(CarrierError):
    """The client order code was already booked (the idempotency key of a shipment)."""


class APIConnectionError(CarrierError):
    """The carrier could not be reached or did not answer in time."""

    def __init__(self, message, *, timeout=False, **kwargs):
        super().__init__(message, **kwargs)
        self.timeout = timeout


class APIError(CarrierError):
    """The carrier failed (5xx) or answered something unreadable."""


class SignatureVerificationError(CarrierError):
    """A webhook's signature (or secret) is missing or wrong."""
