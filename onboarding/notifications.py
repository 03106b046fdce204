"""E-mails to applicants and their assistants. Called after the transaction commits, never inside it:
a rolled-back approval must not have told anyone it happened."""
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from marketplace.public_url import absolute


def _site_url(path):
    return absolute(path)


def application_recipients(application):
    """The applicant's account, the e-mail on the application, and the assistant; each address once."""
    candidates = [
        application.applicant.email if application.applicant_id else "",
        application.email,
        application.assisted_by.email if application.assisted_by_id else "",
    ]
    seen, recipients = set(), []
    for address in candidates:
        if address and address.lower() not in seen:
            seen.add(address.lower())
            recipients.append(address)
    return recipients


def _send(template, context, recipients):
    if not recipients:
        return
    subject = " ".join(render_to_string(f"onboarding/emails/{template}_subject.txt", context).split())
    body = render_to_string(f"onboarding/emails/{template}_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def notify_status_change(*, application, event):
    context = {
        "application": application, "event": event, "shop_name": settings.OSCAR_SHOP_NAME,
        "status_url": _site_url(reverse("onboarding:status", kwargs={"pk": application.pk})),
    }
    _send(f"status_{event.to_status}", context, application_recipients(application))


def notify_account_created(*, application, user):
    """The assisted household's new account: a link to choose its password (Oscar's reset view)."""
    path = reverse("password-reset-confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    context = {"application": application, "user": user, "shop_name": settings.OSCAR_SHOP_NAME,
               "set_password_url": _site_url(path), "login_url": _site_url(reverse("customer:login"))}
    _send("account_created", context, [user.email])
