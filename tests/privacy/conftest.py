"""People, orders and applications for the personal-data tests (reusing the onboarding fixtures)."""
import pytest
from django.contrib.auth import get_user_model

from tests.onboarding.conftest import (  # noqa: F401  (fixtures)
    CCCD, applicant, assistant, fill_application, other_applicant, private_media, reviewer, submitted_application,
)

PASSWORD = "Pw-privacy-2026"


@pytest.fixture
def shopper(db):
    return get_user_model().objects.create_user(username="lan", email="lan@example.com", password=PASSWORD,
                                                first_name="Lan", last_name="Nguyễn")


@pytest.fixture
def other_shopper(db):
    return get_user_model().objects.create_user(username="hoa", email="hoa@example.com", password=PASSWORD,
                                                first_name="Hoa", last_name="Trần")
