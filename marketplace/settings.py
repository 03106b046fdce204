"""Settings for Chợ OCOP Hà Tĩnh: one module, driven by environment variables.

Every value has a working laptop default (SQLite, local memory cache, database search, the local
VNPay sandbox); production sets DEBUG=False and the secrets in the environment.
"""
import sys
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's defaults first, ours override below)

from marketplace.order import statuses as order_statuses

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
TESTING = env.bool("TESTING", default="pytest" in sys.modules)

#: The development defaults below are published in this file: production refuses to start while any of
#: them is in use (marketplace/production.py), whatever DEBUG says.
DEVELOPMENT_SECRETS = {
    "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production",
    "VNPAY_TMN_CODE": "OCOPHT01",
    "VNPAY_HASH_SECRET": "OCOPHATINHSANDBOXSECRETKEY2026XX",
    "EINVOICE_PROVIDER_KEY": "OCOPHT-EINVOICE-SANDBOX-KEY",
    "PRIVACY_ENCRYPTION_KEY": "b2NvcC1oYXRpbmgtZGV2LW9ubHktcHJpdmFjeS1rZXk=",
    "PRIVACY_HASH_KEY": "ocop-hatinh-dev-only-lookup-digest-key",
}
if DEBUG:
    # Development only: a stable, obviously-unsafe key. Production must set SECRET_KEY.
    SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRETS["SECRET_KEY"])
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# --- Public address ---------------------------------------------------------------------------
#: The site's public address, e.g. https://cho.ocop.hatinh.gov.vn: the one source of absolute links (e-mails,
#: Wagtail, the Sites framework; marketplace/public_url.py). Empty in development: links follow the address
#: the site is served on (the request's host and port), http://127.0.0.1:8000 before any request.
SITE_URL = env.str("SITE_URL", default="").rstrip("/")
OSCAR_URL_SCHEMA = SITE_URL.split("://")[0] if SITE_URL else "http"  # Oscar's e-mails: scheme of their links
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Oscar, with our forks replacing the upstream apps under the same labels.
    "marketplace.shop.ShopConfig",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "marketplace.checkout.apps.CheckoutConfig",
    "marketplace.address.apps.AddressConfig",
    "marketplace.shipping.apps.ShippingConfig",
    "catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "marketplace.basket.apps.BasketConfig",  # Oscar's basket; our page view (not a fork)
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "marketplace.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "marketplace.dashboard_orders.OrdersDashboardConfig",
    "marketplace.dashboard_catalogue.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "treebeard",
    "django_tables2",
    "sorl.thumbnail",
    # Wagtail (content pages at /, admin at /cms/)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "csp",
    "axes",
    # Our own domains
    "marketplace.apps.MarketplaceConfig",
    "marketplace.cms",
    "accounts",
    "places",
    "vendors",
    "onboarding",
    "invoicing",
    "payments",
    "payments.sandbox.apps.VNPaySandboxConfig",
    "carriers",
    "reports",
    "privacy",
]

if env.str("DATABASE_URL", default="").startswith("postgres"):
    INSTALLED_APPS.append("django.contrib.postgres")

SITE_ID = 1

