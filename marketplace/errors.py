"""The 500 page must render whatever broke.

Django's default handler loads ``500.html`` through the template engine: when the fault is the static
manifest (static files not collected) or a template tag, the error page fails too and the visitor gets a
bare "A server error occurred". This page needs nothing: no static files, no context processors, no
database; its logo is inline SVG and its style carries the request's CSP nonce when the middleware gave
the request one.
"""
from django.http import HttpResponseServerError
from django.template import loader

FALLBACK = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Lỗi máy chủ – Chợ OCOP Hà Tĩnh</title></head>
<body><h1>Đã xảy ra lỗi</h1><p>Hệ thống đang gặp sự cố. Vui lòng thử lại sau ít phút.</p>
<p lang="en">Something went wrong on our side. Please try again in a few minutes.</p>
<p><a href="/">Về trang chủ / Home</a></p></body></html>"""


def server_error(request, template_name="500.html"):
    try:
        lazy = getattr(request, "csp_nonce", None)  # django-csp: generated on first use (bool() is False until then)
        nonce = str(lazy) if lazy is not None else ""
    except Exception:  # noqa: BLE001 — a broken nonce must not break the error page
        nonce = ""
    try:
        body = loader.get_template(template_name).render({"csp_nonce": nonce})
    except Exception:  # noqa: BLE001 — the page of last resort
        body = FALLBACK
    return HttpResponseServerError(body)
