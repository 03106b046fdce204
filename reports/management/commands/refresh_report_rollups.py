"""Recompute the reports' daily tables for the days that changed (``--full``: every day)."""
from django.core.management.base import BaseCommand, CommandError

from reports.rollup import rollup_refresh


class Command(BaseCommand):
    help = "Refresh the pre-aggregated daily sales the reports read (changed days, or all with --full)."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="rebuild every day")

    def handle(self, *args, full=False, **options):
        try:
            result = rollup_refresh(full=full)
        except Exception as exc:  # a clear message and a non-zero exit, as every command of the project
            raise CommandError(f"Refreshing the report rollups failed: {exc}") from exc
        days = result["days"]
        span = f"{days[0]:%d/%m/%Y} – {days[1]:%d/%m/%Y}" if days else "no day"
        self.stdout.write(f"Report rollups refreshed ({'full' if result['full'] else 'changed days'}): {span}, "
                          f"{result['rows']} rows.")
