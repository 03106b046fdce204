"""What the reports need besides the marketplace's own records.

``CertifiedOcopTotal``: the province's number of OCOP-certified products (3★ and more) for a year. It
is not in our database (most certified products are not sold here), so the department enters it from its
own records; the share of certified products listed on the platform (indicator PLAT-04) divides by it.
Every change is kept in ``CertifiedOcopTotalChange`` (who, when, from, to, source).
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertifiedOcopTotal(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    #: OCOP products of 3 stars or more in force in the province that year (e.g. 239 in 2023).
    total = models.PositiveIntegerField(_("certified OCOP products in the province"))
    source = models.CharField(_("source"), max_length=255, blank=True,
                              help_text=_("E.g. the department's decision or report the figure comes from"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("certified OCOP total")
        verbose_name_plural = _("certified OCOP totals")

    def __str__(self):
        return f"{self.year}: {self.total}"


class CertifiedOcopTotalChange(models.Model):
    """One change of a year's certified total (append-only history)."""

    year = models.PositiveSmallIntegerField()
    from_total = models.PositiveIntegerField(null=True, blank=True)
    to_total = models.PositiveIntegerField()
    source = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]


# --- pre-aggregated sales (see reports/rollup.py) ---------------------------------------------------
# One row per local day and dimension, built from the live definitions in reports/selectors.py by
# ``refresh_report_rollups`` (command and Celery task). Each table holds only figures that add up across
# days (an order has one day); distinct counts over a period (sellers, buyers) are counted on their keys.


class DailySellerSales(models.Model):
    """Sales of one seller on one day by payment method (a seller's parts = its orders that day)."""

    day = models.DateField()
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=8)
    parts = models.PositiveIntegerField(default=0)
    gmv = models.BigIntegerField(default=0)
    shipping = models.BigIntegerField(default=0)
    invoiced_parts = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day", "vendor"], name="reports_dss_day_vendor")]


class DailyOrders(models.Model):
    """Orders with at least one sale, per day and payment method (each order has one payment)."""

    day = models.DateField()
    method = models.CharField(max_length=8)
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="reports_do_day")]


class DailyDistrictOrders(models.Model):
    """Orders with a sale of a seller of the former district, per day (an order may count in two districts)."""

    day = models.DateField()
    former_district = models.ForeignKey("places.FormerDistrict", on_delete=models.CASCADE, related_name="+")
    orders = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="reports_ddo_day")]


class DailyProductSales(models.Model):
    """Sale lines per day and product, with the product group and the stars in force that day."""

    day = models.DateField()
    product = models.ForeignKey("catalogue.Product", null=True, on_delete=models.SET_NULL, related_name="+")
    vendor = models.ForeignKey("vendors.Vendor", null=True, on_delete=models.CASCADE, related_name="+")
    group_code = models.CharField(max_length=4, blank=True)
    stars = models.PositiveSmallIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    quantity = models.PositiveBigIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="reports_dps_day")]


class DailyBuyers(models.Model):
    """Orders and GMV of one buyer (user id or lower-cased guest e-mail) per day and delivery province.

    The key is only ever counted, never shown or exported.
    """

    day = models.DateField()
    buyer = models.CharField(max_length=254)
    province = models.CharField(max_length=255, blank=True)
    orders = models.PositiveIntegerField(default=0)
    gmv = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="reports_db_day"),
                   models.Index(fields=["buyer", "day"], name="reports_db_buyer_day")]


class RollupState(models.Model):
    """When the daily tables were last refreshed (one row); reports read them once they exist."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    #: Last time the refresh looked at changes (fulfilments, payments, invoices, certificates).
    checked_until = models.DateTimeField(null=True, blank=True)


class ReportExport(models.Model):
    """A report file prepared in the background (a year or any long period), kept and handed out again while
    the data it was made from has not changed (``data_version``: see ``reports.jobs.data_version``).

    The file is stored in the database (a few hundred kilobytes), so every web node and worker sees it.
    """

    PENDING, RUNNING, READY, FAILED = "pending", "running", "ready", "failed"
    STATUS_CHOICES = [
        (PENDING, _("Waiting")),  # requested; a worker (or the development scheduler) will take it
        (RUNNING, _("Being prepared")),  # a worker claimed it; ``progress`` moves from 0 to 100
        (READY, _("Ready")),  # ``content`` holds the file
        (FAILED, _("Failed")),  # ``message`` says why; asking again makes a new one
    ]

    fmt = models.CharField(max_length=16)
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()
    language = models.CharField(max_length=8)
    data_version = models.CharField(max_length=64)
    status = models.CharField(max_length=8, choices=STATUS_CHOICES, default=PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=255, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["fmt", "period_start", "period_end", "data_version"],
                                name="reports_export_key")]

    def __str__(self):
        return f"{self.fmt} {self.period_start}–{self.period_end} ({self.status})"
