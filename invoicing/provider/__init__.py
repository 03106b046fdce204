"""E-invoice provider client with a Stripe-like interface (no Django imports; publishable on its own).

    client = EInvoiceProvider(api_url="https://provider.example/api/", api_key="...", timeout=10)
    submission = client.invoices.submit(xml=b"<?xml ...", seller_tax_code="3001234567", template="1",
                                        symbol="C26THT", number=128, idempotency_key="3001234567-1C26THT-128")
    submission.status, submission.tax_authority_code, submission.signed_xml
    client.invoices.retrieve("3001234567-1C26THT-128")
    event = client.webhooks.construct_event(body, request.headers["X-EInvoice-Signature"])

Every call sends an ``Idempotency-Key`` (one invoice, one key) so that any network failure may be retried
without ever getting a second code, and an ``X-Request-Id`` to find the call in the provider's logs.
"""
from .client import EInvoiceProvider, Submission, WebhookEvent
from .errors import (
    APIConnectionError, APIError, AuthenticationError, IdempotencyError, InvalidRequestError, ProviderError,
    SignatureVerificationError,
)

__all__ = [
    "EInvoiceProvider", "Submission", "WebhookEvent", "ProviderError", "InvalidRequestError", "AuthenticationError",
    "IdempotencyError", "APIConnectionError", "APIError", "SignatureVerificationError",
]
