"""Content-Security-Policy for every page (django-csp), with one relaxed policy for the admin areas.

The storefront, the seller workspace and the department pages run only our own scripts: external
files from 'self' and the one inline bootstrap block in ``oscar/base.html``, which carries the
per-request nonce. Wagtail's, Oscar's and Django's admin screens ship inline scripts and styles we do
not control, so under their prefixes these may be inline — but still only from this origin.
"""
from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIXES = ("/cms/", "/django-admin/", "/dashboard/")


class MarketplaceCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(ADMIN_PREFIXES):
            # A nonce would make browsers ignore 'unsafe-inline'; the admin needs the latter.
            parts.nonce = None
            parts.replace = {**(parts.replace or {}),
                             "script-src": ["'self'", "'unsafe-inline'"],
                             "style-src": ["'self'", "'unsafe-inline'"]}
        return parts
