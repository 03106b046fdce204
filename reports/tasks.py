"""Celery task keeping the reports' daily tables current (schedule it every few minutes with beat)."""
from celery import shared_task


@shared_task(name="reports.refresh_rollups")
def refresh_rollups(full=False):
    from .rollup import rollup_refresh, warm_reports

    result = rollup_refresh(full=full)
    warm_reports()
    return {"rows": result["rows"], "full": result["full"]}


@shared_task(name="reports.build_export")
def build_export(export_id):
    from .jobs import export_build

    return export_build(export_id=export_id)


@shared_task(name="reports.run_exports")
def run_exports():
    """Builds report files left waiting (the development scheduler's way of running them; a safety net in beat)."""
    from .jobs import exports_run_pending

    return {"built": len(exports_run_pending())}
