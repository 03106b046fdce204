import pytest


@pytest.fixture
def home_page(db):
    """The Wagtail home page with news and guides, as the demo builds it (no products featured)."""
    from marketplace.demo.pages import load_pages

    home, _ = load_pages([])
    return home


@pytest.fixture
def vendor(db):
    from tests.factories import create_vendor

    return create_vendor(name="HTX Kẹo cu đơ Thử nghiệm", code="T-VENDOR")
