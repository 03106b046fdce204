"""Typed errors, shaped like stripe-python's (spec §9): callers catch one class per failure kind."""


class VNPayError(Exception):
    """Base class: every error the SDK raises on purpose is one of these."""

    def __init__(self, message, *, code=None, http_status=None, json_body=None, request_id=None):
        super().__init__(message)
        self.message = message
        #: VNPay's response code ("91", "97", ...) when the error comes from an answer.
        self.code = code
        self.http_status = http_status
        self.json_body = json_body
        #: The vnp_RequestId of the API call, so a caller can look the request up or resend it.
        self.request_id = request_id

    def __str__(self):
        return self.message


class SignatureVerificationError(VNPayError):
    """A checksum is missing or wrong: the data was not signed with our secret, or was altered."""


class InvalidRequestError(VNPayError):
    """The caller's input breaks VNPay's rules; raised before anything is sent."""

    def __init__(self, message, *, param=None, **kwargs):
        super().__init__(message, **kwargs)
        #: The offending argument or vnp_* field name.
        self.param = param


class APIConnectionError(VNPayError):
    """The merchant API could not be reached, or did not answer in time."""

    def __init__(self, message, *, should_retry=False, **kwargs):
        super().__init__(message, **kwargs)
        #: False when the request may have reached VNPay (a refund must then not be sent again blindly).
        self.should_retry = should_retry


class APIError(VNPayError):
    """VNPay answered, but not with success: `code` holds its vnp_ResponseCode (or None if unreadable)."""
