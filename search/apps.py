from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


class SearchConfig(OscarConfig):
    """Replaces Oscar's haystack search with the project's own (label kept: ``search``)."""

    label = "search"
    name = "search"
    verbose_name = _("Search")
    namespace = "search"

    def ready(self):
        from . import signals, views  # noqa: F401  (signals keep the search columns fresh)

        self.search_view = views.SearchView

    def get_urls(self):
        from .suggest import suggest_view

        return self.post_process_urls([
            path("", self.search_view.as_view(), name="search"),
            path("suggest/", suggest_view, name="suggest"),
        ])
