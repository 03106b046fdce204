"""Where each role lands after signing in, and finding a guest's order by its number and contact."""
from django.conf import settings
from django.urls import reverse
from oscar.core.loading import get_model

from accounts.phones import normalise_phone
from marketplace.roles import is_community_assistant, is_department

Order = get_model("order", "Order")


#: The department's home: its work waiting, key figures and every tool (issue 17).
DEPARTMENT_HOME = "/so-cong-thuong/"


def landing_url(user):
    """Sellers land in their workspace, the department on its home, community assistants on their
    households' applications, administrators on Oscar's dashboard, shoppers on the shop's home page."""
    from vendors.selectors import vendor_for_user

    if vendor_for_user(user) is not None:
        return reverse("seller:home")
    if is_department(user) and not user.is_superuser:
        return DEPARTMENT_HOME
    if is_community_assistant(user):
        return reverse("onboarding:assisted")
    if user.is_staff:
        return reverse("dashboard:index")
    return settings.LOGIN_REDIRECT_URL


def guest_order_find(*, number, contact):
    """The guest order with this number whose delivery phone or e-mail is ``contact`` (normalised), or None.

    Orders placed from an account are not found here: their owner signs in to see them."""
    order = (Order.objects.filter(user__isnull=True, number=number).select_related("shipping_address").first())
    if order is None:
        return None
    if "@" in contact:
        return order if (order.email or "").lower() == contact.lower() else None
    phone = order.shipping_address.phone_number if order.shipping_address_id else None
    return order if phone and normalise_phone(str(phone)) == contact else None
