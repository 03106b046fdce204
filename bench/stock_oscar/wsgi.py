"""WSGI entry point of the stock Oscar baseline (gunicorn bench.stock_oscar.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.stock_oscar.settings")
application = get_wsgi_application()
