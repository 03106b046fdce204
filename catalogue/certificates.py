"""OCOP certificates: the department verifies them, and a daily task expires them and warns sellers.

The storefront shows a badge only for a verified certificate whose dates cover today, so an expired
certificate loses its badge at midnight whatever happens; the task records that (status "expired",
an event) and warns the seller 60 days ahead so re-evaluation can start in time.
"""
import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CertificateEvent, OcopCertificate, Product, rank_in_force

logger = logging.getLogger(__name__)

EXPIRY_WARNING_DAYS = 60


def _move(certificate, status, *, actor=None, reason=""):
    certificate = OcopCertificate.objects.select_for_update().get(pk=certificate.pk)
    if status not in OcopCertificate.TRANSITIONS.get(certificate.status, set()):
        raise ValidationError(
            _("A certificate that is “%(current)s” cannot become “%(target)s”.")
            % {"current": certificate.get_status_display(), "target": dict(OcopCertificate.STATUS_CHOICES)[status]}
        )
    previous = certificate.status
    certificate.status = status
    if status == OcopCertificate.STATUS_VERIFIED:
        certificate.verified_at, certificate.verified_by = timezone.now(), actor
    certificate.save()
    CertificateEvent.objects.create(certificate=certificate, from_status=previous, to_status=status, actor=actor,
                                    reason=reason)
    return certificate


@transaction.atomic
def certificate_verify(*, certificate, reviewer, reason=""):
    """The number, stars and dates match the department's records: the badge may show."""
    if certificate.expiry_date < timezone.localdate():
        raise ValidationError(_("This certificate has already expired; it cannot be verified."))
    return _move(certificate, OcopCertificate.STATUS_VERIFIED, actor=reviewer, reason=reason)


@transaction.atomic
def certificate_reject(*, certificate, reviewer, reason):
    """Not in the department's records, or revoked: the badge never shows."""
    if not reason:
        raise ValidationError(_("Please give the reason."))
    return _move(certificate, OcopCertificate.STATUS_REJECTED, actor=reviewer, reason=reason)


def certificates_expiring(*, today=None):
    """Verified certificates in force that expire within ``EXPIRY_WARNING_DAYS``: the sellers are warned about
    them, and the department sees them on its home and in the certificate list."""
    today = today or timezone.localdate()
    return OcopCertificate.objects.filter(status=OcopCertificate.STATUS_VERIFIED, expiry_date__gte=today,
                                          expiry_date__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS))


def certificates_expiring_for_vendor(*, vendor, today=None):
    """The seller's own certificates in the warning window, soonest first: its workspace shows them."""
    return (certificates_expiring(today=today).filter(product__stockrecords__partner_id=vendor.partner_id)
            .select_related("product").order_by("expiry_date", "pk").distinct())


def refresh_ocop_ranks(product_ids=None, *, today=None):
    """Store each product's rank in force (``Product.ocop_rank``/``ocop_rank_until``) for ``today``; all
    products when ``product_ids`` is None. Returns how many changed. One read of the verified certificates
    and a bulk update of the products whose rank moved: cheap enough for a signal, a day's catch-up or
    the whole catalogue."""
    today = today or timezone.localdate()
    certificates = OcopCertificate.objects.filter(status=OcopCertificate.STATUS_VERIFIED, expiry_date__gte=today)
    products = Product.objects.all()
    if product_ids is not None:
        product_ids = list(product_ids)
        certificates = certificates.filter(product_id__in=product_ids)
        products = products.filter(pk__in=product_ids)
    by_product = {}
    for product_id, *certificate in certificates.values_list("product_id", "stars", "issue_date", "expiry_date"):
        by_product.setdefault(product_id, []).append(certificate)
    changed = []
    for pk, rank, until in products.values_list("pk", "ocop_rank", "ocop_rank_until").iterator(chunk_size=5000):
        new = rank_in_force(by_product.get(pk, ()), today)
        if new != (rank, until):
            changed.append(Product(pk=pk, ocop_rank=new[0], ocop_rank_until=new[1]))
    Product.objects.bulk_update(changed, ["ocop_rank", "ocop_rank_until"], batch_size=1000)
    return len(changed)


_ranks_checked_on = None


def ranks_in_force(today=None):
    """Make the stored ranks right for ``today`` before a listing orders by them.

    A rank changes with time without any write (a certificate expires at midnight, a later one starts):
    the first listing of the day in each process refreshes the products whose stored rank ran out (an
    indexed date comparison, usually nothing), so the order never waits for the daily task. Later calls
    that day cost nothing."""
    global _ranks_checked_on
    today = today or timezone.localdate()
    if _ranks_checked_on != today:
        refresh_stale_ranks(today)
        _ranks_checked_on = today


def refresh_stale_ranks(today):
    """Re-rank the products whose stored rank ran out before ``today``; returns how many changed."""
    return refresh_ocop_ranks(Product.objects.filter(ocop_rank_until__lt=today).values_list("pk", flat=True),
                              today=today)


def certificate_changed(sender, instance, raw=False, **kwargs):
    """Any write of a certificate (status moves, the department's import, the admin) re-ranks its product.
    A bulk ``update()`` sends no signal: call ``refresh_ocop_ranks`` after one."""
    if not raw:
        refresh_ocop_ranks([instance.product_id])


def certificates_daily(*, today=None):
    """Expire verified certificates past their date and warn sellers 60 days before expiry (once)."""
    today = today or timezone.localdate()
    refresh_stale_ranks(today)  # the listings did it already if anyone browsed since midnight
    expired = 0
    for certificate in OcopCertificate.objects.filter(status=OcopCertificate.STATUS_VERIFIED, expiry_date__lt=today):
        with transaction.atomic():
            _move(certificate, OcopCertificate.STATUS_EXPIRED, reason="expired on "
                  f"{certificate.expiry_date:%d/%m/%Y}")
        expired += 1
    warned = 0
    due = certificates_expiring(today=today).filter(expiry_warning_sent_at__isnull=True).select_related("product")
    for certificate in due:
        if _warn_seller(certificate, today):
            warned += 1
    return {"expired": expired, "warned": warned}


def _warn_seller(certificate, today):
    vendor = certificate.product.vendor
    recipients = sorted({e for e in [getattr(vendor, "email", "")] + [
        u.email for u in (vendor.partner.users.all() if vendor else [])] if e})
    if recipients:
        send_mail(
            subject=f"Giấy chứng nhận OCOP {certificate.number} sắp hết hạn",
            message=(f"Giấy chứng nhận OCOP số {certificate.number} ({certificate.stars} sao) của sản phẩm "
                     f"“{certificate.product.title}” hết hạn ngày {certificate.expiry_date:%d/%m/%Y} "
                     f"(còn {certificate.days_left(today)} ngày). Vui lòng liên hệ Sở Công Thương để đánh giá lại; "
                     "sau ngày hết hạn, huy hiệu OCOP sẽ không còn hiển thị trên sàn.\n\nChợ OCOP Hà Tĩnh"),
            from_email=None, recipient_list=recipients,
        )
    OcopCertificate.objects.filter(pk=certificate.pk).update(expiry_warning_sent_at=timezone.now())
    return bool(recipients)
