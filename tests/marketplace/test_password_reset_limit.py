"""The password-reset form is rate limited where it really is (issue 15 point 11): it once sent 25 e-mails in
half a second because the limit guarded a URL that does not exist."""
import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_password_reset_posts_are_limited_per_address(client, settings, django_user_model):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/m"}
    django_user_model.objects.create_user(username="khach", email="khach@example.com", password="Dung-Mat-Khau-2026")
    url = reverse("password-reset")
    answers = [client.post(url, {"email": "khach@example.com"}, REMOTE_ADDR="203.0.113.7").status_code
               for _ in range(10)]
    assert answers[:3] == [302, 302, 302] and set(answers[3:]) == {429}
    assert len(mail.outbox) == 3
    # Another address may still ask; the limit is per client.
    assert client.post(url, {"email": "khach@example.com"}, REMOTE_ADDR="198.51.100.20").status_code == 302
