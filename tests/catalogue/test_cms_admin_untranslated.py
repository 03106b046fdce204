"""Every label of the Wagtail admin pages the department's editors use, rendered in Vietnamese, differs from the
same page rendered in English: a string left untranslated is identical in both renderings ("Locking:", "Just
now"). Labels are the visible text, screen-reader text, placeholders, tooltips, button values and the side
menu (drawn by JavaScript from JSON the page carries), also inside panels and dialogs a click opens; scripts
and styles are left out."""
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.users.models import UserProfile

from marketplace.demo.users import department_group
from privacy.models import PrivacyNotice

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
SKIPPED = {"script", "style", "noscript", "textarea", "svg"}  # <template>s hold dialogs the page shows
#: Names the editors typed or the site is called, the same in both languages (Vietnamese text is never taken
#: for English: see VIETNAMESE); "None" is the text of side-panel counters that Wagtail's script fills in.
CONTENT = {"None", "Lan", "mat-ong.png", "quy-che.pdf", "localhost", "Wagtail", "bientap", "bt@example.com"}
#: A label with a Vietnamese letter is Vietnamese, even when Wagtail keeps it so in the English rendering too
#: (menu items built once, e.g. "Có gì mới trong Wagtail 8.0").
VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.I)


class _Labels(HTMLParser):
    def __init__(self):
        super().__init__()
        self.labels, self.stack, self.sidebar = [], [], False

    @property
    def skipping(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.sidebar = attrs.get("id") == "wagtail-sidebar-props"
        skip = self.skipping or tag in SKIPPED
        if not skip:
            for name in ("placeholder", "title", "aria-label"):
                if attrs.get(name):
                    self.labels.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.labels.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.sidebar:
            found = re.findall(r'"(?:label|footer_text)": "((?:[^"\\]|\\.)*)"', data)
            self.labels += [json.loads(f'"{label}"') for label in found]
            self.sidebar = False
        elif not self.skipping:
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
    client.force_login(editor)
    return {"home": home, "editor": editor, "image": image, "document": document,
            "notice": PrivacyNotice.objects.order_by("pk").first()}


def editor_pages(cms):
    """Home (dashboard), the page explorer, a page's editor and history, snippets, images, documents, settings."""
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


#: Written in English in Wagtail's own templates, outside any translation: the screen-reader-only button of the
#: search box (wagtailadmin/home.html, shared/header.html), the header's aria-label (shared/headers/_actions.html)
#: and key names.
HARD_CODED = {"Search", "Actions"}
KEYS = re.compile(r"^(Ctrl|Alt|Shift|Cmd|Esc)\b[\w +,.]*$")


def untranslated(vi, en):
    return sorted(label for label in vi & en
                  if re.search(r"[A-Za-z]{2,}", label) and not VIETNAMESE.search(label)
                  and label not in CONTENT | HARD_CODED and not KEYS.match(label) and not label.startswith("Wagtail v"))


def test_every_label_an_editor_meets_is_translated(client, cms):
    found = {}
    for url in editor_pages(cms):
        vi, en = rendered(client, cms["editor"], "vi", url), rendered(client, cms["editor"], "en", url)
        assert len(en) > 20, url  # the page rendered, in English too
        if same := untranslated(vi, en):
            found[url] = same
    assert not found, "\n".join(f"{url}: {labels}" for url, labels in found.items())


def test_the_check_sees_a_label_left_in_english():
    """The comparison is real: a label missing from the Vietnamese catalogue is caught, content is not."""
    en = labels('<h2>Locking: <span hidden>None</span></h2><p title="Just now">Trang chủ</p>'
                '<template><button aria-label="Close dialog"></button></template>'
                '<script id="wagtail-sidebar-props">{"label": "Site history"}</script>')
    vi = labels('<h2>Locking: </h2><p title="Vừa xong">Trang chủ</p>'
                '<template><button aria-label="Close dialog"></button></template>'
                '<script id="wagtail-sidebar-props">{"label": "Site history"}</script>')
    assert untranslated(vi, en) == ["Close dialog", "Locking:", "Site history"]
