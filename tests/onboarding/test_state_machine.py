"""The review state machine: every allowed move recorded, every other move refused with a message."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from onboarding import services
from onboarding.models import VendorApplication

from .conftest import fill_application, reload

pytestmark = pytest.mark.django_db

A = VendorApplication


def moves(application):
    return list(application.events.values_list("from_status", "to_status"))


def test_the_whole_path_with_a_round_of_changes(applicant, reviewer):
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    services.vendor_application_submit(application=application, actor=applicant)
    services.vendor_application_request_changes(application=application, reviewer=reviewer,
                                                reason="Ảnh giấy phép bị mờ")
    application = reload(application)
    assert application.status == A.CHANGES_REQUESTED and application.reviewer_notes == "Ảnh giấy phép bị mờ"
    services.vendor_application_save(application=application, actor=applicant, data={"street_address": "Thôn 3"})
    services.vendor_application_submit(application=application, actor=applicant)
    services.vendor_application_approve(application=application, reviewer=reviewer, reason="Hồ sơ đầy đủ")
    assert moves(application) == [("", A.DRAFT), (A.DRAFT, A.SUBMITTED), (A.SUBMITTED, A.CHANGES_REQUESTED),
                                  (A.CHANGES_REQUESTED, A.SUBMITTED), (A.SUBMITTED, A.APPROVED)]
    last = application.events.last()
    assert (last.actor, last.reason) == (reviewer, "Hồ sơ đầy đủ")


def _in_status(status, applicant, reviewer):
    application = fill_application(services.vendor_application_start(user=applicant), applicant)
    if status == A.DRAFT:
        return application
    services.vendor_application_submit(application=application, actor=applicant)
    decide = {A.CHANGES_REQUESTED: services.vendor_application_request_changes,
              A.APPROVED: services.vendor_application_approve, A.REJECTED: services.vendor_application_reject}
    if status in decide:
        decide[status](application=application, reviewer=reviewer, reason="lý do")
    return reload(application)


ACTIONS = {
    A.SUBMITTED: lambda app, user, reviewer: services.vendor_application_submit(application=app, actor=user),
    A.CHANGES_REQUESTED: lambda app, user, reviewer: services.vendor_application_request_changes(
        application=app, reviewer=reviewer, reason="x"),
    A.APPROVED: lambda app, user, reviewer: services.vendor_application_approve(application=app, reviewer=reviewer,
                                                                                reason="x"),
    A.REJECTED: lambda app, user, reviewer: services.vendor_application_reject(application=app, reviewer=reviewer,
                                                                               reason="x"),
}
REFUSED = [(start, target) for start in (A.DRAFT, A.SUBMITTED, A.CHANGES_REQUESTED, A.APPROVED, A.REJECTED)
           for target in ACTIONS if target not in A.TRANSITIONS[start]]


@pytest.mark.parametrize("start, target", REFUSED)
def test_illegal_transitions_are_refused_and_leave_no_trace(applicant, reviewer, start, target):
    application = _in_status(start, applicant, reviewer)
    before = moves(application)
    with pytest.raises(ValidationError) as error:
        ACTIONS[target](application, applicant, reviewer)
    assert error.value.code == "illegal_transition"
    assert "không thể chuyển" in " ".join(error.value.messages)
    assert reload(application).status == start
    assert moves(application) == before


def test_the_map_is_complete_and_final_states_are_final():
    assert set(A.TRANSITIONS) == {value for value, _label in A.STATUS_CHOICES}
    assert A.TRANSITIONS[A.APPROVED] == A.TRANSITIONS[A.REJECTED] == set()


def test_an_incomplete_application_cannot_be_submitted(applicant):
    application = services.vendor_application_start(user=applicant)
    with pytest.raises(ValidationError) as error:
        services.vendor_application_submit(application=application, actor=applicant)
    assert len(error.value.messages) > 3  # every missing item is listed
    assert reload(application).status == A.DRAFT


def test_an_inconsistent_saved_application_is_caught_at_submit(applicant):
    application = fill_application(services.vendor_application_start(user=applicant), applicant,
                                   tax_code="042185054321")  # a CCCD, but the type is cooperative
    with pytest.raises(ValidationError):
        services.vendor_application_submit(application=application, actor=applicant)


@pytest.mark.parametrize("decide", [services.vendor_application_approve, services.vendor_application_reject,
                                    services.vendor_application_request_changes])
def test_decisions_need_a_reviewer_and_a_reason(submitted_application, applicant, reviewer, decide):
    with pytest.raises(PermissionDenied):
        decide(application=submitted_application, reviewer=applicant, reason="tự duyệt")
    with pytest.raises(ValidationError):
        decide(application=submitted_application, reviewer=reviewer, reason="   ")
    assert reload(submitted_application).status == A.SUBMITTED


def test_a_submitted_or_decided_application_cannot_be_edited(submitted_application, applicant):
    with pytest.raises(ValidationError):
        services.vendor_application_save(application=submitted_application, actor=applicant,
                                         data={"legal_name": "Đổi tên"})
    assert reload(submitted_application).legal_name != "Đổi tên"


def test_rejection_frees_the_tax_code_and_allows_a_new_application(submitted_application, applicant, reviewer):
    services.vendor_application_reject(application=submitted_application, reviewer=reviewer, reason="Không phải OCOP")
    new = services.vendor_application_start(user=applicant)
    assert new.pk != submitted_application.pk
    fill_application(new, applicant)
    services.vendor_application_submit(application=new, actor=applicant)
    assert reload(new).status == A.SUBMITTED
