import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
application = get_wsgi_application()

from marketplace.production import refuse_unsafe_production  # noqa: E402 — needs the settings loaded above

refuse_unsafe_production()
