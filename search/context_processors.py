from django.urls import reverse

from .forms import BrowseForm


def search_form(request):
    """The storefront's search box; not in Wagtail's admin, whose listings read a ``search_form`` of their own
    (its history and snippet pages would otherwise show the shop's filters)."""
    if request.path.startswith(reverse("wagtailadmin_home")):
        return {}
    return {"search_form": BrowseForm(request.GET if request.path.startswith("/search") else None)}