MIDDLEWARE = [
    "marketplace.clientip.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # HTML gzipped (4-5x smaller on 4G). BREACH: Django masks the CSRF token afresh in every response and this
    # middleware pads each response with random bytes ("Heal the Breach"), so pages with forms are compressed too.
    "marketplace.compression.TextGZipMiddleware",  # text only: pictures are compressed already
    "marketplace.csp.MarketplaceCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marketplace.media.PublicMediaMiddleware",  # /media/ before sessions, language, sign-in and basket
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "marketplace.public_url.PublicAddressMiddleware",  # after CommonMiddleware's host check
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "marketplace.middleware.RejectNulInPathMiddleware",
    "marketplace.pagecache.AnonymousPageCacheMiddleware",
    "marketplace.basket.middleware.BasketMiddleware",  # Oscar's, loading the lines at once
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "marketplace.ratelimit.RateLimitMiddleware",
    # Last, as django-axes asks: turns its lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "marketplace.context_processors.storefront",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file test database lets `pytest --reuse-db` skip the ~320 migrations on later runs.
    DATABASES["default"].setdefault("TEST", {})["NAME"] = str(BASE_DIR / env.str("TEST_DB_FILE", ".test-db.sqlite3"))
    # Several writers at once (the dev server's threads, the scheduler, a task) must wait their turn, not
    # fail with "database is locked": WAL lets readers run beside the writer, transactions take the write
    # lock when they begin (a deferred one that reads first cannot wait for it later), and a writer waits up
    # to `timeout` seconds (SQLite's busy timeout) for the lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": env.int("SQLITE_TIMEOUT", default=30),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
#: Reports read through their own alias so that production can point it at a read replica
#: (REPORTS_DATABASE_URL); without one they read the primary database.
if env.str("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db_url("REPORTS_DATABASE_URL")
    DATABASES["reports"].setdefault("TEST", {})["MIRROR"] = "default"
REPORTS_DATABASE_ALIAS = "reports" if "reports" in DATABASES else "default"
# Chosen once before the first migration; Oscar's migrations read it, so it must never change.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# --- Cache ------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Resilient: a Redis outage serves pages uncached and keeps rate limits per process (marketplace/cache.py).
    _REDIS_CACHE = {"BACKEND": "marketplace.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                    "OPTIONS": {"DOWN_RETRY_SECONDS": env.float("REDIS_DOWN_RETRY_SECONDS", default=5.0)}}
    CACHES = {"default": _REDIS_CACHE,
              "ratelimit": {**_REDIS_CACHE, "OPTIONS": {**_REDIS_CACHE["OPTIONS"], "FALLBACK": "local"}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
              "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}}
#: django-ratelimit's counters, in their own cache so that a Redis outage falls back to counting locally.
RATELIMIT_USE_CACHE = "ratelimit"

#: Anonymous shoppers' pages are served from the cache for this long at most (0 switches it off);
#: catalogue and CMS changes invalidate them at once (marketplace/pagecache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if TESTING else 300)
#: Facet counts of a listing (same for every visitor), kept under the same version as the page cache.
SEARCH_FACET_CACHE_SECONDS = env.int("SEARCH_FACET_CACHE_SECONDS", default=PAGE_CACHE_SECONDS)
#: Rendered product cards, shared by every page and visitor and keyed by what they show, so a change
#: needs no invalidation (marketplace/templatetags/ocop.py, ``product_cards``); 0 renders every time.
CARD_CACHE_SECONDS = env.int("CARD_CACHE_SECONDS", default=6 * 3600)
#: Site settings every page shows (the department's contact in the header and footer), read from the cache
#: rather than two queries a request; a change to them or to a site deletes the entry (marketplace/signals.py).
SITE_SETTING_CACHE_SECONDS = env.int("SITE_SETTING_CACHE_SECONDS", default=0 if TESTING else 300)

# --- Celery (background work) -----------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE = {
    # Every minute: an unpaid order's stock goes back within about a minute of its payment's expiry.
    "reconcile-vnpay-payments": {"task": "payments.reconcile", "schedule": 60.0},
    "check-ocop-certificates": {"task": "catalogue.check_certificates", "schedule": 24 * 3600.0},
    "send-einvoices": {"task": "invoicing.send_pending", "schedule": 300.0},
    "check-einvoice-deadlines": {"task": "invoicing.check_deadlines", "schedule": 3600.0},
    "reports-rollups": {"task": "reports.refresh_rollups", "schedule": 600.0},
    # Webhooks are the carriers' word; polling catches what a lost webhook did not say.
    "carriers-poll": {"task": "carriers.poll_shipments", "schedule": 900.0},
    "privacy-retention": {"task": "privacy.apply_retention", "schedule": 24 * 3600.0},
    # Report files waiting for a worker: with Celery each is also sent as it is requested, so this is a safety
    # net; without Redis it is how `manage.py serve`'s scheduler builds them (reports/jobs.py).
    "reports-exports": {"task": "reports.run_exports",
                        "schedule": env.float("REPORTS_EXPORT_SWEEP_SECONDS", default=60.0 if REDIS_URL else 3.0)},
}

# --- Scheduled jobs without Redis (marketplace/scheduler.py) ----------------------------------
#: Without a Celery worker and beat (no REDIS_URL), `make run` (`manage.py serve`) runs the jobs of
#: CELERY_BEAT_SCHEDULE itself, in its own process; `manage.py run_scheduler` does it beside another server.
SCHEDULER_ENABLED = env.bool("SCHEDULER_ENABLED", default=not REDIS_URL)
#: "task=seconds,…" replaces those intervals (tests, demos), e.g. "invoicing.send_pending=5".
SCHEDULER_INTERVALS = {task: float(seconds) for task, seconds in env.dict("SCHEDULER_INTERVALS", default={}).items()}
#: First wait between two sends of an invoice the provider did not answer (then doubled, at most an hour).
EINVOICE_RETRY_BASE_SECONDS = env.int("EINVOICE_RETRY_BASE_SECONDS", default=60)

# --- Auth -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = (
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before any password check
    "oscar.apps.customer.auth_backends.EmailBackend",
    "accounts.backends.PhoneBackend",  # a Vietnamese mobile number instead of the e-mail
    "django.contrib.auth.backends.ModelBackend",
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/"

#: Account lockout (django-axes): 5 wrong passwords for one account from one address lock that pair
#: for 15 minutes; every attempt is recorded (AccessAttempt/AccessFailureLog in the admin).
#: How many reverse proxies (load balancer, nginx…) stand in front of the application and append to
#: X-Forwarded-For; the client's address is read that many places from the right (marketplace/clientip.py).
#: 0 (the default) ignores the header: set it to exactly the number of proxies you run, never more.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "marketplace.clientip.request_ip"
AXES_ENABLED = env.bool("AXES_ENABLED", default=not TESTING)  # tests that need it switch it on
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "marketplace.ratelimit.account_locked"
AXES_USERNAME_CALLABLE = "marketplace.ratelimit.lockout_username"
AXES_SENSITIVE_PARAMETERS = ["password", "login-password"]
#: Requests per client address (marketplace/ratelimit.py; counted in the cache, Redis in production).
RATELIMIT_ENABLE = env.bool("RATELIMIT_ENABLE", default=not TESTING)
RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="20/m"),
    "ipn": env.str("RATE_LIMIT_IPN", default="300/m"),
    "suggest": env.str("RATE_LIMIT_SUGGEST", default="120/m"),
    "order_lookup": env.str("RATE_LIMIT_ORDER_LOOKUP", default="10/m"),
    # Orders placed to pay with VNPay per client address (each holds stock until its payment expires).
    "unpaid_orders": env.str("RATE_LIMIT_UNPAID_ORDERS", default="5/15m"),
}
#: One order awaiting VNPay may hold at most this share of what is left of a product (always at least
#: UNPAID_ORDER_ALWAYS_UNITS items): an abandoned payment page cannot empty a seller's shelf.
UNPAID_ORDER_MAX_SHARE_PERCENT = env.int("UNPAID_ORDER_MAX_SHARE_PERCENT", default=50)
UNPAID_ORDER_ALWAYS_UNITS = env.int("UNPAID_ORDER_ALWAYS_UNITS", default=3)

# --- Internationalisation: Vietnamese first ---------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
#: The Wagtail admin speaks the site's languages, Vietnamese first: editors without a preference of their own get
#: Vietnamese (catalogue/locale fills the admin strings Wagtail's Vietnamese catalogue leaves untranslated).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
#: Public uploads (product pictures, logos) served by the site itself (marketplace/media.py), with cache
#: headers; False when a web server or a CDN serves MEDIA_ROOT at MEDIA_URL instead.
MEDIA_SERVED_BY_DJANGO = env.bool("MEDIA_SERVED_BY_DJANGO", default=True)
MEDIA_CACHE_SECONDS = env.int("MEDIA_CACHE_SECONDS", default=7 * 24 * 3600)
#: Sellers' documents (business registration, certificates, IDs): never under MEDIA_URL, only served
#: through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
#: Upload limits for sellers' documents and product images.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Oscar ------------------------------------------------------------------------------------
OSCAR_SHOP_NAME = "Chợ OCOP Hà Tĩnh"
OSCAR_SHOP_TAGLINE = "Sàn thương mại điện tử sản phẩm OCOP tỉnh Hà Tĩnh"
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "VND"
# Prices are pinned to the Vietnamese format (150.000 ₫) whatever the UI language.
OSCAR_CURRENCY_FORMAT = {"VND": {"locale": "vi_VN", "currency_digits": True}}
# Oscar's slugifier turns đ into "u0111"; map it first.
OSCAR_SLUG_MAP = {"đ": "d", "Đ": "D"}
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = True
# Vietnamese addresses: no postcode in everyday use; a phone number is what couriers need.
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "last_name", "line1", "line4", "country", "phone_number")
PHONENUMBER_DEFAULT_REGION = "VN"
OSCAR_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@ocop.hatinh.gov.vn")
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
# Order statuses and their allowed moves live in one place (a plain module, safe to import here).
OSCAR_INITIAL_ORDER_STATUS = order_statuses.AWAITING_PAYMENT
OSCAR_ORDER_STATUS_PIPELINE = order_statuses.PIPELINE
OSCAR_INITIAL_LINE_STATUS = "New"
OSCAR_LINE_STATUS_PIPELINE = {"New": ("Shipped", "Cancelled"), "Shipped": ("Delivered",), "Delivered": (),
                              "Cancelled": ()}
# Haystack is not used: the project's own `search` app replaces Oscar's, and this loader makes
# Oscar resolve `search.*` classes from it alone (Oscar would otherwise import haystack).
OSCAR_DYNAMIC_CLASS_LOADER = "marketplace.loading.class_loader"
OSCAR_SEARCH_FACETS = {"fields": {}, "queries": {}}
# Money is whole đồng, rounded half up (marketplace/money.py): offers round their totals that way and
# the applicator (marketplace/offers.py) shares them over the lines by largest remainder.
OSCAR_OFFER_ROUNDING_FUNCTION = "marketplace.offers.round_offer_amount"
#: Product pictures are served as WebP whatever was uploaded (issue 21): on a listing's 24 cards it is the
#: bulk of every page after the first (a demo 400 px card picture 4.3 → 3.0 KB, ≈ 30 % lighter than JPEG at
#: the same quality; transparency kept, unlike JPEG). Every browser a shopper uses reads WebP (Chrome and Zalo's
#: browser on Android, Safari since iOS 14).
THUMBNAIL_PRESERVE_FORMAT = False
THUMBNAIL_FORMAT = "WEBP"
THUMBNAIL_QUALITY = 82

#: The marketplace operator, named in invoices it issues on behalf of sellers (authorisation, ủy nhiệm).
INVOICING_ISSUER = {
    "tax_code": env.str("INVOICING_ISSUER_TAX_CODE", default=""),
    "name": env.str("INVOICING_ISSUER_NAME", default=""),
    "address": env.str("INVOICING_ISSUER_ADDRESS", default=""),
}

#: The marketplace's commission on goods (not shipping), in basis points; a seller may have its own.
MARKETPLACE_COMMISSION_RATE_BP = env.int("MARKETPLACE_COMMISSION_RATE_BP", default=500)

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chợ OCOP Hà Tĩnh"
WAGTAILADMIN_BASE_URL = SITE_URL or "http://127.0.0.1:8000"  # Wagtail's e-mails (see SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no external requests (and the CSP allows none)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt"]

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = OSCAR_FROM_EMAIL

# --- VNPay ------------------------------------------------------------------------------------
# Unset, the URLs mean the project's own sandbox (payments/sandbox) on this same site, wherever it is
# served (marketplace/served.py: the request's host for the shopper, the server's address for API calls),
# so the demo and the tests pay with no internet. Production sets the real endpoints and credentials.
VNPAY_TMN_CODE = env.str("VNPAY_TMN_CODE", default=DEVELOPMENT_SECRETS["VNPAY_TMN_CODE"])
VNPAY_HASH_SECRET = env.str("VNPAY_HASH_SECRET", default=DEVELOPMENT_SECRETS["VNPAY_HASH_SECRET"])
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default="")
VNPAY_API_URL = env.str("VNPAY_API_URL", default="")
VNPAY_TIMEOUT = env.float("VNPAY_TIMEOUT", default=10.0)
#: How long a shopper has to pay on VNPay; unpaid orders are then reconciled (querydr) and cancelled.
VNPAY_PAYMENT_EXPIRY_MINUTES = env.int("VNPAY_PAYMENT_EXPIRY_MINUTES", default=15)
#: After the deadline, how long reconciliation waits for a payment VNPay was still finishing.
VNPAY_RECONCILE_GRACE_MINUTES = env.int("VNPAY_RECONCILE_GRACE_MINUTES", default=2)
#: The sandbox is mounted only where it is enabled (development, demo, tests); never in production.
VNPAY_SANDBOX_ENABLED = env.bool("VNPAY_SANDBOX_ENABLED", default=DEBUG or TESTING)

