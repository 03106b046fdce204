"""The site as `runserver --noreload` serves it, with one hook: the moment checkout is about to write the
order's payment row, the request stops there and says so (a marker file) — for the test to kill the
process at exactly that point (SIGKILL: no clean-up, no rollback by us).

Usage: CRASH_MARKER=/path python -m tests.marketplace.crash_site 127.0.0.1:<port>
"""
import os
import sys
import threading
from pathlib import Path


def main(address):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import pre_save

    from payments.models import Payment

    marker = Path(os.environ["CRASH_MARKER"])

    def hold_before_the_payment_row(sender, instance, **kwargs):
        if instance._state.adding:
            marker.write_text(str(instance.order_id))
            threading.Event().wait()  # until the process is killed

    pre_save.connect(hold_before_the_payment_row, sender=Payment, weak=False)
    call_command("runserver", address, use_reloader=False)


if __name__ == "__main__":
    main(sys.argv[1])
