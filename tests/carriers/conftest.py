import pytest
import requests
from django.contrib.auth import get_user_model

from places.models import Ward
from tests.factories import create_product

EMULATOR = "/sandbox/carriers/"


@pytest.fixture
def carriers_live(settings, live_server):
    """The carrier emulator on the live server (the clients call it over real HTTP)."""
    settings.GHN_API_URL = live_server.url + EMULATOR + "ghn/shiip/public-api/"
    settings.VNPOST_API_URL = live_server.url + EMULATOR + "vnpost/MYVNP_API/"
    settings.EINVOICE_PROVIDER_URL = live_server.url + "/sandbox/einvoice/api/"
    settings.CARRIERS_EMULATOR_WEBHOOK_DELAY = 0.01
    return live_server


def control(live_server, **body):
    response = requests.post(live_server.url + EMULATOR + "control/", json=body, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def seller():
    """A cooperative of Hương Sơn shipping with GHN and VNPost, a staff user, a honey product (group I)."""
    from carriers.services import seller_shipping_save
    from invoicing.models import SellerInvoicingProfile
    from places.models import Commune
    from tests.invoicing.factories import create_invoicing_vendor

    vendor = create_invoicing_vendor()
    user = get_user_model().objects.create_user(username="nb", email="nb@example.com", password="NguoiBan@12345")
    vendor.partner.users.add(user)
    seller_shipping_save(vendor=vendor, carriers=["ghn", "vnpost"], pickup_commune=Commune.objects.get(code="18184"),
                         pickup_address="Thôn 3")
    product = create_product(vendor=vendor, title="Mật ong rừng Hương Sơn", price=180000, stock=10, ocop_code="I.2.b")
    assert SellerInvoicingProfile.objects.filter(vendor=vendor).exists()
    return vendor, user, product


@pytest.fixture
def far_ward():
    """A ward of Hồ Chí Minh City (79): another region from Hà Tĩnh."""
    return Ward.objects.filter(province_id="79").order_by("code").first()