# --- Search -------------------------------------------------------------------------------------
#: "database" (PostgreSQL full-text + trigram, or the folded column on SQLite) or "elasticsearch".
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="database")
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
#: Alias the shop reads; `search_index --rebuild` builds `<alias>-<timestamp>` and swaps the alias.
ELASTICSEARCH_INDEX = env.str("ELASTICSEARCH_INDEX", default="ocop-products")

# --- E-invoice provider / tax authority ----------------------------------------------------------
# Unset, the project's own emulator (invoicing/sandbox) on this same site, wherever it is served (as VNPay above).
EINVOICE_PROVIDER_URL = env.str("EINVOICE_PROVIDER_URL", default="")
EINVOICE_PROVIDER_KEY = env.str("EINVOICE_PROVIDER_KEY", default=DEVELOPMENT_SECRETS["EINVOICE_PROVIDER_KEY"])
EINVOICE_PROVIDER_TIMEOUT = env.float("EINVOICE_PROVIDER_TIMEOUT", default=10.0)
EINVOICE_SANDBOX_ENABLED = env.bool("EINVOICE_SANDBOX_ENABLED", default=DEBUG or TESTING)
#: Tax code of the e-invoice provider (MSTTCGP) when a seller's profile names none: the marketplace's own
#: provider contract. The emulator's own code while it is the provider; production must set it
#: (`check --deploy` says so), or every authorised invoice would lack MSTTCGP and be rejected.
INVOICING_PROVIDER_TAX_CODE = env.str("INVOICING_PROVIDER_TAX_CODE",
                                      default="0100000010" if EINVOICE_SANDBOX_ENABLED else "")

