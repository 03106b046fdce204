"""Oscar's account views with the request passed to authenticate() (django-axes needs it), sign-in by
e-mail or mobile number, each role's landing page, and guests' order lookup in the site's design."""
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.customer import views as oscar_views
from oscar.apps.customer.mixins import RegisterUserMixin as OscarRegisterUserMixin
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_model

from accounts.forms import GuestOrderLookupForm, LoginForm, ProfileForm, RegistrationForm
from accounts.services import guest_order_find, landing_url
from privacy.models import ConsentRecord
from privacy.services import consent_record

Order = get_model("order", "Order")
#: Order numbers this browser session has proved it may see (number + phone or e-mail).
SESSION_KEY = "guest_orders"


class RegisterUserMixin(OscarRegisterUserMixin):
    """Oscar's registration, signing the new account in with the request: Oscar calls authenticate()
    without it, which django-axes' backend refuses (a 500 after the account was created)."""

    def register_user(self, form):
        user = form.save()
        consent_record(purpose=ConsentRecord.ACCOUNT, user=user)
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True) and user.email:
            self.send_registration_email(user)
        authenticated = authenticate(self.request, username=form.login_name(),
                                     password=form.cleaned_data["password1"])
        if authenticated is None:  # e.g. two accounts raced in with the same e-mail: sign in the one made here
            user.backend = "django.contrib.auth.backends.ModelBackend"
            authenticated = user
        auth_login(self.request, authenticated)
        return authenticated


class AccountAuthView(RegisterUserMixin, oscar_views.AccountAuthView):
    login_form_class = LoginForm
    registration_form_class = RegistrationForm

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(landing_url(request.user))
        return super().get(request, *args, **kwargs)

    def get_login_success_url(self, form):
        return form.cleaned_data["redirect_url"] or landing_url(form.get_user())


class AccountRegistrationView(RegisterUserMixin, oscar_views.AccountRegistrationView):
    form_class = RegistrationForm

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect(landing_url(request.user))
        return super().get(request, *args, **kwargs)


class ProfileUpdateView(oscar_views.ProfileUpdateView):
    form_class = ProfileForm


def _remember(request, order):
    numbers = [n for n in request.session.get(SESSION_KEY, []) if n != order.number][-9:]
    request.session[SESSION_KEY] = numbers + [order.number]
    # Oscar's own check (and the invoice links) read the order's e-mail from the session.
    request.session["anon_order_email"] = order.email


def _order_url(order):
    return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})


class GuestOrderLookupView(View):
    """Guests follow an order with its number and the phone number (or e-mail) they gave at checkout."""

    template_name = "accounts/order_lookup.html"

    def get(self, request, order_number=None, hash=None):
        initial = {"number": order_number or request.GET.get("so", "")}
        return self.render(GuestOrderLookupForm(initial=initial), order_number)

    def post(self, request, order_number=None, hash=None):
        data = request.POST.copy()
        if order_number:
            data["number"] = order_number
        if not data.get("contact") and data.get("email"):  # Oscar's form posted "email"
            data["contact"] = data["email"]
        form = GuestOrderLookupForm(data)
        if form.is_valid():
            order = guest_order_find(number=form.cleaned_data["number"], contact=form.cleaned_data["contact"])
            if order is not None:
                _remember(request, order)
                return redirect(_order_url(order))
            form.add_error(None, _("No order matches this number and phone number or e-mail. Check the order "
                                   "confirmation (e-mail or message) and try again. Orders placed while signed "
                                   "in are under Account › Orders."))
        return self.render(form, order_number, status=200)

    def render(self, form, order_number, status=200):
        return render(request=self.request, template_name=self.template_name, status=status,
                      context={"form": form, "fixed_number": order_number})


class AnonymousOrderDetailView(oscar_views.AnonymousOrderDetailView):
    """Oscar's guest order page, also open to a session that found the order by number and phone."""

    def get_object(self, queryset=None):
        order = super().get_object()
        if order is not None:
            return order
        if self.order_number in self.request.session.get(SESSION_KEY, []):
            order = Order.objects.filter(user=None, number=self.order_number).first()
            if order is not None and order.check_verification_hash(self.hash):
                return order
        return None


class LogoutView(oscar_views.LogoutView):
    """Signing out takes a POST from the site's own form: a GET (a link on another site, an image tag) only
    asks, so nobody can be signed out from elsewhere."""

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(settings.OSCAR_HOMEPAGE)
        return render(request, "accounts/logout_confirm.html")

    def post(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
