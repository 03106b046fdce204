"""Recording consents and accesses, answering data subjects, anonymising, and the retention job."""
import hashlib
import hmac
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import pgettext_lazy
from oscar.core.loading import get_model

from marketplace.clientip import request_ip

from .models import AccessLogEntry, ConsentRecord, DataSubjectRequest, PrivacyNotice

logger = logging.getLogger(__name__)
User = get_user_model()
Order = get_model("order", "Order")
UserAddress = get_model("address", "UserAddress")

#: What an anonymised person's text fields become: readable as "removed", never a real person.
ANONYMISED = "—"


def consent_record(*, purpose, user=None, order=None, application=None, recorded_by=None):
    """A consent to the notice in force now (the one the form showed); returns the record."""
    notice = PrivacyNotice.current()
    return ConsentRecord.objects.create(
        purpose=purpose, notice=notice, notice_version=notice.version if notice else "", user=user, order=order,
        application=application, recorded_by=recorded_by)


def access_log(*, request=None, actor=None, action, record, fields="", label=""):
    """One line of the audit trail: who (the request's user), when, what they did to which record."""
    actor = actor if actor is not None else getattr(request, "user", None)
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AccessLogEntry.objects.create(
        actor=actor, actor_label=(actor.email or actor.get_username()) if actor else "",
        action=action, record_type=record._meta.label_lower, record_id=str(record.pk),
        record_label=(label or str(record))[:128], fields=fields[:255],
        ip_address=request_ip(request) if request is not None else None)


def request_create(*, user, kind, details=""):
    return DataSubjectRequest.objects.create(user=user, kind=kind, details=details)


@transaction.atomic
def request_close(*, data_request, actor, status, answer=""):
    """The department's answer. A deletion that is done anonymises the person (see ``user_anonymise``);
    a withdrawal of consent marks the person's consents withdrawn."""
    if data_request.status != DataSubjectRequest.OPEN:
        return data_request
    if status == DataSubjectRequest.DONE and data_request.user is not None:
        if data_request.kind == DataSubjectRequest.DELETION:
            user_anonymise(user=data_request.user, actor=actor)
        elif data_request.kind == DataSubjectRequest.WITHDRAW_CONSENT:
            data_request.user.privacy_consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    data_request.status, data_request.answer = status, answer
    data_request.handled_by, data_request.handled_at = actor, timezone.now()
    data_request.save()
    return data_request


PSEUDONYM_DOMAIN = "@an-danh.invalid"


def _pseudonym(email):
    """A guest's e-mail replaced by a keyed digest of it: the reports still count one buyer per guest
    (new and returning buyers stay the same), while the address itself is gone."""
    if not email or email.endswith(PSEUDONYM_DOMAIN):
        return email
    digest = hmac.new(settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"khach-{digest[:20]}{PSEUDONYM_DOMAIN}"


def _anonymise_order(order):
    """The order keeps its number, lines and amounts (accounting, invoices, the ledger, reports) and the
    province and ward of delivery (statistics); it loses who received it and where exactly."""
    address = order.shipping_address
    if address is not None:
        for field in ("first_name", "line2", "line3", "notes"):
            setattr(address, field, "")
        address.last_name = address.line1 = ANONYMISED
        address.phone_number = ""
        address.save()
    order.guest_email = _pseudonym(order.guest_email)
    order.save(update_fields=["guest_email"])


@transaction.atomic
def user_anonymise(*, user, actor=None):
    """Delete a person from the shop while what the law keeps stays: orders, invoices and the ledger keep
    every amount; the account can no longer sign in and holds no name, e-mail, phone or address."""
    from accounts.models import AccountPhone

    for order in Order.objects.filter(user=user).select_related("shipping_address"):
        _anonymise_order(order)
    UserAddress.objects.filter(user=user).delete()
    AccountPhone.objects.filter(user=user).delete()
    user.first_name = user.last_name = ""
    user.email = ""
    user.username = f"an-danh-{user.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    AccessLogEntry.objects.create(actor=actor, actor_label=(actor.email if actor else "retention"),
                                  action=AccessLogEntry.ANONYMISE, record_type=user._meta.label_lower,
                                  record_id=str(user.pk), record_label=user.username)
    return user


# --- Export of a person's own data (right of access / to be provided with one's data) ------------------