# --- Carriers (carriers/) ------------------------------------------------------------------------
# Unset, the URLs mean the local carrier emulator (carriers/emulator) on this same site, as VNPay above. A
# carrier whose URL and token are not set in production is simply not offered: checkout uses the sellers'
# flat fees (marketplace/production.py refuses the emulator's published secrets with a real URL).
CARRIERS_SANDBOX_ENABLED = env.bool("CARRIERS_SANDBOX_ENABLED", default=DEBUG or TESTING)
CARRIER_SANDBOX_SECRETS = {"GHN_TOKEN": "OCOPHT-GHN-SANDBOX-TOKEN", "GHN_WEBHOOK_SECRET": "OCOPHT-GHN-SANDBOX-WEBHOOK",
                           "VNPOST_TOKEN": "OCOPHT-VNPOST-SANDBOX-TOKEN",
                           "VNPOST_WEBHOOK_SECRET": "OCOPHT-VNPOST-SANDBOX-WEBHOOK"}
_carrier_default = CARRIER_SANDBOX_SECRETS if CARRIERS_SANDBOX_ENABLED else {}
GHN_API_URL = env.str("GHN_API_URL", default="")
GHN_TOKEN = env.str("GHN_TOKEN", default=_carrier_default.get("GHN_TOKEN", ""))
GHN_SHOP_ID = env.str("GHN_SHOP_ID", default="885")
#: The secret token in the callback URL registered with GHN (GHN signs nothing: carriers/SPEC-NOTES.md).
GHN_WEBHOOK_SECRET = env.str("GHN_WEBHOOK_SECRET", default=_carrier_default.get("GHN_WEBHOOK_SECRET", ""))
VNPOST_API_URL = env.str("VNPOST_API_URL", default="")
VNPOST_TOKEN = env.str("VNPOST_TOKEN", default=_carrier_default.get("VNPOST_TOKEN", ""))
VNPOST_WEBHOOK_SECRET = env.str("VNPOST_WEBHOOK_SECRET", default=_carrier_default.get("VNPOST_WEBHOOK_SECRET", ""))
CARRIER_TIMEOUT = env.float("CARRIER_TIMEOUT", default=8.0)
#: Checkout waits at most this long for a carrier's fee before the seller's flat rule applies.
CARRIER_QUOTE_TIMEOUT = env.float("CARRIER_QUOTE_TIMEOUT", default=3.0)
CARRIER_MAX_RETRIES = env.int("CARRIER_MAX_RETRIES", default=1)
#: How long a live fee for (carrier, pickup commune, ward, weight) is reused.
CARRIER_QUOTE_CACHE_SECONDS = env.int("CARRIER_QUOTE_CACHE_SECONDS", default=300)
#: Shipments not heard of for this long are asked about (polling fallback of the webhooks).
CARRIER_POLL_AFTER_MINUTES = env.int("CARRIER_POLL_AFTER_MINUTES", default=60)
#: A delivered cash-on-delivery parcel not remitted after this many days is listed for the department.
CARRIER_REMITTANCE_DUE_DAYS = env.int("CARRIER_REMITTANCE_DUE_DAYS", default=14)

