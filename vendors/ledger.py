"""Sellers' money: postings to the append-only ledger, statements and payouts (integer đồng).

A delivered part earns the seller its goods and shipping, less the commission on the goods at the
seller's rate at that moment. For cash on delivery the seller already holds the cash, so the same
part also posts COD_CASH back: what remains is the commission the seller owes. Refunds after delivery
take the money back and reverse the commission on it. Payouts reduce what the marketplace owes.
"""
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.money import percent_bp

from .models import Fulfilment, LedgerEntry, Payout


def commission_on(amount, rate_bp):
    """Commission in đồng, rounded half up (5 % of 65.000 = 3.250), the marketplace's one rule."""
    return percent_bp(amount, rate_bp)


@transaction.atomic
def ledger_post_delivery(*, fulfilment, cash_on_delivery, cash_with_carrier=False):
    """Post a delivered part once (a second call finds the SALE entry and does nothing).

    ``cash_with_carrier``: the marketplace's carrier collected the cash (carriers/), not the seller: the
    carrier owes it (CARRIER_COD) until its remittance statement is imported (CARRIER_REMITTANCE)."""
    if LedgerEntry.objects.filter(fulfilment=fulfilment, kind=LedgerEntry.SALE).exists():
        return []
    vendor = fulfilment.vendor
    rate = vendor.effective_commission_rate_bp
    entries = [
        LedgerEntry(vendor=vendor, kind=LedgerEntry.SALE, amount=fulfilment.items_total, fulfilment=fulfilment),
        LedgerEntry(vendor=vendor, kind=LedgerEntry.COMMISSION, amount=-commission_on(fulfilment.items_total, rate),
                    fulfilment=fulfilment, commission_rate_bp=rate),
    ]
    if fulfilment.shipping_fee:
        entries.insert(1, LedgerEntry(vendor=vendor, kind=LedgerEntry.SHIPPING, amount=fulfilment.shipping_fee,
                                      fulfilment=fulfilment))
    if cash_on_delivery and cash_with_carrier:
        entries.append(LedgerEntry(vendor=vendor, kind=LedgerEntry.CARRIER_COD, amount=-fulfilment.total,
                                   fulfilment=fulfilment, memo="cash collected by the carrier"))
    elif cash_on_delivery:
        entries.append(LedgerEntry(vendor=vendor, kind=LedgerEntry.COD_CASH, amount=-fulfilment.total,
                                   fulfilment=fulfilment, memo="cash collected by the seller"))
    for entry in entries:
        entry.save()
    return entries


@transaction.atomic
def ledger_post_refund(*, refund, cash_on_delivery):
    """A refund of a delivered part: the money goes back and so does the commission on it.

    Refunds count against the goods first, then the shipping. The commission left after refunds is the
    commission on the goods not refunded, rounded once on that running total, so after any sequence of
    partial refunds the commission kept is exactly ``commission_on(goods kept)`` (0 after a full refund).
    """
    fulfilment = refund.fulfilment
    if fulfilment is None or fulfilment.status != Fulfilment.DELIVERED:
        return []  # nothing was posted for an undelivered part
    sale = LedgerEntry.objects.filter(fulfilment=fulfilment, kind=LedgerEntry.COMMISSION).first()
    rate = sale.commission_rate_bp if sale else fulfilment.vendor.effective_commission_rate_bp
    earlier = -(LedgerEntry.objects.filter(fulfilment=fulfilment, kind=LedgerEntry.REFUND)
                .aggregate(s=Sum("amount"))["s"] or 0)
    goods = fulfilment.items_total
    kept_before = goods - min(earlier, goods)
    kept_after = goods - min(earlier + refund.amount, goods)
    reversal = commission_on(kept_before, rate) - commission_on(kept_after, rate)
    entries = [
        LedgerEntry(vendor=fulfilment.vendor, kind=LedgerEntry.REFUND, amount=-refund.amount, fulfilment=fulfilment,
                    refund=refund, memo=refund.reason[:255]),
        LedgerEntry(vendor=fulfilment.vendor, kind=LedgerEntry.COMMISSION_REVERSAL, amount=reversal,
                    fulfilment=fulfilment, refund=refund, commission_rate_bp=rate),
    ]
    if cash_on_delivery:  # the seller paid the shopper back from the cash it held
        entries.append(LedgerEntry(vendor=fulfilment.vendor, kind=LedgerEntry.COD_CASH, amount=refund.amount,
                                   fulfilment=fulfilment, refund=refund, memo="cash returned to the shopper"))
    for entry in entries:
        entry.save()
    return entries


