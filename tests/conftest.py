import pytest


def pytest_collection_modifyitems(config, items):
    """Browser journeys (live server, flushed database) run after every other test."""
    items.sort(key=lambda item: "e2e" in item.keywords)


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
