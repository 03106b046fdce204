"""Public uploads (product pictures, sellers' logos) served by the site itself.

Production has no `runserver` to serve MEDIA_ROOT, and the province may run the site with gunicorn alone:
so the site serves its public uploads, read-only, with caching headers a CDN or the browser can keep
(the files' names change when they change: Oscar and Wagtail add a suffix to a re-uploaded name).
With object storage (MEDIA_STORAGE=s3) the file is streamed from the bucket, so every node serves every
upload. Set ``MEDIA_SERVED_BY_DJANGO=False`` when a web server, the bucket or a CDN serves MEDIA_URL instead.
Sellers' documents live in private storage and are never reachable here.
"""
import mimetypes
import posixpath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe
from django.views.static import serve


@require_safe
def serve_public_media(request, path):
    if isinstance(default_storage, FileSystemStorage):
        response = serve(request, path, document_root=settings.MEDIA_ROOT)  # 404 outside MEDIA_ROOT or on a folder
    else:
        name = posixpath.normpath(path).lstrip("/")
        if name != path or name.startswith("..") or path.endswith("/"):
            raise Http404
        try:
            handle = default_storage.open(name, "rb")
        except (FileNotFoundError, OSError):
            raise Http404 from None
        response = FileResponse(handle, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    return response
