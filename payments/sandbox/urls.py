from django.urls import path

app_name = "vnpay_sandbox"
urlpatterns = []
