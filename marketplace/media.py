"""Public uploads (product pictures, sellers' logos) served by the site itself.

Production has no `runserver` to serve MEDIA_ROOT, and the province may run the site with gunicorn alone:
so the site serves its public uploads, read-only, with caching headers a CDN or the browser can keep
(the files' names change when they change: Oscar and Wagtail add a suffix to a re-uploaded name).
Set ``MEDIA_SERVED_BY_DJANGO=False`` when a web server or object storage serves MEDIA_URL instead.
Sellers' documents live in PRIVATE_MEDIA_ROOT and are never reachable here.
"""
from django.conf import settings
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_public_media(request, path):
    response = serve(request, path, document_root=settings.MEDIA_ROOT)  # 404 outside MEDIA_ROOT or on a folder
    response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    return response
