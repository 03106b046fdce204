"""axe-core in the browser (the copy bundled by ``axe-playwright-python``: nothing downloads at run time).

``axe_violations(page)`` runs the WCAG 2.0/2.1 A and AA rules on the page as it is now; ``assert_accessible``
fails with axe's own report. ``conftest.watched_contexts`` calls it on every storefront, checkout, seller and
department page a journey lands on.
"""
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
_AXE = Axe()

#: Pages that are not ours to fix: Wagtail's and Django's admin, Oscar's dashboard, the payment emulators.
NOT_CHECKED = ("/cms/", "/django-admin/", "/dashboard/", "/sandbox/", "/media/", "/static/")


def is_checked(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    return not parts.path.startswith(NOT_CHECKED)


def axe_violations(page):
    """The violations as ``["rule-id: target, target (help)", ...]`` (empty when the page passes)."""
    result = _AXE.run(page, options=WCAG_AA)
    found = []
    for violation in result.response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        found.append(f"{page.url} {violation['id']}: {' | '.join(targets)} ({violation['help']})")
    return found


def assert_accessible(page):
    found = axe_violations(page)
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)
