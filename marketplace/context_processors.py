from django.conf import settings


def storefront(request):
    return {"languages": settings.LANGUAGES}
