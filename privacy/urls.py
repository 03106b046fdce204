from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("chinh-sach-du-lieu-ca-nhan/", views.NoticeView.as_view(), name="notice"),
    path("tai-khoan/du-lieu-ca-nhan/", views.MyDataView.as_view(), name="my-data"),
    path("tai-khoan/du-lieu-ca-nhan/tai-ve.<str:fmt>", views.MyDataExportView.as_view(), name="my-data-export"),
    path("so-cong-thuong/du-lieu-ca-nhan/", views.RequestQueueView.as_view(), name="department-requests"),
    path("so-cong-thuong/du-lieu-ca-nhan/nhat-ky/", views.AccessLogView.as_view(), name="department-access-log"),
]
