"""Oscar's offer applicator, with discounts in whole đồng (see ``marketplace.money``).

Oscar computes an offer's discount per line in Decimals (7 % of 80.571 ₫ leaves ``…,97`` đồng on a line)
and rounds only the offer's total, so the lines no longer add up to it. Here, after each application of
an offer, its total is rounded half up to the đồng and shared over the lines it touched by largest
remainder of their exact discounts: every line price after discounts is a whole number of đồng, and the
lines add up exactly to the discounted basket total the shopper sees and pays. Loaded in place of
``offer.applicator.Applicator`` by ``marketplace.loading.class_loader`` (no fork of the offer app).
"""
from decimal import Decimal
from itertools import chain

from django.db.models import prefetch_related_objects

from oscar.apps.offer.applicator import Applicator as CoreApplicator
from oscar.core.loading import get_class

from marketplace.money import allocate_largest_remainder, round_half_up

OfferApplications = get_class("offer.results", "OfferApplications")


def round_offer_amount(amount, currency=None):
    """``OSCAR_OFFER_ROUNDING_FUNCTION``: Oscar's benefits round their totals to the đồng, half up."""
    return Decimal(round_half_up(amount))


def _snapshot(basket):
    return {line.pk if line.pk else id(line): len(line.discounts.all()) for line in basket.all_lines()}


def whole_dong_discounts(basket, before, result):
    """Make the discounts added since ``before`` whole đồng adding up to the rounded total of this application."""
    added = []  # (registry, index, exact amount, line)
    for line in basket.all_lines():
        registry = line.discounts
        start = before.get(line.pk if line.pk else id(line), 0)
        for index in range(start, len(registry.all())):
            added.append((registry, index, registry.all()[index].amount, line))
    if not added:
        return
    total = round_half_up(sum(amount for _r, _i, amount, _l in added))
    shares = allocate_largest_remainder(total, [amount for _r, _i, amount, _l in added])
    for (registry, index, _amount, _line), share in zip(added, shares):
        entry = registry._discounts[index]
        registry._discounts[index] = entry._replace(amount=Decimal(share))
    for registry in {id(r): r for r, *_ in added}.values():
        registry._discount_incl_tax = None
        registry._discount_excl_tax = None
    if hasattr(result, "discount"):
        result.discount = Decimal(total)


class Applicator(CoreApplicator):
    def get_offers(self, basket, user=None, request=None):
        """Oscar's, read once per request: the middleware applies the offers for the header's total and the
        basket page reads them again for its upsell messages. The site's offers are kept on the request; the
        basket's vouchers are prefetched on the basket (adding or removing one clears that, as Django's
        many-to-many manager does for any prefetched relation)."""
        site_offers = getattr(request, "_marketplace_site_offers", None)
        if site_offers is None:
            site_offers = list(self.get_site_offers())
            if request is not None:
                request._marketplace_site_offers = site_offers
        if basket.id and user and "vouchers" not in getattr(basket, "_prefetched_objects_cache", {}):
            prefetch_related_objects([basket], "vouchers")
        offers = chain(self.get_session_offers(request), self.get_basket_offers(basket, user),
                       self.get_user_offers(user), site_offers)
        return sorted(offers, key=lambda o: o.priority, reverse=True)

    def apply_offers(self, basket, offers):
        applications = OfferApplications()
        for offer in offers:
            num_applications = 0
            while num_applications < offer.get_max_applications(basket.owner):
                before = _snapshot(basket)
                result = offer.apply_benefit(basket)
                num_applications += 1
                if not result.is_successful:
                    break
                whole_dong_discounts(basket, before, result)
                applications.add(offer, result)
                if result.is_final:
                    break
        basket.offer_applications = applications
