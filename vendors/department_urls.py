from django.urls import path

from . import department_views

app_name = "payouts"

urlpatterns = [path("", department_views.BalanceListView.as_view(), name="list")]
