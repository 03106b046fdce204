"""Placeholder wired by the project; the app fills it in."""
app_name = "seller_reports"
urlpatterns = []
