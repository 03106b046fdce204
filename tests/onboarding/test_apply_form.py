"""The application form through HTTP: every bad input gets a message next to its field, and nothing
already saved is lost."""
import pytest
from django.urls import reverse

from onboarding.models import VendorApplication
from tests.factories import create_vendor

from .conftest import CCCD, HOUSEHOLD_CCCD, MST, fill_application, reload

pytestmark = pytest.mark.django_db


def step(application, slug):
    return reverse("onboarding:step", kwargs={"pk": application.pk, "step": slug})


@pytest.fixture
def draft(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("onboarding:apply"), {"privacy_consent": "on"})
    application = VendorApplication.objects.get(applicant=applicant)
    assert response.status_code == 302 and response["Location"] == step(application, "loai-hinh")
    return application


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_apply_requires_login_and_comes_back(client):
    response = client.get(reverse("onboarding:apply"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/ban-hang/dang-ky/"


def test_open_draft_is_resumed_not_duplicated(client, draft, applicant):
    response = client.get(reverse("onboarding:apply"))
    assert response["Location"] == step(draft, "loai-hinh")
    client.post(reverse("onboarding:apply"))
    assert VendorApplication.objects.filter(applicant=applicant).count() == 1


def test_identity_step_saves_and_moves_on(client, draft):
    response = client.post(step(draft, "loai-hinh"), {"seller_type": "cooperative", "legal_name": " HTX  Kẹo ",
                                                      "tax_code": "0100 233 488"})
    assert response.status_code == 302 and response["Location"] == step(draft, "nguoi-dai-dien")
    draft = reload(draft)
    assert (draft.legal_name, draft.tax_code, draft.status) == ("HTX Kẹo", MST, VendorApplication.DRAFT)


@pytest.mark.parametrize("tax_code, seller_type, expected", [
    ("0100233487", "cooperative", "Mã số thuế không hợp lệ"),  # wrong check digit
    ("12345", "enterprise", "Mã số thuế không hợp lệ"),
    (HOUSEHOLD_CCCD, "cooperative", "Chỉ hộ kinh doanh"),  # an organisation cannot use a CCCD
    ("042985054321", "household_business", "năm sinh"),  # household CCCD with a birth year in the future
])
def test_bad_tax_codes_are_refused_next_to_the_field(client, draft, tax_code, seller_type, expected):
    response = client.post(step(draft, "loai-hinh"), {"seller_type": seller_type, "legal_name": "HTX A",
                                                      "tax_code": tax_code})
    assert response.status_code == 200
    errors = [str(error) for error in field_errors(response, "tax_code")]
    assert any(expected in error for error in errors), errors
    assert "field-error" in response.content.decode()
    assert reload(draft).tax_code == ""


def test_household_may_use_the_owners_citizen_id(client, draft):
    response = client.post(step(draft, "loai-hinh"), {
        "seller_type": "household_business", "legal_name": "Hộ kinh doanh Lê Thị B", "tax_code": HOUSEHOLD_CCCD})
    assert response.status_code == 302
    assert reload(draft).tax_code == HOUSEHOLD_CCCD


def test_tax_code_of_an_existing_seller_is_a_duplicate(client, draft):
    create_vendor(tax_code=MST)
    response = client.post(step(draft, "loai-hinh"), {"seller_type": "cooperative", "legal_name": "HTX A",
                                                      "tax_code": MST})
    assert any("đã thuộc về" in str(e) for e in field_errors(response, "tax_code"))


def test_tax_code_of_another_open_application_is_a_duplicate(client, draft, other_applicant):
    from onboarding import services

    other = fill_application(services.vendor_application_start(user=other_applicant), other_applicant)
    services.vendor_application_submit(application=other, actor=other_applicant)
    response = client.post(step(draft, "loai-hinh"), {"seller_type": "cooperative", "legal_name": "HTX A",
                                                      "tax_code": "0100233488"})
    assert any("đã thuộc về" in str(e) for e in field_errors(response, "tax_code"))


@pytest.mark.parametrize("cccd, expected", [
    ("04019001234", "đúng 12 chữ số"),  # 11 digits
    ("04019001234a", "đúng 12 chữ số"),
    ("000190012345", "mã tỉnh"),  # 000 is no province
    ("003190012345", "mã tỉnh"),  # 003 was never issued
    ("040790012345", "năm sinh"),  # century digit 7: born in the 23rd century
])
def test_bad_citizen_ids_are_refused(client, draft, cccd, expected):
    response = client.post(step(draft, "nguoi-dai-dien"), {
        "representative_name": "Nguyễn Văn An", "representative_id_number": cccd, "phone": "0912345678",
        "email": "a@example.com"})
    errors = [str(e) for e in field_errors(response, "representative_id_number")]
    assert any(expected in e for e in errors), errors


def test_citizen_id_from_another_province_is_accepted(client, draft):
    response = client.post(step(draft, "nguoi-dai-dien"), {
        "representative_name": "Nguyễn Văn An", "representative_id_number": "079 190 012 345",
        "phone": "+84 912 345 678", "email": "a@example.com"})
    assert response.status_code == 302
    draft = reload(draft)
    assert (draft.representative_id_number, draft.phone) == ("079190012345", "0912345678")


@pytest.mark.parametrize("phone", ["0212345678", "091234567", "+1 912 345 678", "09123456789", "abc"])
def test_bad_phones_are_refused_and_the_rest_of_the_step_is_kept(client, draft, phone):
    response = client.post(step(draft, "nguoi-dai-dien"), {
        "representative_name": "Nguyễn Văn An", "representative_id_number": CCCD, "phone": phone,
        "email": "a@example.com"})
    assert any("số di động" in str(e) for e in field_errors(response, "phone"))
    draft = reload(draft)
    assert (draft.representative_name, draft.representative_id_number, draft.email, draft.phone) == (
        "Nguyễn Văn An", CCCD, "a@example.com", "")


def test_household_representative_must_be_the_owner_of_the_citizen_id_tax_code(client, draft):
    client.post(step(draft, "loai-hinh"), {"seller_type": "household_business", "legal_name": "Hộ B",
                                           "tax_code": HOUSEHOLD_CCCD})
    response = client.post(step(draft, "nguoi-dai-dien"), {
        "representative_name": "Lê Thị B", "representative_id_number": CCCD, "phone": "0912345678",
        "email": "b@example.com"})
    assert field_errors(response, "representative_id_number")


@pytest.mark.parametrize("code, expected", [
    ("00004", "không thuộc tỉnh Hà Tĩnh"),  # Ba Đình ward, Hà Nội
    ("99999", "không thuộc tỉnh Hà Tĩnh"),
    ("", "bắt buộc"),
])
def test_communes_outside_ha_tinh_or_unknown_are_refused(client, draft, code, expected):
    response = client.post(step(draft, "dia-chi"), {"commune": code, "street_address": "Thôn 1"})
    errors = [str(e) for e in field_errors(response, "commune")]
    assert any(expected in e for e in errors), errors
    assert reload(draft).street_address == "Thôn 1"  # the valid field of the step is kept


def test_a_commune_abolished_in_2025_points_to_its_successor(client, draft):
    from places.models import Commune, OldCommune

    current = Commune.objects.values_list("code", flat=True)
    old = OldCommune.objects.filter(successor__isnull=False).exclude(code__in=current).first()
    response = client.post(step(draft, "dia-chi"), {"commune": old.code, "street_address": "Thôn 1"})
    assert any(old.successor.name in str(e) for e in field_errors(response, "commune"))


def test_address_step_stores_a_ha_tinh_commune(client, draft):
    response = client.post(step(draft, "dia-chi"), {"commune": "18073", "street_address": "Thôn 2"})
    assert response.status_code == 302
    assert reload(draft).commune.code == "18073"


def test_bank_step_checks_the_account_number(client, draft):
    response = client.post(step(draft, "ngan-hang"), {"bank_code": "VBA", "bank_account_number": "12-ab",
                                                      "bank_account_holder": "Nguyễn Văn An"})
    assert field_errors(response, "bank_account_number")
    assert reload(draft).bank_account_holder == "NGUYỄN VĂN AN"
    response = client.post(step(draft, "ngan-hang"), {"bank_code": "XXX", "bank_account_number": "3700205123456",
                                                      "bank_account_holder": "A"})
    assert field_errors(response, "bank_code")


def test_saved_personal_numbers_are_not_written_back_into_the_form(client, draft):
    client.post(step(draft, "nguoi-dai-dien"), {"representative_name": "An", "representative_id_number": CCCD,
                                                "phone": "0912345678", "email": "a@example.com"})
    client.post(step(draft, "ngan-hang"), {"bank_code": "VBA", "bank_account_number": "3700205123456",
                                           "bank_account_holder": "AN"})
    for slug, secret in (("nguoi-dai-dien", CCCD), ("ngan-hang", "3700205123456")):
        page = client.get(step(draft, slug)).content.decode()
        assert secret not in page and "•••" in page
    # left empty, the saved value is kept
    response = client.post(step(draft, "ngan-hang"), {"bank_code": "BIDV", "bank_account_number": "",
                                                      "bank_account_holder": "AN"})
    assert response.status_code == 302
    assert (reload(draft).bank_code, reload(draft).bank_account_number) == ("BIDV", "3700205123456")


def test_review_step_lists_what_is_missing_and_refuses_to_submit(client, draft):
    response = client.post(step(draft, "xac-nhan"))
    assert response.status_code == 200
    assert response.context["problems"]
    assert reload(draft).status == VendorApplication.DRAFT


def test_whole_form_through_http_then_the_status_page(client, draft, applicant):
    from .conftest import pdf_bytes, upload

    posts = [
        ("loai-hinh", {"seller_type": "cooperative", "legal_name": "HTX Kẹo cu đơ Bà Sáu", "tax_code": MST}),
        ("nguoi-dai-dien", {"representative_name": "Nguyễn Văn An", "representative_id_number": CCCD,
                            "phone": "0912345678", "email": "htx@example.com"}),
        ("dia-chi", {"commune": "18073", "street_address": "Thôn 1"}),
        ("ngan-hang", {"bank_code": "VBA", "bank_account_number": "3700205123456", "bank_account_holder": "HTX"}),
    ]
    for slug, data in posts:
        assert client.post(step(draft, slug), data).status_code == 302, slug
    response = client.post(step(draft, "tai-lieu"), {"kind": "business_registration",
                                                     "file": upload("dkkd.pdf", pdf_bytes())})
    assert response.status_code == 302
    from catalogue.models import OcopClassification

    classification = OcopClassification.objects.get(code="I.3.b")
    response = client.post(step(draft, "san-pham"), {"name": "Kẹo cu đơ", "classification": classification.pk,
                                                     "stars": "3", "certificate_number": "12/QĐ-UBND",
                                                     "certificate_issue_date": "2024-05-01",
                                                     "certificate_expiry_date": "2027-05-01"})
    assert response.status_code == 302
    response = client.post(step(draft, "xac-nhan"))
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:status", args=[draft.pk])
    draft = reload(draft)
    assert draft.status == VendorApplication.SUBMITTED and draft.submitted_at
    # sent: the form is closed
    assert client.get(step(draft, "loai-hinh"))["Location"] == reverse("onboarding:status", args=[draft.pk])
    page = client.get(reverse("onboarding:status", args=[draft.pk])).content.decode()
    assert "HTX Kẹo cu đơ Bà Sáu" in page
    assert CCCD not in page and "3700205123456" not in page


def test_product_dates_and_stars_are_checked(client, draft):
    from catalogue.models import OcopClassification

    classification = OcopClassification.objects.get(code="I.3.b")
    response = client.post(step(draft, "san-pham"), {"name": "Kẹo", "classification": classification.pk,
                                                     "stars": "2", "certificate_issue_date": "2024-05-01",
                                                     "certificate_expiry_date": "2023-05-01"})
    form = response.context["product_form"]
    assert "stars" in form.errors and "certificate_expiry_date" in form.errors
    assert not draft.products.exists()


@pytest.mark.parametrize("slug", ["loai-hinh", "nguoi-dai-dien", "dia-chi", "ngan-hang", "tai-lieu", "san-pham",
                                  "xac-nhan"])
def test_every_step_renders_in_the_site_layout(client, draft, slug):
    response = client.get(step(draft, slug))
    assert response.status_code == 200
    assert "oscar/layout.html" in [t.name for t in response.templates]
    assert client.get(step(draft, "khong-co")).status_code == 404


def test_communes_are_grouped_by_former_district(client, draft):
    from places.models import Commune

    page = client.get(step(draft, "dia-chi")).content.decode()
    assert page.count("<optgroup") == Commune.objects.values("former_district").distinct().count()
    assert 'value="18073"' in page
