"""Every visible label of the Wagtail admin pages the department's editors use, rendered in Vietnamese, differs
from the same page rendered in English: a string left untranslated is the same in both ("Locking:", "Just now")."""
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.files.base import ContentFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.users.models import UserProfile

from marketplace.demo.users import department_group
from privacy.models import PrivacyNotice

pytestmark = pytest.mark.django_db


class _Labels(HTMLParser):
    """Visible text nodes, placeholders, tooltips and button values, one label per line of text."""

    HIDDEN = {"script", "style", "template", "noscript", "textarea"}

    def __init__(self):
        super().__init__()
        self.labels, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.labels.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.labels.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.labels.extend(data.splitlines())


def labels(html):
    parser = _Labels()
    parser.feed(html)
    return {re.sub(r"\s+", " ", label).strip() for label in parser.labels} - {""}


def png():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 120, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def cms(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    home = Page.objects.filter(depth=2).first()
    home.title = "Trang chủ"
    home.save_revision().publish()
    editor = get_user_model().objects.create_user(username="bientap", email="bt@example.com", password="x",
                                                  first_name="Lan", last_name="Trần")
    editor.groups.add(department_group(home))
    image = get_image_model().objects.create(title="Ảnh mật ong", file=ImageFile(io.BytesIO(png()), name="mat-ong.png"))
    document = get_document_model().objects.create(title="Quy chế sàn")
    document.file.save("quy-che.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    notice = PrivacyNotice.objects.order_by("pk").first()
    client.force_login(editor)
    return {"home": home, "editor": editor, "image": image, "document": document, "notice": notice}


def editor_pages(cms):
    home, image, document, notice = cms["home"], cms["image"], cms["document"], cms["notice"]
    return ["/cms/", "/cms/pages/", f"/cms/pages/{home.pk}/", f"/cms/pages/{home.pk}/edit/",
            f"/cms/pages/{home.pk}/history/", "/cms/snippets/", "/cms/snippets/privacy/privacynotice/",
            f"/cms/snippets/privacy/privacynotice/edit/{notice.pk}/", "/cms/images/", f"/cms/images/{image.pk}/",
            "/cms/documents/", f"/cms/documents/edit/{document.pk}/", "/cms/settings/cms/departmentcontact/"]


def rendered(client, user, language, url):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return labels(response.content.decode())


def test_explore(client, cms):
    found = {}
    for url in editor_pages(cms):
        vi, en = rendered(client, cms["editor"], "vi", url), rendered(client, cms["editor"], "en", url)
        same = sorted(label for label in vi & en if re.search(r"[A-Za-z]{2,}", label))
        found[url] = same
    for url, same in found.items():
        print("\n##", url)
        for label in same:
            print("   ", repr(label))
    assert False
