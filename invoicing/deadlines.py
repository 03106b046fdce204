"""R9 alert: a part delivered on day D must have its invoice issued (and, for ``C`` symbols, coded by the tax
authority) by the end of the next working day after D (NĐ 254/2026 Phụ lục mục 7; spec §1.3).

Why once: the alert row (one per fulfilment) is written in the same transaction that decides to alert, and
the e-mails leave after it commits; a second run, or a second worker, finds the row and stays silent.
"""
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from marketplace.public_url import absolute

from .models import DeadlineAlert, Invoice, SellerInvoicingProfile
from .workdays import next_working_day

logger = logging.getLogger("invoicing.deadlines")
INVOICING_MODES = (SellerInvoicingProfile.MODE_AUTHORISED, SellerInvoicingProfile.MODE_OWN_PROVIDER)


def deadline_for(delivered_on):
    """The end of the next working day after the delivery date (midnight, Asia/Ho_Chi_Minh)."""
    last_day = next_working_day(delivered_on)
    return timezone.make_aware(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min))


def satisfied_invoices():
    """Invoices that meet the rule: issued and, for ``C`` symbols, carrying the tax authority's code."""
    return (Invoice.objects.filter(relation__in=(Invoice.ORIGINAL, Invoice.REPLACEMENT),
                                   status__in=(Invoice.ISSUED, Invoice.REPLACED))
            .filter(Q(symbol__startswith="K") | ~Q(tax_authority_code="")))


def _overdue_candidates(now):
    from vendors.models import Fulfilment

    lookback = now - datetime.timedelta(days=getattr(settings, "INVOICING_DEADLINE_LOOKBACK_DAYS", 30))
    return (Fulfilment.objects.filter(status=Fulfilment.DELIVERED, vendor__invoicing_profile__mode__in=INVOICING_MODES)
            .filter(~Exists(DeadlineAlert.objects.filter(fulfilment=OuterRef("pk"))))
            .filter(~Exists(satisfied_invoices().filter(fulfilment=OuterRef("pk"))))
            .annotate(delivered_at=Max("events__created", filter=Q(events__to_status=Fulfilment.DELIVERED)))
            .filter(delivered_at__gte=lookback)
            .select_related("vendor", "vendor__partner", "order"))


def department_emails():
    from marketplace.roles import DEPARTMENT_GROUP

    users = get_user_model().objects.filter(groups__name=DEPARTMENT_GROUP, is_active=True).exclude(email="")
    return sorted({*users.values_list("email", flat=True), *getattr(settings, "INVOICING_DEPARTMENT_EMAILS", [])})


def seller_emails(vendor):
    users = vendor.partner.users.exclude(email="").values_list("email", flat=True)
    return sorted({e for e in [vendor.email, *users] if e})


def invoices_check_deadlines(*, now=None):
    """Alert the seller and the department about every overdue part not alerted yet; returns counts."""
    now = now or timezone.now()
    checked = alerted = 0
    department = department_emails()
    for part in _overdue_candidates(now):
        checked += 1
        delivered_on = timezone.localdate(part.delivered_at)
        deadline = deadline_for(delivered_on)
        if now < deadline:
            continue
        invoice = (Invoice.objects.filter(fulfilment=part, relation=Invoice.ORIGINAL)
                   .exclude(status=Invoice.DISCARDED).first())
        issued = invoice is not None and invoice.status != Invoice.DRAFT
        problem = "no tax authority code" if issued else "no issued invoice"
        recipients = seller_emails(part.vendor) + [e for e in department if e not in seller_emails(part.vendor)]
        try:
            with transaction.atomic():
                alert = DeadlineAlert.objects.create(fulfilment=part, vendor=part.vendor, invoice=invoice,
                                                     delivered_on=delivered_on, deadline=deadline, problem=problem,
                                                     recipients=", ".join(recipients))
                transaction.on_commit(lambda a=alert, p=part: _mail(a, p))
        except IntegrityError:
            continue  # another worker alerted first
        alerted += 1
        logger.warning("E-invoice deadline passed for part %s (delivered %s): %s", part.number, delivered_on,
                       problem)
    return {"checked": checked, "alerted": alerted}


def _mail(alert, part):
    if not alert.recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):
        problem = (_("no issued invoice") if alert.problem == "no issued invoice"
                   else _("an invoice without the tax authority's code"))
        subject = _("E-invoice overdue for order part %(number)s") % {"number": part.number}
        body = _("The order part %(number)s of %(seller)s was delivered on %(date)s. By the end of the next "
                 "working day (%(deadline)s) it still has %(problem)s (Decree 254/2026/NĐ-CP: sign and send no "
                 "later than the next working day after the invoice date). Please issue and send the invoice now."
                 "\n\nChợ OCOP Hà Tĩnh") % {
            "number": part.number, "seller": part.vendor.name, "date": alert.delivered_on.strftime("%d/%m/%Y"),
            "deadline": timezone.localtime(alert.deadline - datetime.timedelta(seconds=1)).strftime("%d/%m/%Y"),
            "problem": problem}
    # The seller and the department each get the link to where they act on it.
    recipients = alert.recipients.split(", ")
    sellers = [e for e in recipients if e in seller_emails(part.vendor)]
    department = [e for e in recipients if e not in sellers]
    for to, path in ((sellers, reverse("invoices:list")), (department, reverse("office:late-invoices"))):
        if to:
            with translation.override(settings.LANGUAGE_CODE):
                link = _("Open: %(url)s") % {"url": absolute(path)}
            send_mail(subject, f"{body}\n\n{link}", None, to)
