from .forms import BrowseForm


def search_form(request):
    return {"search_form": BrowseForm(request.GET if request.path.startswith("/search") else None)}
