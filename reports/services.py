"""Writes of the reports app: the certified OCOP total the department maintains per year."""
from django.db import transaction

from .models import CertifiedOcopTotal, CertifiedOcopTotalChange


def certified_total_set(*, year, total, source, actor):
    """Create or change a year's certified total, keeping a history row of every change."""
    with transaction.atomic():
        current = CertifiedOcopTotal.objects.select_for_update().filter(year=year).first()
        previous = current.total if current else None
        if current is None:
            current = CertifiedOcopTotal(year=year)
        current.total, current.source, current.updated_by = total, source, actor
        current.save()
        CertifiedOcopTotalChange.objects.create(year=year, from_total=previous, to_total=total, source=source,
                                                actor=actor)
    return current
