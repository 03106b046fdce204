import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

# A busy 2-core CI machine makes any generation or example slow: wall-clock limits would make the property
# tests flaky, so they count examples only (each test still sets how many).
hypothesis_settings.register_profile(
    "busy-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
hypothesis_settings.load_profile("busy-machine")

#: What migrations put in the test database (Wagtail root, places, OCOP taxonomy, Vietnam), serialized once.
_REFERENCE_DATA = {}


def pytest_collection_modifyitems(config, items):
    """Browser journeys run after every other test."""
    items.sort(key=lambda item: "e2e" in item.keywords)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        _REFERENCE_DATA["default"] = (getattr(connection, "_test_serialized_contents", None)
                                      or connection.creation.serialize_db_to_string())
    yield


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    return bool({"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the reference data back after a transactional test's flush.

    Django restores serialized data only at the start of the next ``serialized_rollback`` test (and,
    while Playwright's event loop runs, on a connection object that lacks it); without this, the next
    test, or the next ``--reuse-db`` run, would find no communes, no OCOP taxonomy and no Wagtail root.
    """
    yield
    if not _is_transactional(item) or not _REFERENCE_DATA.get("default"):
        return
    from django.core.management import call_command
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        from places.models import FormerDistrict

        if not FormerDistrict.objects.exists():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(_REFERENCE_DATA["default"])
            _reset_sequences(connection)


def _reset_sequences(connection):
    """Rows came back with their ids; move PostgreSQL's sequences past them (a no-op on SQLite)."""
    from django.apps import apps
    from django.core.management.color import no_style

    # Only tables that exist: importing oscar.test.factories registers Oscar's test-only models (oscar_band…).
    tables = set(connection.introspection.table_names())
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture(autouse=True)
def _empty_local_caches():
    """Each test starts with empty in-memory caches (pages, shared values, rate-limit counters); a shared
    Redis is never wiped."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    for alias in caches:
        if isinstance(caches[alias], LocMemCache):
            caches[alias].clear()
    yield


@pytest.fixture
def home_page():
    """The Wagtail home page with news and guides, as the demo builds it (no products featured)."""
    from marketplace.demo.pages import load_pages

    home, _ = load_pages([])
    return home


@pytest.fixture
def vendor():
    from tests.factories import create_vendor

    return create_vendor(name="HTX Kẹo cu đơ Thử nghiệm", code="T-VENDOR")


@pytest.fixture(scope="session")
def collected_static_root(tmp_path_factory):
    """Static files collected once per test run, as the README's production section does (DEBUG=False:
    hashed names and compressed copies), for the tests that run production settings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = tmp_path_factory.mktemp("collected-static")
    env = {k: v for k, v in os.environ.items() if k not in ("TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"DEBUG": "False", "SECRET_KEY": "collectstatic-only-" + "s" * 40, "STATIC_ROOT": str(root),
                "DJANGO_SETTINGS_MODULE": "marketplace.settings"})
    done = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                          cwd=Path(__file__).resolve().parents[1], env=env, capture_output=True, text=True,
                          timeout=1200)
    assert done.returncode == 0, done.stderr
    return root