@transaction.atomic
def ledger_post_carrier_remittance(*, fulfilment, cash, fee, statement, tracking_code):
    """A carrier's COD statement paid ``cash`` for this part and kept ``fee``: the cash the carrier held comes
    back to the seller's balance, the carrier's fee is charged to it (the seller was credited the shipping
    fee the buyer paid)."""
    entries = []
    if cash:
        entries.append(LedgerEntry(vendor=fulfilment.vendor, kind=LedgerEntry.CARRIER_REMITTANCE, amount=cash,
                                   fulfilment=fulfilment, memo=statement[:255]))
    if fee:
        entries.append(LedgerEntry(vendor=fulfilment.vendor, kind=LedgerEntry.CARRIER_FEE, amount=-fee,
                                   fulfilment=fulfilment, memo=tracking_code[:255]))
    for entry in entries:
        entry.save()
    return entries


@transaction.atomic
def vendors_with_balance():
    """Sellers annotated with ``balance``: what the marketplace owes each (negative: what the seller owes)."""
    from django.db.models.functions import Coalesce

    from .models import Vendor

    return Vendor.objects.annotate(balance=Coalesce(Sum("ledger__amount"), 0))


def payout_record(*, vendor, amount, reference, paid_on, recorded_by=None):
    if amount <= 0:
        raise ValueError("A payout is a positive amount of đồng")
    if paid_on > timezone.localdate():
        # A payout is recorded after the bank transfer: a future date would move money into a later statement.
        raise ValueError(_("The payment date cannot be later than today."))
    payout = Payout.objects.create(vendor=vendor, amount=amount, reference=reference, paid_on=paid_on,
                                   recorded_by=recorded_by)
    LedgerEntry(vendor=vendor, kind=LedgerEntry.PAYOUT, amount=-amount, payout=payout, memo=reference).save()
    return payout


@dataclass
class Statement:
    vendor: object
    date_from: object
    date_to: object
    opening_balance: int
    gross_sales: int
    shipping: int
    refunds: int
    commission: int
    cash_held: int
    payouts: int
    closing_balance: int
    entries: list
    carrier_owes: int = 0  #: cash carriers collected for the seller and have not remitted yet (at the period's end)
    carrier_fees: int = 0

    @property
    def net_for_period(self):
        return self.closing_balance - self.opening_balance


def statement_for(*, vendor, date_from, date_to):
    """Figures of a period [date_from, date_to] (local dates), aggregated in the database."""
    from django.utils import timezone
    import datetime

    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    ledger = LedgerEntry.objects.filter(vendor=vendor)
    period = ledger.filter(created__gte=start, created__lt=end)

    def total(kind_q):
        return period.filter(kind_q).aggregate(s=Sum("amount"))["s"] or 0

    opening = ledger.filter(created__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    sums = dict(
        gross_sales=total(Q(kind=LedgerEntry.SALE)),
        shipping=total(Q(kind=LedgerEntry.SHIPPING)),
        refunds=-total(Q(kind=LedgerEntry.REFUND)),
        commission=-total(Q(kind__in=[LedgerEntry.COMMISSION, LedgerEntry.COMMISSION_REVERSAL])),
        cash_held=-total(Q(kind=LedgerEntry.COD_CASH)),
        payouts=-total(Q(kind=LedgerEntry.PAYOUT)),
        carrier_fees=-total(Q(kind=LedgerEntry.CARRIER_FEE)),
    )
    sums["carrier_owes"] = -(ledger.filter(created__lt=end, kind__in=[LedgerEntry.CARRIER_COD,
                                                                   LedgerEntry.CARRIER_REMITTANCE])
                             .aggregate(s=Sum("amount"))["s"] or 0)
    closing = opening + (period.aggregate(s=Sum("amount"))["s"] or 0)
    entries = list(period.select_related("fulfilment", "refund", "payout").order_by("created", "pk"))
    return Statement(vendor=vendor, date_from=date_from, date_to=date_to, opening_balance=opening,
                     closing_balance=closing, entries=entries, **sums)
