"""A module-wide marketplace (built once, rolled back at the end) and a logged-in client per role.

Building the world takes a few seconds; the matrix opens hundreds of URLs against it, each test inside
its own savepoint (pytest-django's per-test atomic), so nothing one request changes leaks into the next.
"""
import shutil
import tempfile

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from .world import ROLES, build_world


@pytest.fixture(scope="module")
def media_dirs():
    root = tempfile.mkdtemp(prefix="ocop-sec-")
    with override_settings(MEDIA_ROOT=f"{root}/public", PRIVATE_MEDIA_ROOT=f"{root}/private"):
        yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dirs):
    with django_db_blocker.unblock():
        with transaction.atomic():
            w = build_world()
            w.sessions = {}
            for role in ROLES:
                if role == "anonymous":
                    continue
                client = Client()
                client.force_login(w.users[role])
                w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield w
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Pages cached for anonymous visitors by an earlier test must not hide what this test renders."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    backend = caches["default"]
    if isinstance(backend, LocMemCache):  # never wipe a shared Redis
        backend.clear()
    yield


def client_for(world, role, **kwargs):
    """A fresh client holding the role's session (a view that logged the previous one out cannot leak)."""
    kwargs.setdefault("raise_request_exception", False)
    client = Client(**kwargs)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client
