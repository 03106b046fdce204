"""Browser journeys with Playwright driving Debian's Chromium (Playwright's own download is not reachable).

Every browser context a journey opens is watched: a Content-Security-Policy violation reported in the
console fails the test (the pages must satisfy the policy they send), so does a WCAG 2.1 A/AA violation
that axe-core finds on a storefront, checkout, seller or department page the journey lands on (axe runs in
each such page once it has loaded; see ``accessibility.py``), and a Playwright trace is kept under
test-results/traces/ when the test fails.
"""
import os
import re
import shutil
from pathlib import Path

import pytest

from .accessibility import AXE_ON_LOAD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by fixtures there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM) or shutil.which("chromium"):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' (make test does)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


TRACES = Path("test-results") / "traces"
BUSY_MACHINE_TIMEOUT_MS = 90_000
CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to (load|execute|apply|connect|frame)", re.I)
AXE_VIOLATION = re.compile(r"^AXE-VIOLATIONS ")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.journey_failed = report.failed


@pytest.fixture(autouse=True)
def watched_contexts(request):
    """Wrap ``browser.new_context`` for the test: collect CSP violations and record a trace."""
    if "browser" not in request.fixturenames:
        yield []
        return
    browser = request.getfixturevalue("browser")
    original = browser.new_context
    contexts, violations, accessibility = [], [], []

    def new_context(*args, **kwargs):
        context = original(*args, **kwargs)
        # A busy 2-core CI machine can take long over one page: generous limits bound a failure, order nothing.
        context.set_default_timeout(BUSY_MACHINE_TIMEOUT_MS)
        context.set_default_navigation_timeout(BUSY_MACHINE_TIMEOUT_MS)
        context.on("console", lambda message: violations.append(f"{message.page.url if message.page else ''}: "
                                                                f"{message.text}")
                   if CSP_VIOLATION.search(message.text) else None)
        context.on("console", lambda message: accessibility.append(message.text.removeprefix("AXE-VIOLATIONS "))
                   if AXE_VIOLATION.search(message.text) else None)
        context.add_init_script(script=AXE_ON_LOAD)
        context.tracing.start(screenshots=True, snapshots=True)
        contexts.append(context)
        return context

    browser.new_context = new_context
    yield violations
    browser.new_context = original
    failed = getattr(request.node, "journey_failed", False)
    for index, context in enumerate(contexts):
        try:
            if failed:
                TRACES.mkdir(parents=True, exist_ok=True)
                context.tracing.stop(path=str(TRACES / f"{request.node.name}-{index}.zip"))
            else:
                context.tracing.stop()
        except Exception:  # the test closed the context itself: nothing left to save
            pass
    assert not violations, "Content-Security-Policy violations in the browser:\n" + "\n".join(violations)
    assert not accessibility, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(sorted(set(accessibility)))
