"""Issued invoices go to the provider emulator over real HTTP; its answer (code + signed XML) is stored once."""
import base64
import json
import time

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from invoicing.models import ImmutableInvoiceError, Invoice, InvoiceEvent
from invoicing.provider import (
    APIConnectionError, AuthenticationError, EInvoiceProvider, IdempotencyError, SignatureVerificationError,
)
from invoicing.provider.client import sign_payload
from invoicing.sandbox.models import SandboxSubmission
from invoicing.services import invoice_issue_for_fulfilment
from invoicing.signatures import verify_signed_invoice
from invoicing.transmission import invoice_send_to_provider, invoices_send_pending
from invoicing.validation import xml_errors
from invoicing.xml import invoice_export_bytes
from tests.payments.vnpay_helpers import CLOSE, RecordingServer, free_port

from .factories import create_delivered_part, create_invoicing_vendor, products

API = "/sandbox/einvoice/api/"


@pytest.fixture
def provider(settings, live_server):
    settings.EINVOICE_PROVIDER_URL = live_server.url + API
    settings.EINVOICE_CALLBACK_URL = live_server.url + reverse("shop-invoices:provider-callback")
    settings.EINVOICE_PROVIDER_MAX_RETRIES = 0
    settings.EINVOICE_PROVIDER_TIMEOUT = 10
    return live_server


def switch(live_server, tax_code, behaviour, **extra):
    response = requests.post(f"{live_server.url}/sandbox/einvoice/control/",
                             json={"seller_tax_code": tax_code, "behaviour": behaviour, **extra}, timeout=5)
    assert response.status_code == 200


def issued(vat=True, **kwargs):
    vendor = create_invoicing_vendor(vat=vat, **kwargs)
    (product,) = products(vendor, 45000)
    part = create_delivered_part(vendor=vendor, items=[(product, 3, 45000, 0)])
    return vendor, invoice_issue_for_fulfilment(fulfilment=part)  # commits: the send runs on commit (eager)


def transmission_events(invoice):
    return list(invoice.events.filter(kind=InvoiceEvent.TRANSMISSION).values_list("from_status", "to_status"))


@pytest.mark.django_db(transaction=True)
def test_issued_invoice_is_sent_after_commit_and_the_signed_answer_is_stored(provider):
    vendor, invoice = issued()
    invoice.refresh_from_db()

    assert invoice.provider_status == Invoice.PROVIDER_ACCEPTED
    assert len(invoice.tax_authority_code) == 34 and invoice.tax_authority_code.isalnum()
    signed = bytes(invoice.signed_xml)
    assert f"<MCCQT>{invoice.tax_authority_code}</MCCQT>".encode() in signed
    checked = verify_signed_invoice(signed, seller_ids={vendor.tax_code}, invoice=invoice)
    assert (checked.number, checked.tax_authority_code) == (invoice.number, invoice.tax_authority_code)
    assert b'URI="#' + invoice.data_id.encode() + b'"' in signed and b"<SigningTime>" in signed
    assert b"X509SubjectName" in signed and b"X509Certificate" in signed and b"rsa-sha256" in signed
    assert xml_errors(signed) == []  # still the tax authority's structure, DSCKS and MCCQT in their places
    # The callback and the synchronous answer both arrived: one acceptance, one event.
    assert transmission_events(invoice) == [("pending", "accepted")]
    assert SandboxSubmission.objects.get().tax_authority_code == invoice.tax_authority_code
    # Re-exported byte for byte: the export, the seller's download and the PDF's code.
    assert invoice_export_bytes(invoice) == signed
    user = get_user_model().objects.create_user(username="s", email="s@example.com", password="x")
    vendor.partner.users.add(user)
    seller = Client()
    seller.force_login(user)
    assert seller.get(reverse("invoices:xml", kwargs={"pk": invoice.pk})).content == signed
    page = seller.get(reverse("invoices:list")).content.decode()
    assert invoice.tax_authority_code in page
    pdf = seller.get(reverse("invoices:pdf", kwargs={"pk": invoice.pk}))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # Sending again (the beat task, or a duplicate queue message) changes nothing.
    assert invoice_send_to_provider(invoice_id=invoice.pk).tax_authority_code == invoice.tax_authority_code
    assert invoices_send_pending() == {"accepted": 0, "rejected": 0, "pending": 0}
    assert transmission_events(invoice) == [("pending", "accepted")]


