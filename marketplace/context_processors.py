from django.conf import settings
from django.utils.functional import SimpleLazyObject


def storefront(request):
    """Languages for the switcher; the department flag (lazy: one query, only where a page asks)."""
    from marketplace.roles import is_department

    user = getattr(request, "user", None)
    return {"languages": settings.LANGUAGES,
            "is_department": SimpleLazyObject(lambda: bool(user is not None and is_department(user)))}
