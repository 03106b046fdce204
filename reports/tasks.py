"""Celery task keeping the reports' daily tables current (schedule it every few minutes with beat)."""
from celery import shared_task


@shared_task(name="reports.refresh_rollups")
def refresh_rollups(full=False):
    from .rollup import rollup_refresh, warm_reports

    result = rollup_refresh(full=full)
    warm_reports()
    return {"rows": result["rows"], "full": result["full"]}
