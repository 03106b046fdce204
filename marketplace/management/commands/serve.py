"""`make run`'s server: Django's runserver (with WhiteNoise's static files), plus what a laptop needs.

* Records the address it listens on in ``SERVED_URL`` (inherited by the autoreloader's child), so the
  local VNPay sandbox and e-invoice emulator are called on this port (marketplace/served.py).
* Without Redis, runs the periodic jobs (marketplace/scheduler.py) in a thread of the autoreloader's
  parent process: once per `make run`, not restarted by code reloads, gone when the server stops.
"""
import os

from django.conf import settings
from django.core.management import get_commands, load_command_class
from django.utils import autoreload

from marketplace import served
from marketplace.scheduler import Scheduler

RunserverCommand = type(load_command_class(get_commands()["runserver"], "runserver"))


class Command(RunserverCommand):
    help = "runserver + the served address for the local sandboxes + the scheduled jobs (no Redis needed)"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run the periodic jobs.")

    def run(self, **options):
        url = served.listen_url(self.addr, self.port, ipv6=self.use_ipv6)
        os.environ[served.ENV] = url
        in_reloader_child = os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true"
        if not in_reloader_child:
            if settings.SCHEDULER_ENABLED and not options.get("no_scheduler"):
                Scheduler(served_url=url).start()
            else:
                self.stdout.write("Scheduled jobs: not run here (REDIS_URL set: run `celery -A marketplace worker -B`)"
                                  if settings.REDIS_URL else "Scheduled jobs: off")
        super().run(**options)
