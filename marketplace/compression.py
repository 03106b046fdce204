"""gzip for what compresses: HTML, JSON, XML, CSV, scripts, SVG.

Django's GZipMiddleware compresses every streamed response whatever it holds, so the pictures the site
serves from /media/ (JPEG, PNG, WebP: already compressed) went through zlib on every request for nothing
but CPU and a ``Vary: Accept-Encoding``.
"""
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "application/xhtml+xml",
                "application/ld+json", "application/manifest+json", "image/svg+xml")


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
