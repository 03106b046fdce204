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
from django.urls import ResolverMatch
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


class PublicMediaMiddleware:
    """Answers /media/ before sessions, language, sign-in, basket and page cache run.

    A public picture is the same for every visitor: none of those layers has anything to add, and each
    costs CPU on what is most of a listing's requests (24 card pictures a page) — worse, the session read
    they trigger adds ``Vary: Cookie``, so a browser fetched every cached picture again whenever a cookie
    changed (the basket's, after "add to basket"). Anything this does not serve (a missing file, a folder,
    a path outside MEDIA_ROOT) falls through to the ordinary URL route, whose 404 page has its usual context.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix = settings.MEDIA_URL
        if (getattr(settings, "MEDIA_SERVED_BY_DJANGO", False) and prefix.startswith("/")
                and request.path_info.startswith(prefix) and request.method in ("GET", "HEAD")):
            path = request.path_info[len(prefix):]
            # what URL resolution would have found: logs and /metrics count it as the public-media view
            request.resolver_match = ResolverMatch(serve_public_media, (), {"path": path}, url_name="public-media",
                                                   route=prefix.lstrip("/") + "<path>")
            try:
                return serve_public_media(request, path)
            except (Http404, ValueError):  # ValueError: a NUL byte in the name
                request.resolver_match = None
        return self.get_response(request)