def _date(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def subject_data(user):
    """Everything the shop holds about ``user``, as plain data (JSON-ready); nobody else's."""
    from accounts.models import AccountPhone
    from onboarding.models import VendorApplication

    phone = AccountPhone.objects.filter(user=user).first()
    data = {
        "account": {"email": user.email, "first_name": user.first_name, "last_name": user.last_name,
                    "mobile": phone.number if phone else "", "joined": _date(user.date_joined),
                    "last_login": _date(user.last_login)},
        "addresses": [
            {"name": address.name, "phone": str(address.phone_number or ""), "street": address.line1,
             "ward": address.line4, "province": address.state}
            for address in UserAddress.objects.filter(user=user).order_by("pk")],
        "orders": [],
        "seller_applications": [],
        "consents": [
            {"purpose": consent.get_purpose_display(), "notice_version": consent.notice_version,
             "given_at": _date(consent.given_at), "withdrawn_at": _date(consent.withdrawn_at)}
            for consent in ConsentRecord.objects.filter(user=user).order_by("pk")],
        "requests": [
            {"reference": item.reference, "request": item.get_kind_display(), "status": item.get_status_display(),
             "received": _date(item.created), "answer": item.answer}
            for item in DataSubjectRequest.objects.filter(user=user).order_by("pk")],
    }
    orders = Order.objects.filter(user=user).select_related("shipping_address").prefetch_related("lines")
    for order in orders.order_by("pk"):
        address = order.shipping_address
        data["orders"].append({
            "number": order.number, "placed": _date(order.date_placed), "status": order.status,
            "total": int(order.total_incl_tax),
            "delivery": {"name": address.name, "phone": str(address.phone_number or ""), "street": address.line1,
                         "ward": address.line4, "province": address.state} if address else None,
            "lines": [{"product": line.title, "quantity": line.quantity, "price": int(line.line_price_incl_tax)}
                      for line in order.lines.all()],
        })
    for application in VendorApplication.objects.filter(applicant=user).order_by("pk"):
        data["seller_applications"].append({
            "reference": application.reference, "status": application.get_status_display(),
            "legal_name": application.legal_name, "tax_code": application.tax_code,
            "representative": application.representative_name,
            "citizen_id": application.representative_id_number, "phone": application.phone,
            "email": application.email, "street": application.street_address,
            "bank": application.bank_name, "bank_account_number": application.bank_account_number,
            "bank_account_holder": application.bank_account_holder,
            "documents": [document.original_name for document in application.documents.all()],
        })
    return data


#: Section titles of the exports (a context of their own: "Orders" or "Account" elsewhere read otherwise).
SECTION_TITLES = {key: pgettext_lazy("personal data", title) for key, title in (
    ("account", "Account"), ("addresses", "Address book"), ("orders", "Orders"),
    ("seller_applications", "Seller applications"), ("consents", "Consents"), ("requests", "Requests about my data"))}


def subject_data_rows(data):
    """The same data as (section, item, field, value) rows for a spreadsheet."""
    def walk(section, item, prefix, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                yield from walk(section, item, f"{prefix}.{key}" if prefix else key, inner)
        elif isinstance(value, list):
            for index, inner in enumerate(value, 1):
                yield from walk(section, item, f"{prefix}[{index}]", inner)
        else:
            yield [section, item, prefix, "" if value is None else str(value)]

    for section, content in data.items():
        title = str(SECTION_TITLES.get(section, section))
        if isinstance(content, list):
            for index, item in enumerate(content, 1):
                yield from walk(title, index, "", item)
        else:
            yield from walk(title, "", "", content)


def subject_data_json(data):
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- Retention (scheduled) ---------------------------------------------------------------------------

def retention_apply(*, now=None):
    """Anonymise what has been kept long enough; returns what was done, per kind.

    - guests' contact details on orders whose every part is delivered or cancelled, placed more than
      PRIVACY_GUEST_ORDER_RETENTION_DAYS ago (the order, its amounts and invoices stay);
    - seller applications left in draft or "changes requested" and untouched for
      PRIVACY_ABANDONED_APPLICATION_DAYS: their personal fields and documents are removed;
    - access log lines older than PRIVACY_ACCESS_LOG_RETENTION_DAYS.
    """
    from onboarding.models import VendorApplication
    from vendors.models import Fulfilment

    now = now or timezone.now()
    done = {"guest_orders": 0, "applications": 0, "access_log": 0}

    order_cutoff = now - timedelta(days=settings.PRIVACY_GUEST_ORDER_RETENTION_DAYS)
    open_parts = Fulfilment.objects.exclude(status__in=(Fulfilment.DELIVERED, Fulfilment.CANCELLED))
    guests = (Order.objects.filter(user__isnull=True, date_placed__lt=order_cutoff)
              .exclude(shipping_address__last_name=ANONYMISED)
              .exclude(pk__in=open_parts.values("order_id")).select_related("shipping_address"))
    for order in guests:
        with transaction.atomic():
            _anonymise_order(order)
        done["guest_orders"] += 1

    application_cutoff = now - timedelta(days=settings.PRIVACY_ABANDONED_APPLICATION_DAYS)
    abandoned = VendorApplication.objects.filter(status__in=VendorApplication.EDITABLE,
                                                 updated__lt=application_cutoff).exclude(legal_name=ANONYMISED)
    for application in abandoned:
        with transaction.atomic():
            for document in application.documents.all():
                document.file.delete(save=False)
                document.delete()
            VendorApplication.objects.filter(pk=application.pk).update(
                legal_name=ANONYMISED, tax_code="", tax_code_digest="", representative_name="",
                representative_id_number="", phone="", email="", street_address="", bank_code="",
                bank_account_number="", bank_account_holder="")
        done["applications"] += 1

    log_cutoff = now - timedelta(days=settings.PRIVACY_ACCESS_LOG_RETENTION_DAYS)
    done["access_log"], _ = AccessLogEntry.objects.filter(at__lt=log_cutoff).delete()
    logger.info("Retention: %s", done)
    return done
