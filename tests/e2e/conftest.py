"""Browser journeys with Playwright driving Debian's Chromium (Playwright's own download is not reachable)."""
import os
import shutil

import pytest

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


@pytest.fixture(scope="session", autouse=True)
def _restore_reference_data(django_db_setup, django_db_blocker):
    """Put back what migrations created (Wagtail root, places, OCOP taxonomy) after the browser tests.

    Live-server tests end with a flush; Django restores the serialized data only at the start of the
    next such test, so without this a later ``--reuse-db`` run would find an empty database. The
    browser tests run last in a session (see tests/conftest.py), so one restore at the end suffices.
    (While Playwright's event loop runs, Django resolves a different connection object that lacks the
    serialized data, so the flush re-creates content types: hence the second flush before restoring.)
    """
    yield
    from django.db import connection

    from django.core.management import call_command

    contents = getattr(connection, "_test_serialized_contents", None)
    with django_db_blocker.unblock():
        from places.models import FormerDistrict

        if contents and not FormerDistrict.objects.exists():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(contents)
