from django.urls import path

from . import views

app_name = "vnpay_sandbox"
urlpatterns = [
    path("paymentv2/vpcpay.html", views.payment_page, name="pay"),
    path("merchant_webapi/api/transaction", views.api_transaction, name="api"),
]
