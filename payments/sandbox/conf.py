"""Settings the sandbox reads, with defaults that follow VNPay (10 IPN calls, 5 minutes apart)."""

from urllib.parse import urlsplit

from django.conf import settings

IPN_PATH = "/payments/vnpay/ipn/"


def terminal():
    """The only terminal the sandbox knows: (vnp_TmnCode, hash secret)."""
    return settings.VNPAY_TMN_CODE, settings.VNPAY_HASH_SECRET


def ipn_url(return_url):
    """VNPay registers the IPN URL per terminal; locally it is a setting or the return URL's host + IPN_PATH."""
    configured = getattr(settings, "VNPAY_SANDBOX_IPN_URL", None)
    if configured:
        return configured
    parts = urlsplit(return_url)
    return f"{parts.scheme}://{parts.netloc}{IPN_PATH}"


def ipn_attempts():
    """Total IPN calls per transaction, the first included (VNPay: at most 10)."""
    return max(1, int(getattr(settings, "VNPAY_SANDBOX_IPN_RETRIES", 10)))


def ipn_retry_delay():
    """Seconds between IPN calls (VNPay: 5 minutes)."""
    return float(getattr(settings, "VNPAY_SANDBOX_IPN_RETRY_DELAY", 300))


def ipn_timeout():
    """Seconds to wait for the merchant's answer; a timeout counts as a failed call."""
    return float(getattr(settings, "VNPAY_SANDBOX_IPN_TIMEOUT", 10))


def ipn_background():
    """Whether retries run in a thread of this process (else `manage.py vnpay_sandbox_deliver_ipn`)."""
    return bool(getattr(settings, "VNPAY_SANDBOX_IPN_BACKGROUND", True))
