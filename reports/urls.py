from django.urls import path

from . import api, views

app_name = "reports"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("xuat/<str:fmt>/", views.ExportView.as_view(), name="export"),
    path("tep/", views.ExportListView.as_view(), name="export-list"),
    path("tep/<int:pk>/", views.ExportJobView.as_view(), name="export-job"),
    path("tep/<int:pk>/tai-xuong/", views.ExportDownloadView.as_view(), name="export-download"),
    path("chi-so/", views.IndicatorSheetView.as_view(), name="indicators"),
    path("tong-so-ocop/", views.CertifiedTotalView.as_view(), name="certified-totals"),
    path("api/v1/summary", api.SummaryApiView.as_view(), name="api-summary"),
    path("api/v1/indicators", api.IndicatorsApiView.as_view(), name="api-indicators"),
    path("api/v1/open-data.csv", api.OpenDataApiView.as_view(), name="api-open-data"),
]
