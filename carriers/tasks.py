import logging

from celery import shared_task

logger = logging.getLogger("carriers")


@shared_task(name="carriers.poll_shipments")
def poll_shipments():
    """Polling fallback of the carriers' webhooks (CELERY_BEAT_SCHEDULE "carriers-poll")."""
    from .services import shipments_poll

    asked, applied = shipments_poll()
    logger.info("Polled %d shipments, %d new events", asked, applied)
    return {"asked": asked, "applied": applied}