@pytest.mark.django_db(transaction=True)
def test_the_code_and_signed_file_are_written_once(provider):
    _, invoice = issued()
    invoice.refresh_from_db()
    invoice.tax_authority_code = "00" + "F" * 32
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["tax_authority_code"])
    invoice.refresh_from_db()
    invoice.signed_xml = b"<HDon/>"
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["signed_xml"])
    with pytest.raises(ImmutableInvoiceError):
        Invoice.objects.filter(pk=invoice.pk).update(tax_authority_code="")
    invoice.refresh_from_db()
    invoice.buyer_name = "Khác"
    with pytest.raises(ImmutableInvoiceError):
        invoice.save(update_fields=["buyer_name", "provider_status"])


@pytest.mark.django_db(transaction=True)
def test_rejection_is_recorded_with_its_reason(provider):
    switch(provider, "042185000123", "reject", times=1)
    _, invoice = issued(vat=False)
    invoice.refresh_from_db()
    assert invoice.provider_status == Invoice.PROVIDER_REJECTED
    assert invoice.provider_reason.startswith("rejected_on_request:") and not invoice.tax_authority_code
    assert invoice.signed_xml is None
    assert transmission_events(invoice) == [("pending", "rejected")]
    invoice_send_to_provider(invoice_id=invoice.pk)  # a rejected invoice is not resent automatically
    assert transmission_events(invoice) == [("pending", "rejected")]


@pytest.mark.django_db(transaction=True)
def test_timeout_then_resend_gets_the_first_code_not_a_second_one(provider, settings):
    # Ordered by a release, not by a sleep racing the client's timeout: the emulator holds its answer until the
    # test lets it go, which the test does only after the client has given up. No callback, so the resend is
    # the only way the answer can reach the marketplace.
    settings.EINVOICE_PROVIDER_TIMEOUT = 2
    settings.EINVOICE_CALLBACK_URL = ""
    switch(provider, "3001234567", "timeout", times=1, delay=120)
    try:
        _, invoice = issued()
        invoice.refresh_from_db()
        assert invoice.provider_status == Invoice.PROVIDER_PENDING and invoice.provider_attempts == 1
        assert "Timeout" in invoice.provider_reason and invoice.provider_next_attempt_at is not None
        assert invoices_send_pending() == {"accepted": 0, "rejected": 0, "pending": 0}  # not due yet
        assert not SandboxSubmission.objects.exists()  # still held: nothing was answered
    finally:
        release(provider, "3001234567")

    wait_for(SandboxSubmission.objects.exists)  # the emulator finishes the held request and keeps its answer
    first_code = SandboxSubmission.objects.get().tax_authority_code
    Invoice.objects.filter(pk=invoice.pk).update(provider_next_attempt_at=None)
    assert invoices_send_pending() == {"accepted": 1, "rejected": 0, "pending": 0}
    invoice.refresh_from_db()
    assert invoice.tax_authority_code == first_code
    assert SandboxSubmission.objects.get().answers == 2  # the resend was a replay
    assert transmission_events(invoice) == [("pending", "accepted")]


def release(live_server, tax_code):
    response = requests.post(f"{live_server.url}/sandbox/einvoice/control/",
                             json={"seller_tax_code": tax_code, "release": True}, timeout=5)
    assert response.status_code == 200 and response.json() == {"released": tax_code}


