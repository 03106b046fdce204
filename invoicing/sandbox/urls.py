"""Placeholder wired by the project; the app fills it in."""
app_name = "einvoice_sandbox"
urlpatterns = []
