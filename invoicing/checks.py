"""Deployment checks: the marketplace cannot issue invoices on sellers' behalf without knowing its
provider and itself (spec §0.4, §1.3 R11: an authorised invoice names both parties)."""
from django.conf import settings
from django.core.checks import Warning, register


@register("invoicing", deploy=True)
def check_invoicing_identity(app_configs, **kwargs):
    problems = []
    if not settings.EINVOICE_SANDBOX_ENABLED and not settings.INVOICING_PROVIDER_TAX_CODE:
        problems.append(Warning(
            "INVOICING_PROVIDER_TAX_CODE is not set: invoices issued under authorisation carry no MSTTCGP "
            "and the provider rejects them.", hint="Set it to the tax code of the marketplace's e-invoice provider.",
            id="invoicing.W001"))
    issuer = settings.INVOICING_ISSUER
    if not settings.EINVOICE_SANDBOX_ENABLED and not (issuer.get("tax_code") and issuer.get("name")):
        problems.append(Warning(
            "INVOICING_ISSUER_TAX_CODE / INVOICING_ISSUER_NAME are not set: authorised invoices must name the "
            "marketplace operator that issues them (R11).", hint="Set the operator's tax code, name and address.",
            id="invoicing.W002"))
    return problems