# --- Reports -------------------------------------------------------------------------------------
#: Tokens of the provincial data-integration hub for the reports JSON API (comma-separated).
REPORTS_API_TOKENS = env.list("REPORTS_API_TOKENS", default=[])
#: Year and quarter views read daily rollups (refreshed every 10 minutes by the beat task above, or by
#: `manage.py refresh_report_rollups`); False reads the live tables (exact to the second, slow at scale).
REPORTS_USE_ROLLUP = env.bool("REPORTS_USE_ROLLUP", default=True)
REPORTS_CACHE_SECONDS = env.int("REPORTS_CACHE_SECONDS", default=3600)

# --- Content-Security-Policy (django-csp; marketplace/csp.py relaxes it for the admin areas) -------
def _origin(url):
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],  # the request's nonce, on oscar/base.html's inline block
        # Oscar's basket and checkout templates hide forms with style="display:none": that exact
        # attribute is allowed by its hash, nothing else inline (the sandboxes' <style> use the nonce).
        "style-src": ["'self'", NONCE, "'unsafe-hashes'", "'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Checkout's form redirects the shopper to VNPay's payment page (the local sandbox is 'self').
        "form-action": ["'self'"] + ([_origin(VNPAY_PAYMENT_URL)] if VNPAY_PAYMENT_URL else []),
    },
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "oscar.alerts": {"level": "WARNING"},
                "django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"}},
}

