from django.conf import settings
from django.http import Http404
from django.utils import translation


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the visitor chose another language.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a phone set to English would
    get an English shop; the province wants Vietnamese first, with English only on request (the
    language switcher sets the cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class RejectNulInPathMiddleware:
    """A NUL character in the path is never a page: answer 404 before any view passes it to the database.

    PostgreSQL refuses NUL in text (``DataError``), so every view that looks a slug or id up from the path
    would answer 500 for ``/nguoi-ban/%00/``; no legitimate URL of the site contains one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("NUL in path")  # Django's handler turns it into the site's 404 page
        return self.get_response(request)
