"""HMAC helpers shared by the clients' webhook checks (constant-time comparisons)."""
import hashlib
import hmac

from .errors import SignatureVerificationError


def hmac_hex(secret, payload):
    return hmac.new(secret.encode(), bytes(payload), hashlib.sha256).hexdigest()


def verify_hmac(secret, payload, signature):
    if not secret:
        raise SignatureVerificationError("No webhook secret is configured")
    if not signature or not hmac.compare_digest(hmac_hex(secret, payload), signature.strip().lower()):
        raise SignatureVerificationError("Webhook signature does not verify")


def verify_token(secret, token):
    if not secret:
        raise SignatureVerificationError("No webhook secret is configured")
    if not token or not hmac.compare_digest(secret.encode(), str(token).encode()):
        raise SignatureVerificationError("Webhook token does not match")
