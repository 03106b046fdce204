from celery import shared_task

from .certificates import certificates_daily


@shared_task(name="catalogue.check_certificates")
def check_certificates():
    return certificates_daily()