# --- Production hardening (DEBUG=False) -------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
    OSCAR_BASKET_COOKIE_SECURE = True
    OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = True

if TESTING:
    VNPAY_SANDBOX_IPN_RETRIES = 3
    VNPAY_SANDBOX_IPN_RETRY_DELAY = 0.05
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# --- Personal data (privacy/) ----------------------------------------------------------------------
#: Fernet key (32 url-safe base64 bytes) that encrypts citizen ID and bank account numbers at rest.
#: Generate one with `python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"`.
PRIVACY_ENCRYPTION_KEY = env.str("PRIVACY_ENCRYPTION_KEY", default=DEVELOPMENT_SECRETS["PRIVACY_ENCRYPTION_KEY"])
#: Former keys, still able to decrypt until `manage.py rotate_encryption_keys` has re-encrypted every value.
PRIVACY_ENCRYPTION_OLD_KEYS = env.list("PRIVACY_ENCRYPTION_OLD_KEYS", default=[])
#: Key of the keyed digests (HMAC-SHA256) beside encrypted columns that must be looked up or kept unique
#: (tax codes, which are a household's CCCD). Any long random string; changing it needs
#: `manage.py rotate_encryption_keys` (recomputes the digests).
PRIVACY_HASH_KEY = env.str("PRIVACY_HASH_KEY", default=DEVELOPMENT_SECRETS["PRIVACY_HASH_KEY"])
#: Hours the department has to answer a data subject's request (Decree 13/2023/NĐ-CP art. 9.6.b: 72 h).
PRIVACY_REQUEST_DEADLINE_HOURS = env.int("PRIVACY_REQUEST_DEADLINE_HOURS", default=72)
#: Retention (days): guests' contact details on finished orders, untouched draft applications, access log.
PRIVACY_GUEST_ORDER_RETENTION_DAYS = env.int("PRIVACY_GUEST_ORDER_RETENTION_DAYS", default=365)
PRIVACY_ABANDONED_APPLICATION_DAYS = env.int("PRIVACY_ABANDONED_APPLICATION_DAYS", default=180)
PRIVACY_ACCESS_LOG_RETENTION_DAYS = env.int("PRIVACY_ACCESS_LOG_RETENTION_DAYS", default=730)