def wait_for(condition, seconds=60):
    """Poll for a condition another thread makes true; the deadline only bounds a failure, it orders nothing."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_provider_answering_twice_leaves_one_acceptance(provider, caplog):
    switch(provider, "3001234567", "twice", times=1)
    with caplog.at_level("INFO", logger="invoicing.transmission"):
        _, invoice = issued()
    invoice.refresh_from_db()
    # Two callbacks and the synchronous answer arrived; the first was recorded, the other two ignored.
    assert sum("repeated answer ignored" in r.getMessage() for r in caplog.records) == 2
    assert invoice.provider_status == Invoice.PROVIDER_ACCEPTED
    assert transmission_events(invoice) == [("pending", "accepted")]
    assert InvoiceEvent.objects.filter(invoice=invoice).count() == 2  # issued + accepted


@pytest.mark.django_db(transaction=True)
def test_unreachable_provider_leaves_the_invoice_pending(settings):
    settings.EINVOICE_PROVIDER_URL = f"http://127.0.0.1:{free_port()}/api/"
    settings.EINVOICE_PROVIDER_MAX_RETRIES = 0
    _, invoice = issued()
    invoice.refresh_from_db()
    assert invoice.status == Invoice.ISSUED and invoice.provider_status == Invoice.PROVIDER_PENDING
    assert invoice.provider_attempts == 1 and transmission_events(invoice) == []


def test_celery_tasks_are_registered_under_the_scheduled_names(settings):
    from marketplace.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"invoicing.send_pending", "invoicing.check_deadlines"} <= scheduled
    assert {"invoicing.send_pending", "invoicing.check_deadlines", "invoicing.send_invoice"} <= set(app.tasks)


# --- the emulator's API, spoken directly -------------------------------------------------------------

def body_for(invoice, **overrides):
    data = {"seller_tax_code": invoice.seller_tax_code, "template": invoice.template_number,
            "symbol": invoice.symbol, "number": invoice.number, "data_id": invoice.data_id,
            "xml": base64.b64encode(bytes(invoice.xml)).decode()}
    data.update(overrides)
    return data


@pytest.mark.django_db(transaction=True)
def test_emulator_checks_what_it_receives(live_server, settings):
    settings.EINVOICE_PROVIDER_URL = f"http://127.0.0.1:{free_port()}/api/"  # issue without sending
    _, invoice = issued()
    url = live_server.url + API + "invoices"
    auth = {"Authorization": f"Bearer {settings.EINVOICE_PROVIDER_KEY}"}

    def post(body, key="K-1", headers=auth):
        return requests.post(url, json=body, headers={**headers, "Idempotency-Key": key}, timeout=10)

    assert post(body_for(invoice), headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert requests.post(url, data=b"not json", headers={**auth, "Idempotency-Key": "K"}, timeout=5).status_code == 400
    assert post(body_for(invoice, number="12")).json()["error"]["code"] == "invalid_number"
    broken = post(body_for(invoice, xml=base64.b64encode(b"<HDon><DLHDon>").decode()), key="K-2").json()
    assert (broken["status"], broken["error"]["code"]) == ("rejected", "malformed_xml")
    other = post(body_for(invoice, number=invoice.number + 1), key="K-3").json()
    assert other["error"]["code"] == "number_mismatch"
    missing = bytes(invoice.xml).replace(b"<MSTTCGP>0100000009</MSTTCGP>", b"")
    assert post(body_for(invoice, xml=base64.b64encode(missing).decode()), key="K-4").json()["error"]["code"] \
        == "invalid_invoice"
    wrong_seller = post(body_for(invoice, seller_tax_code="0109998887"), key="K-5").json()
    assert wrong_seller["error"]["code"] == "seller_mismatch"
    good = post(body_for(invoice), key="K-6")
    assert good.status_code == 200 and good.json()["status"] == "accepted"
    assert post(body_for(invoice, number=invoice.number + 1), key="K-6").status_code == 409
    assert requests.get(url + "/nope", headers=auth, timeout=5).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_client_typed_errors_and_callback_signature(live_server, settings):
    settings.EINVOICE_PROVIDER_URL = f"http://127.0.0.1:{free_port()}/api/"
    _, invoice = issued()
    client = EInvoiceProvider(api_url=live_server.url + API, api_key=settings.EINVOICE_PROVIDER_KEY, max_retries=0)
    args = dict(xml=bytes(invoice.xml), seller_tax_code=invoice.seller_tax_code, template=invoice.template_number,
                symbol=invoice.symbol, number=invoice.number, idempotency_key=invoice.provider_key)
    first = client.invoices.submit(**args)
    again = client.invoices.submit(**args)
    assert first.accepted and again.replayed and again.tax_authority_code == first.tax_authority_code
    assert client.invoices.retrieve(invoice.provider_key).signed_xml == first.signed_xml
    with pytest.raises(IdempotencyError):
        client.invoices.submit(**{**args, "number": invoice.number + 1})
    with pytest.raises(AuthenticationError):
        EInvoiceProvider(api_url=live_server.url + API, api_key="wrong").invoices.submit(**args)
    with pytest.raises(APIConnectionError):
        EInvoiceProvider(api_url=f"http://127.0.0.1:{free_port()}/", api_key="k", max_retries=0).invoices.retrieve("x")

    callback = live_server.url + reverse("shop-invoices:provider-callback")
    payload = json.dumps({"type": "invoice.accepted", "data": first.raw}).encode()
    forged = requests.post(callback, data=payload, headers={"X-EInvoice-Signature": sign_payload("x", payload, time.time())},
                           timeout=5)
    assert forged.status_code == 400
    with pytest.raises(SignatureVerificationError):
        client.webhooks.construct_event(payload, sign_payload(settings.EINVOICE_PROVIDER_KEY, payload, time.time() - 900))
    genuine = requests.post(callback, data=payload, timeout=5, headers={
        "X-EInvoice-Signature": sign_payload(settings.EINVOICE_PROVIDER_KEY, payload, time.time())})
    assert genuine.status_code == 200
    invoice.refresh_from_db()
    assert invoice.tax_authority_code == first.tax_authority_code


def test_exact_request_and_retries_on_the_wire():
    accepted = {"object": "invoice_submission", "id": "sub_1", "idempotency_key": "3001234567-1C26THT-7",
                "status": "accepted", "tax_authority_code": "0" * 34, "signed_xml": base64.b64encode(b"<x/>").decode(),
                "error": None, "replayed": False}

    def answer(number, method, path, body):
        return CLOSE if number == 1 else (500, b"{}") if number == 2 else (200, accepted)

    with RecordingServer(answer) as server:
        client = EInvoiceProvider(api_url=server.url + "/api", api_key="KEY", max_retries=2, sleep=lambda s: None)
        result = client.invoices.submit(xml=b"<HDon/>", seller_tax_code="3001234567", template="1", symbol="C26THT",
                                        number=7, idempotency_key="3001234567-1C26THT-7", data_id="DLHDon-1",
                                        callback_url="https://cho.example.vn/hoa-don/nha-cung-cap/thong-bao/")
    assert result.accepted and result.signed_xml == b"<x/>"
    assert len(server.requests) == 3
    request = server.requests[-1]
    assert (request["method"], request["path"]) == ("POST", "/api/invoices")
    assert json.loads(request["body"]) == {
        "seller_tax_code": "3001234567", "template": "1", "symbol": "C26THT", "number": 7, "data_id": "DLHDon-1",
        "xml": base64.b64encode(b"<HDon/>").decode(),
        "callback_url": "https://cho.example.vn/hoa-don/nha-cung-cap/thong-bao/"}
    assert request["headers"]["Authorization"] == "Bearer KEY"
    assert request["headers"]["Idempotency-Key"] == "3001234567-1C26THT-7"
    ids = {r["headers"]["X-Request-Id"] for r in server.requests[1:]}
    assert len(ids) == 1 and len(ids.pop()) == 32  # one request id for the call, kept on retries


@pytest.mark.django_db(transaction=True)
def test_emulator_signs_for_a_seller_with_a_long_vietnamese_name(provider):
    """A certificate's common name holds 64 bytes: a long name with diacritics (94 bytes) is cut, not a 500."""
    from vendors.models import Vendor

    vendor = create_invoicing_vendor(vat=True)
    long_name = "Hợp tác xã Sản xuất Nông nghiệp và Dịch vụ Tổng hợp Hương Sơn Hà Tĩnh"
    Vendor.objects.filter(pk=vendor.pk).update(legal_name=long_name)
    vendor.partner.name = long_name
    vendor.partner.save()
    vendor.refresh_from_db()
    (product,) = products(vendor, 45000)
    invoice = invoice_issue_for_fulfilment(fulfilment=create_delivered_part(vendor=vendor,
                                                                            items=[(product, 1, 45000, 0)]))
    invoice.refresh_from_db()
    assert invoice.provider_status == Invoice.PROVIDER_ACCEPTED, invoice.provider_reason
    assert len(invoice.tax_authority_code) == 34
