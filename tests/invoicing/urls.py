"""The project URLs plus the invoicing mounts the project will add (/ban-hang/hoa-don/, /hoa-don/)."""
from django.urls import include, path

from marketplace.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("ban-hang/hoa-don/", include("invoicing.seller_urls")),
    path("hoa-don/", include("invoicing.shop_urls")),
    *project_urlpatterns,
]