# === Running on several nodes (issue 18): object storage, health, logs, metrics ===================
# One block, read last: it may replace STORAGES, LOGGING and prepend to MIDDLEWARE above.
#
# --- Media in object storage (marketplace/storage.py, onboarding/storage.py) ---------------------------
#: "filesystem" (MEDIA_ROOT / PRIVATE_MEDIA_ROOT on this machine: one node only) or "s3" (any S3-compatible
#: store: every node sees every upload).
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "s3":
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None  # unset: Amazon S3 itself
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None  # unset: the machine's role/profile
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
    AWS_S3_ADDRESSING_STYLE = env.str("AWS_S3_ADDRESSING_STYLE", default="path")
    AWS_S3_CUSTOM_DOMAIN = env.str("MEDIA_CUSTOM_DOMAIN", default="") or None  # a CDN in front of the bucket
    # Public media: pictures, logos, thumbnails; public-read, cached long (names change when files change).
    AWS_STORAGE_BUCKET_NAME = env.str("MEDIA_BUCKET")
    AWS_DEFAULT_ACL = "public-read"
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": f"public, max-age={MEDIA_CACHE_SECONDS}"}
    STORAGES["default"] = {"BACKEND": "marketplace.storage.PublicMediaStorage"}
    # Sellers' documents: a private bucket (or the same bucket under a prefix), objects private; signed
    # URLs, if any, live a minute. The permission-checked view streams them.
    STORAGES["private"] = {"BACKEND": "marketplace.storage.PrivateDocumentStorage", "OPTIONS": {
        "bucket_name": env.str("PRIVATE_MEDIA_BUCKET", default=AWS_STORAGE_BUCKET_NAME),
        "location": env.str("PRIVATE_MEDIA_PREFIX", default="private"),
        "default_acl": "private", "querystring_auth": True, "querystring_expire": 60,
        "object_parameters": {"CacheControl": "private, no-store"}, "file_overwrite": False}}
    #: /media/ streamed by the site from the bucket (MEDIA_SERVED_BY_DJANGO), or the bucket's / CDN's address.
    if not MEDIA_SERVED_BY_DJANGO:
        MEDIA_URL = env.str("MEDIA_URL", default="") or (
            f"https://{AWS_S3_CUSTOM_DOMAIN}/" if AWS_S3_CUSTOM_DOMAIN
            else f"{(AWS_S3_ENDPOINT_URL or 'https://s3.amazonaws.com').rstrip('/')}/{AWS_STORAGE_BUCKET_NAME}/")
    #: Thumbnails go where the media go (sorl builds this class without arguments: AWS_* above).
    THUMBNAIL_STORAGE = "marketplace.storage.PublicMediaStorage"
#: Which thumbnails exist is kept in the database (and the shared cache), not per process: a thumbnail
#: is made once by whichever node first needs it.
THUMBNAIL_KVSTORE = "sorl.thumbnail.kvstores.cached_db_kvstore.KVStore"

# --- Health, request ids, access log, metrics (marketplace/health.py, requestid.py, logs.py, metrics.py) ---
MIDDLEWARE[:0] = [
    "marketplace.health.OperationsMiddleware",  # /healthz, /readyz, /metrics: before anything else
    "marketplace.requestid.RequestIdMiddleware",
    "marketplace.logs.ObservedRequestMiddleware",
]
#: /metrics answers a "Authorization: Bearer <METRICS_TOKEN>" request, or any request from these networks
#: (the direct peer's address, e.g. "10.0.0.0/8"); with neither set it answers 404.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
#: "json" (one JSON object a line, for a log collector) or "text" (development).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "marketplace.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "marketplace.logs.JsonLogFormatter"},
        "text": {"()": "marketplace.logs.ScrubbingFormatter",
                 "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "oscar.alerts": {"level": "WARNING"},
                "django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"},
                # one line per request from marketplace.logs instead of the servers' own
                "django.server": {"level": "WARNING"}, "gunicorn.access": {"level": "WARNING"},
                "marketplace.access": {"level": env.str("ACCESS_LOG_LEVEL", default="INFO")},
                "botocore": {"level": "WARNING"}, "boto3": {"level": "WARNING"}, "urllib3": {"level": "WARNING"}},
}
# --- Error reporting (optional, marketplace/error_reporting.py): Sentry or a compatible service ---
#: e.g. "https://<key>@sentry.example.vn/3"; empty: nothing is sent anywhere.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from marketplace.error_reporting import start as _start_error_reporting

    _start_error_reporting(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default="production"),
                           release=env.str("SENTRY_RELEASE", default=""),
                           traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0))
# --- One beat for the site (marketplace/beat.py): a second beat stands by instead of sending every job twice ---
CELERY_BEAT_SCHEDULER = "marketplace.beat.LeaderScheduler"
# === end of issue 18's block =====================================================================
