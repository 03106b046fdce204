"""Run the periodic jobs in the foreground, for a server started without `make run` and without Redis."""
import os
import signal

from django.core.management.base import BaseCommand

from marketplace import served
from marketplace.scheduler import Scheduler, jobs


class Command(BaseCommand):
    help = "Run CELERY_BEAT_SCHEDULE's jobs on their schedule in this process (when there is no Celery beat)."

    def handle(self, *args, **options):
        for task, interval in jobs():
            self.stdout.write(f"{task}: every {interval:g} s")
        scheduler = Scheduler(served_url=os.environ.get(served.ENV, ""))
        signal.signal(signal.SIGTERM, lambda *_: scheduler.stop())
        scheduler.start()
        try:
            while scheduler.is_alive():
                scheduler.join(timeout=1)
        except KeyboardInterrupt:
            scheduler.stop()
            scheduler.join()
