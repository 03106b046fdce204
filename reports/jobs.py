"""Report files prepared in the background: requested from the dashboard, built by a worker, downloaded later.

Why: a month's files take about a second and are answered at once (``is_quick``); a year's PDF or XLSX takes
longer than anybody should wait on a page. Those become a ``ReportExport`` row that a worker builds, with its
progress stored on the row (the job page shows it) and the file kept in the row; asking again for the same
period, format and language while the data is unchanged (``data_version``) returns the same row.

Who builds it:

* production (``REDIS_URL``, Celery workers): ``export_request`` sends the task ``reports.build_export``
  once the row is committed; the beat task ``reports.run_exports`` also sweeps rows left waiting;
A PDF is always a job, whatever the period.

* development (no Redis, Celery eager): nothing is built inside the request; the scheduler of
  ``manage.py serve`` runs ``reports.run_exports`` every few seconds (``REPORTS_EXPORT_SWEEP_SECONDS``);
* tests call ``exports_run_pending()`` (what that task does) at the step they choose.
"""
import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils import translation

from .models import CertifiedOcopTotal, ReportExport

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "open-data": ("text/csv; charset=utf-8", "csv"),
    "pdf": ("application/pdf", "pdf"),
}
#: Periods up to this many days are answered at once (a month); longer ones become a background job.
QUICK_DAYS = 31
#: Formats always prepared in the background: laying out a PDF takes several seconds even for a month.
ALWAYS_IN_BACKGROUND = {"pdf"}


def is_quick(period, fmt=None):
    return fmt not in ALWAYS_IN_BACKGROUND and (period.end - period.start).days + 1 <= QUICK_DAYS


def filename(fmt, period):
    stem = "du-lieu-mo-ocop" if fmt == "open-data" else "bao-cao-ocop"
    return f"{stem}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{FORMATS[fmt][1]}"


def render(fmt, report):
    from . import exports

    return {"xlsx": exports.report_xlsx, "csv": exports.report_csv, "open-data": exports.open_data_csv,
            "pdf": exports.report_pdf}[fmt](report)


def data_version():
    """A fingerprint of everything a report reads: it changes whenever a figure could change.

    One aggregate per table (latest change time and row count), so an update, an insert or a delete moves
    it; prices and stock levels are not read by reports and do not move it.
    """
    from oscar.core.loading import get_model

    from catalogue.models import OcopCertificate, Product
    from invoicing.models import Invoice
    from payments.models import Payment, Refund
    from vendors.models import Fulfilment, Vendor

    from .selectors import db_alias

    StockRecord = get_model("partner", "StockRecord")
    alias = db_alias()
    parts = []
    for model, stamp in ((Fulfilment, "updated"), (Payment, "updated"), (Invoice, "updated"),
                         (OcopCertificate, "updated"), (Product, "date_updated"), (Vendor, "updated"),
                         (CertifiedOcopTotal, "updated")):
        row = model.objects.using(alias).aggregate(n=Count("pk"), last=Max(stamp))
        parts.append(f"{model._meta.label}:{row['n']}:{row['last']}")
    refunds = Refund.objects.using(alias).aggregate(n=Count("pk"), done=Count("pk", filter=Q(status=Refund.SUCCEEDED)))
    parts.append(f"refunds:{refunds['n']}:{refunds['done']}")
    parts.append(f"stockrecords:{StockRecord.objects.using(alias).count()}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def export_request(*, period, fmt, user):
    """The export of ``period`` in ``fmt``: an existing one for the same data (waiting, running or ready), or a
    new row sent to a worker. Returns (export, created)."""
    version, language = data_version(), translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        existing = (ReportExport.objects.select_for_update()
                    .filter(fmt=fmt, period_kind=period.kind, period_start=period.start, period_end=period.end,
                            language=language, data_version=version)
                    .exclude(status=ReportExport.FAILED).order_by("-created", "-pk").first())
        if existing:
            return existing, False
        export = ReportExport.objects.create(fmt=fmt, period_kind=period.kind, period_start=period.start,
                                             period_end=period.end, language=language, data_version=version,
                                             filename=filename(fmt, period), content_type=FORMATS[fmt][0],
                                             requested_by=user if user.is_authenticated else None)
        transaction.on_commit(lambda: _dispatch(export.pk))
    return export, True


def _dispatch(export_id):
    """Send the job to a Celery worker; without one (eager Celery) the sweeper takes it, never the request."""
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    from .tasks import build_export

    build_export.delay(export_id)


def _claim(export_id):
    """Waiting → running, for one worker only (a conditional UPDATE)."""
    return ReportExport.objects.filter(pk=export_id, status=ReportExport.PENDING).update(
        status=ReportExport.RUNNING, progress=5, started_at=timezone.now()) == 1


def _progress(export_id, percent):
    ReportExport.objects.filter(pk=export_id).update(progress=percent)


def export_build(*, export_id):
    """Build one waiting export (a no-op when another worker has it or it is done); returns its status."""
    from .periods import Period
    from .rollup import rollup_refresh
    from .selectors import LIVE, cached_report, report_source

    if not _claim(export_id):
        return ReportExport.objects.filter(pk=export_id).values_list("status", flat=True).first()
    export = ReportExport.objects.get(pk=export_id)
    try:
        with translation.override(export.language):
            period = Period(export.period_start, export.period_end, export.period_kind)
            if report_source() is not LIVE:  # the rollup catches up with the data the version was taken of
                rollup_refresh()
                _progress(export_id, 20)
            report = cached_report(period)
            _progress(export_id, 50)
            body = render(export.fmt, report)
            if isinstance(body, str):
                body = body.encode("utf-8")
        _progress(export_id, 95)
        ReportExport.objects.filter(pk=export_id).update(status=ReportExport.READY, progress=100, content=body,
                                                         finished_at=timezone.now())
    except Exception as exc:  # noqa: BLE001 — the row tells the department; the log keeps the trace
        import logging

        logging.getLogger("reports.jobs").exception("Report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(status=ReportExport.FAILED, finished_at=timezone.now(),
                                                         message=str(exc)[:255])
    return ReportExport.objects.filter(pk=export_id).values_list("status", flat=True).first()


def exports_run_pending(*, limit=10):
    """Build the oldest waiting exports (the sweeper: development scheduler, beat safety net, tests)."""
    done = []
    for export_id in ReportExport.objects.filter(status=ReportExport.PENDING).order_by("created", "pk").values_list(
            "pk", flat=True)[:limit]:
        done.append((export_id, export_build(export_id=export_id)))
    return done
