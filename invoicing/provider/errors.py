"""Typed errors, shaped like stripe-python's: callers catch one class per kind of failure."""


class ProviderError(Exception):
    """Base class of every error the client raises on purpose."""

    def __init__(self, message, *, code=None, http_status=None, json_body=None, request_id=None):
        super().__init__(message)
        self.message = message
        #: The provider's error code ("invalid_api_key", "idempotency_conflict", ...) when it answered one.
        self.code = code
        self.http_status = http_status
        self.json_body = json_body
        #: The X-Request-Id of the call, to find it in the provider's logs.
        self.request_id = request_id

    def __str__(self):
        return self.message


class InvalidRequestError(ProviderError):
    """The request breaks the API's rules (caught before sending, or answered 400/404)."""


class AuthenticationError(ProviderError):
    """The API key was refused (401/403)."""


class IdempotencyError(ProviderError):
    """The idempotency key was already used with a different invoice (409): never resend blindly."""


class APIConnectionError(ProviderError):
    """The provider could not be reached or did not answer in time; safe to retry with the same key."""

    def __init__(self, message, *, timeout=False, **kwargs):
        super().__init__(message, **kwargs)
        self.timeout = timeout


class APIError(ProviderError):
    """The provider failed (5xx) or answered something unreadable; retry later with the same key."""


class SignatureVerificationError(ProviderError):
    """A callback's signature header is missing, stale or wrong."""
