"""The trivial view of the load benchmark: the same few bytes on both stacks (bench/urls.py, bench/stock_oscar/urls.py).

It runs through the stack's whole middleware (sessions, CSRF, CSP, the anonymous page cache lookup, the
basket…) and returns text/plain, which the page cache never stores: the stack's ceiling.
"""
from django.http import HttpResponse


def trivial(request):
    return HttpResponse(b"ok", content_type="text/plain")
