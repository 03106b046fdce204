"""Deployment check: production must say where the site is published, or e-mail links go nowhere."""
from django.conf import settings
from django.core.checks import Warning, register


@register("marketplace", deploy=True)
def check_public_address(app_configs, **kwargs):
    if settings.SITE_URL:
        return []
    return [Warning(
        "SITE_URL is not set: links in e-mails sent outside a request (order confirmations after the VNPay "
        "IPN, seller application notices) would point at the last address a worker served, or 127.0.0.1.",
        hint="Set SITE_URL to the site's public address, e.g. https://cho.ocop.hatinh.gov.vn.",
        id="marketplace.W001")]
