"""Invoicing settings with their defaults (the settings module may override each one)."""
from django.conf import settings


def xml_version():
    """PBan: a setting so that a new format version needs no code release (spec §3.1)."""
    return getattr(settings, "INVOICING_XML_VERSION", "2.1.0")


def issuer():
    """The marketplace operator when it issues under authorisation (ủy nhiệm): tax code, name, address."""
    data = getattr(settings, "INVOICING_ISSUER", None) or {}
    return {"tax_code": data.get("tax_code", ""), "name": data.get("name", ""), "address": data.get("address", "")}


def default_provider_tax_code():
    """MSTTCGP when a seller's profile names no provider (the marketplace's own solution)."""
    return getattr(settings, "INVOICING_PROVIDER_TAX_CODE", "")


def seller_province():
    return getattr(settings, "INVOICING_SELLER_PROVINCE", "tỉnh Hà Tĩnh")
