"""axe-core in the browser (the copy bundled by ``axe-playwright-python``: nothing downloads at run time).

``axe_violations(page)`` runs the WCAG 2.0/2.1 A and AA rules on the page as it is now; ``assert_accessible``
fails with the list. ``AXE_ON_LOAD`` runs the same rules in every storefront, checkout, seller and department page
a journey lands on (``conftest.watched_contexts``).
"""
import json

from axe_playwright_python.base import AXE_SCRIPT

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}

#: Pages that are not ours to fix: Wagtail's and Django's admin, Oscar's dashboard, the payment emulators.
NOT_CHECKED = ("/cms/", "/django-admin/", "/dashboard/", "/sandbox/", "/media/", "/static/")


REUSE_OR_RUN = """async options => {
    await new Promise(resolve => setTimeout(resolve, 0));  // the load handler has started its run by now
    const done = await Promise.resolve(window.__axeDone).catch(() => null);
    return done || await window.axe.run(document, options);
}"""


def axe_violations(page):
    """The violations as ``["rule-id: target, target (help)", ...]`` (empty when the page passes)."""
    page.wait_for_load_state()
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE_SCRIPT)
    # The run made when the page loaded, if there was one (axe refuses two runs at once in one page).
    response = page.evaluate(REUSE_OR_RUN, WCAG_AA)
    found = []
    for violation in response["violations"]:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        found.append(f"{page.url} {violation['id']}: {' | '.join(targets)} ({violation['help']})")
    return found


def assert_accessible(page):
    found = axe_violations(page)
    assert not found, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(found)


#: Injected in every page of a watched context: once the page has loaded, axe runs on it and reports what it finds
#: on the console (``AXE-VIOLATIONS <url> <rule>: <targets>``), which ``conftest.watched_contexts`` collects.
AXE_ON_LOAD = AXE_SCRIPT + """
;(function () {
  var skip = %(skip)s;
  if (window.top !== window || !/^https?:$/.test(location.protocol)) { return; }
  if (skip.some(function (prefix) { return location.pathname.indexOf(prefix) === 0; })) { return; }
  window.addEventListener("load", function () {
    window.__axeDone = window.axe.run(document, %(options)s).then(function (result) {
      result.violations.forEach(function (v) {
        var targets = v.nodes.slice(0, 5).map(function (n) { return n.target.join(" "); }).join(" | ");
        console.log("AXE-VIOLATIONS " + location.pathname + location.search + " " + v.id + ": " + targets + " (" + v.help + ")");
      });
      return result;
    }).catch(function () { return null; });
  });
})();
""" % {"skip": json.dumps(NOT_CHECKED), "options": json.dumps(WCAG_AA)}
