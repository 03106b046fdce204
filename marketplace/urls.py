import re

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from catalogue.views import RecentlyViewedView
from marketplace.customer_views import OrderLineView
from places.views import wards_json

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("nguoi-ban/", include("vendors.urls")),
    path("ban-hang/hoa-don/", include("invoicing.seller_urls")),
    path("hoa-don/", include("invoicing.shop_urls")),
    path("ban-hang/thong-ke/", include("reports.seller_urls")),
    path("ban-hang/", include("onboarding.urls")),
    path("ban-hang/", include("vendors.seller_urls")),
    path("so-cong-thuong/chung-nhan/", include("catalogue.review_urls")),
    path("so-cong-thuong/san-pham/", include("catalogue.listing_review_urls")),
    path("so-cong-thuong/doi-soat/", include("vendors.department_urls")),
    path("so-cong-thuong/van-chuyen/", include("carriers.department_urls")),
    path("ban-hang/van-chuyen/", include("carriers.seller_urls")),
    path("van-chuyen/", include("carriers.urls")),
    path("so-cong-thuong/", include("onboarding.review_urls")),
    path("", include("privacy.urls")),
    path("so-cong-thuong/", include("reports.office_urls")),
    path("bao-cao/", include("reports.urls")),
    path("payments/", include("payments.urls")),
    path("dia-chi/phuong-xa/<str:province_code>.json", wards_json, name="places-wards"),
    path("catalogue/recently-viewed/", RecentlyViewedView.as_view(), name="recently-viewed"),
    # Same path as Oscar's order-line view, matched first, so Oscar's links land here: see the class.
    path("accounts/orders/<str:order_number>/<int:line_id>/", login_required(OrderLineView.as_view()),
         name="customer-order-line"),
    # Sign-in, sign-up and guests' order pages on Oscar's paths (matched first), and the order lookup.
    path("", include("accounts.urls")),
    # Oscar: /catalogue/, /basket/, /checkout/, /accounts/, /search/, /dashboard/ ...
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.VNPAY_SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/vnpay/", include("payments.sandbox.urls")))
if settings.EINVOICE_SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/einvoice/", include("invoicing.sandbox.urls")))
if settings.CARRIERS_SANDBOX_ENABLED:
    urlpatterns.insert(0, path("sandbox/carriers/", include("carriers.emulator.urls")))

if settings.MEDIA_SERVED_BY_DJANGO and settings.MEDIA_URL.startswith("/"):
    from marketplace.media import serve_public_media

    urlpatterns.append(re_path(r"^%s(?P<path>.+)$" % re.escape(settings.MEDIA_URL.lstrip("/")), serve_public_media,
                               name="public-media"))

#: The error page that renders whatever broke (static files, templates): see marketplace/errors.py.
handler500 = "marketplace.errors.server_error"

# Wagtail's catch-all serves the home page and content pages; it must stay last.
urlpatterns.append(path("", include(wagtail_urls)))
