"""A NUL character in a URL path is a 404 for every role, never a 500 (PostgreSQL refuses NUL in text).

Besides the paths found by hand, every URL of the matrix with a text parameter is tried with a NUL put into
that parameter, as every role.
"""
import re

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from .conftest import client_for
from .test_authorization_matrix import MATRIX, rule_for
from .world import ROLES

pytestmark = pytest.mark.django_db

FOUND_BY_HAND = ["/nguoi-ban/%00/", "/catalogue/x%00_1/", "/hoa-don/%00/1/", "/tin-tuc/%00/",
                 "/accounts/orders/%00/", "/ban-hang/don-hang/%00/"]
TEXT_PARAMETER = re.compile(r"<(?:(?:str|path):)?(\w+)>")


def _with_nul(entry, world):
    """The entry's URL with a NUL inside its first text parameter (None when it has none or no rule)."""
    rule = rule_for(entry)
    if not entry.name or rule is None or not entry.kwargs or not rule.url:
        return None
    built = rule.url(world) if callable(rule.url) else rule.url
    if not isinstance(built, dict):
        return None
    text = [name for name in TEXT_PARAMETER.findall(entry.route) if name in built]
    if not text:
        return None
    kwargs = {name: built[name] for name in entry.kwargs}
    kwargs[text[0]] = f"{kwargs[text[0]]}\x00"
    try:
        path = reverse(entry.name, kwargs=kwargs)
        resolve(path)
    except (NoReverseMatch, Resolver404):  # a pattern that cannot hold a NUL at all
        return None
    return path


def test_nul_in_paths_found_by_hand_is_not_found(world):
    wrong = [f"{role}: {path} → {response.status_code}" for path in FOUND_BY_HAND for role in ROLES
             if (response := client_for(world, role).get(path)).status_code != 404]
    assert not wrong, "\n".join(wrong)


def test_nul_in_any_text_parameter_is_not_found(world):
    paths = [path for entry in MATRIX if (path := _with_nul(entry, world))]
    assert len(paths) >= 10  # the walk reaches the seller's, the shopper's and the department's text URLs
    wrong = [f"{role}: {path} → {response.status_code}" for path in paths for role in ROLES
             if (response := client_for(world, role).get(path)).status_code != 404]
    assert not wrong, "\n".join(wrong)
