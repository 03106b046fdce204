"""The department's editors use Wagtail's admin in Vietnamese: Wagtail 8's own catalogue covers ~14 % of it, the
rest of what they see comes from catalogue/locale."""
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page

from marketplace.demo.users import department_group
from tests.e2e.helpers import english_on_page

pytestmark = pytest.mark.django_db


class _Text(HTMLParser):
    """The text a person sees: no scripts, styles, templates or screen-reader-only spans."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible(html):
    parser = _Text()
    parser.feed(re.sub(r"<div\b[^>]*\shidden>.*?</div>", " ", html, flags=re.S))  # hidden counters ("None")
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@pytest.fixture
def editor(client):
    home = Page.objects.filter(depth=2).first()
    home.title = "Trang chủ"  # Wagtail's default page is titled in English; content is not the admin's wording
    home.save_revision().publish()
    user = get_user_model().objects.create_user(username="bientap", email="bt@example.com", password="x")
    user.groups.add(department_group(home))
    client.force_login(user)
    return home


def test_the_cms_home_and_page_list_read_in_vietnamese(client, editor):
    home_page = client.get("/cms/").content.decode()
    assert re.search(r"\d+ trang", visible(home_page)) and " Pages" not in visible(home_page)
    for url in ("/cms/", f"/cms/pages/{editor.pk}/", "/cms/images/", "/cms/documents/"):
        text = visible(client.get(url).content.decode())
        assert english_on_page(text, allowed=["Wagtail"]) == [], url


def test_the_page_editor_reads_in_vietnamese(client, editor):
    edit = client.get(f"/cms/pages/{editor.pk}/edit/")
    assert edit.status_code == 200
    text = visible(edit.content.decode())
    for phrase in ("Xem lịch sử", "Chưa hẹn giờ đăng", "Ai cũng có thể sửa trang này", "Thống kê nội dung"):
        assert phrase in text, phrase
    for english in ("View history", "No publishing schedule set", "Anyone can edit", "Content metrics"):
        assert english not in text, english
