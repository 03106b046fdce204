from django.core.management.base import BaseCommand

from privacy.services import retention_apply


class Command(BaseCommand):
    help = "Anonymise guests' finished orders, abandoned seller applications and old access-log lines that are due."

    def handle(self, *args, **options):
        done = retention_apply()
        self.stdout.write(f"{done['guest_orders']} guest orders anonymised, {done['applications']} applications "
                          f"anonymised, {done['access_log']} access-log lines deleted")
