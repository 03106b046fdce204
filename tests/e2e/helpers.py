"""Steps shared by the browser journeys: browser contexts, screenshots, logging in, checkout and payment on the
VNPay sandbox, the seller's fulfilment, downloads.

Each journey drives real pages; these helpers only spare the journeys from repeating the same clicks. The
CSP watch and the failure trace come from ``conftest.watched_contexts`` (every ``browser.new_context``).
"""
import io
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from PIL import Image

SCREENSHOTS = Path("test-results") / "screenshots"
DOWNLOADS = Path("test-results") / "downloads"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "Pw-e2e-journey-2025"


# ---------------------------------------------------------------- browser and pages


def new_page(browser, viewport=PHONE):
    """A fresh context (own cookies, own basket) in Vietnamese, Hà Tĩnh time; JS errors collected on the page."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                                  accept_downloads=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return context, page


def visible_text(page, selector="body"):
    return page.inner_text(selector).replace("\xa0", " ")


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def make_user(username, email, *groups, password=PASSWORD):
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def log_in(page, live_server, email, next_path, password=PASSWORD):
    """Through Oscar's real login form; the ``next`` parameter brings the user where they were going."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=login-username]", email)
    page.fill("input[name=login-password]", password)
    page.click("button[name=login_submit]")
    page.wait_for_url(f"**{next_path}")


def download(page, click, name=None):
    """Click something that downloads a file; return (suggested file name, bytes). Kept under test-results."""
    with page.expect_download() as info:
        click()
    dl = info.value
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    target = DOWNLOADS / (name or dl.suggested_filename)
    dl.save_as(str(target))
    return dl.suggested_filename, target.read_bytes()


# ---------------------------------------------------------------- language of a page

#: Common English words of interfaces that are never Vietnamese words (so "an", "do", "to", "me" are left out).
ENGLISH_WORDS = frozenset("""
    the and of with for from your this that these has have been was were will would should could not are is
    page pages save saved draft publish published unpublish edit edited delete deleted add added remove removed
    search settings images image documents document snippets snippet users user groups sites site workflow
    reports report dashboard orders order offers vouchers customers customer products product catalogue
    stock partner partners content welcome home back next previous cancel submit approve reject review
    status created updated date time total value seller sellers buyer buyers invoice invoices refund refunds
    payment payments shipping delivered shipped confirmed new pending waiting ready failed yes no none all
    view views show hide more less help history owner live privacy locked account password login logout
    sign out here there what when which who why how item items file files download upload prepare
""".split())
#: Words and names that are the same in Vietnamese text (brands, formats, codes).
ENGLISH_ALLOWED = frozenset({"ocop", "vnpay", "gmv", "xlsx", "csv", "pdf", "cod", "cms", "dti", "email", "e-mail",
                             "qr", "atm", "url", "mst", "htx", "r9", "plat"})
RAW_FIELD = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|:\s*(?:True|False|None)\b")


def english_on_page(text, allowed=()):
    """English interface words and raw field names (``ocop_code``, ``: False``) in a page's visible text.

    Returns the offending words (empty when the page reads as Vietnamese). Product names, e-mail addresses and
    URLs are left out; ``allowed`` adds words a page may show on purpose."""
    text = re.sub(r"\S+@\S+|https?://\S+|/[\w\-/.?=&%]+", " ", text)
    found = sorted(set(RAW_FIELD.findall(text)))
    skip = ENGLISH_ALLOWED | {word.lower() for word in allowed}
    for word in re.findall(r"[A-Za-z][A-Za-z'-]*", text):
        lower = word.lower().strip("'-")
        if lower in ENGLISH_WORDS and lower not in skip:
            found.append(word)
    return sorted(set(found))


def assert_vietnamese(page, allowed=()):
    """Fail with the words found when the visible page shows English or raw field names in Vietnamese mode."""
    words = english_on_page(visible_text(page), allowed)
    assert not words, f"{page.url} shows English or raw field names: {words}"


# ---------------------------------------------------------------- files a person would upload


def jpeg_file(path, colour=(200, 120, 30)):
    """A real, small JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def pdf_file(path):
    """A minimal, real one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    path.write_bytes(out.getvalue())
    return str(path)


# ---------------------------------------------------------------- the sandboxes


def use_sandboxes(settings, live_server):
    """VNPay and the e-invoice provider answer from the project's own emulators on the live server."""
    settings.VNPAY_PAYMENT_URL = live_server.url + "/sandbox/vnpay/paymentv2/vpcpay.html"
    settings.VNPAY_API_URL = live_server.url + "/sandbox/vnpay/merchant_webapi/api/transaction"
    settings.VNPAY_SANDBOX_IPN_BACKGROUND = False  # the IPN is sent before the return redirect
    settings.EINVOICE_PROVIDER_URL = live_server.url + "/sandbox/einvoice/api/"
    settings.EINVOICE_PROVIDER_MAX_RETRIES = 0
    # MSTTCGP of the marketplace's own e-invoice solution, as a deployment sets INVOICING_PROVIDER_TAX_CODE;
    # without it (the default is empty) an invoice of a seller who left the field blank is rejected.
    settings.INVOICING_PROVIDER_TAX_CODE = "0100000009"


def invoicing_profile(vendor, *, vat):
    """The seller signed the authorisation: the marketplace issues its invoices (see invoicing/)."""
    from django.utils import timezone

    from invoicing.models import SellerInvoicingProfile

    return SellerInvoicingProfile.objects.create(
        vendor=vendor, mode=SellerInvoicingProfile.MODE_AUTHORISED, vat_method="credit" if vat else "direct",
        management_code="HT" if vat else "HN", default_vat_rate="10%" if vat else "KCT",
        provider_tax_code="0100000009", authorised_at=timezone.now(),
        authorisation_scope="Hóa đơn điện tử cho các đơn hàng bán trên Chợ OCOP Hà Tĩnh")


# ---------------------------------------------------------------- shopping


def add_to_basket(page):
    page.locator("#add_to_basket_form button[type=submit], form[action*='/basket/add/'] button[type=submit]"
                 ).first.click()
    page.wait_for_load_state()


def fill_checkout(page, live_server, email, method="vnpay", prefix=None):
    """The one checkout page, as a guest on a phone: delivery, payment, then "Đặt hàng"."""
    page.goto(live_server.url + "/checkout/")
    page.fill("input[name=full_name]", "Nguyễn Thị Lan")
    page.fill("input[name=phone]", "0912345678")
    page.fill("input[name=email]", email)
    page.select_option("select[name=province]", "42")  # Hà Tĩnh: the script fills its wards
    page.locator("select[name=ward] option[value='18073']").wait_for(state="attached")
    page.select_option("select[name=ward]", "18073")  # Phường Thành Sen
    page.fill("input[name=street]", "12 Trần Phú")
    page.check(f"input[name=method][value={method}]")
    page.check("input[name=privacy_consent]")
    if prefix:
        shot(page, f"{prefix}-checkout")
    page.click("#place-order")


def checkout_as_guest(page, live_server, email, prefix=None):
    """Basket → the one checkout page → "Đặt hàng" with VNPay: ends on the VNPay sandbox page."""
    fill_checkout(page, live_server, email, "vnpay", prefix)
    page.wait_for_url("**/sandbox/vnpay/paymentv2/vpcpay.html*")


def pay_on_vnpay_sandbox(page, prefix=None):
    """The emulator's payment page: the test card pays; VNPay's IPN arrives, then the return page says paid."""
    if prefix:
        shot(page, f"{prefix}-vnpay-sandbox")
    page.click("button[name=outcome][value=success]")
    page.wait_for_url("**/payments/vnpay/return/*")
    assert page.locator("[data-outcome=paid]").is_visible(), visible_text(page)


def open_guest_order(page, email):
    """From the payment result to the order page: the guest confirms it with the e-mail (or phone) given."""
    page.click("text=Xem đơn hàng")
    page.fill("input[name=contact]", email)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_selector("#order-parts")


def order_part(page, vendor_name):
    return page.locator("#order-parts .order-part", has=page.get_by_role("link", name=vendor_name))


# ---------------------------------------------------------------- the seller's side of an order


def fulfil_in_browser(page, live_server, number, tracking_code, carrier="Viettel Post", prefix=None):
    """The seller's own order page: confirm → shipped with a tracking code → delivered."""
    page.goto(f"{live_server.url}/ban-hang/don-hang/")
    page.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/ban-hang/don-hang/{number}/")
    if prefix:
        shot(page, f"{prefix}-new")
    page.get_by_role("button", name="Xác nhận đơn hàng").click()
    page.wait_for_selector(".status--confirmed")
    form = page.locator("form:has(input[name=tracking_code])")
    form.locator("input[name=carrier]").fill(carrier)
    form.locator("input[name=tracking_code]").fill(tracking_code)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".status--shipped")
    assert tracking_code in visible_text(page, "main")
    if prefix:
        shot(page, f"{prefix}-shipped")
    page.locator("form:has(input[name=action][value=deliver]) button[type=submit]").click()
    page.wait_for_selector(".status--delivered")
    if prefix:
        shot(page, f"{prefix}-delivered")


def fulfil_over_http(user, number, tracking_code):
    """The same seller pages, posted by Django's test client (a second seller, without a second browser)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = f"/ban-hang/don-hang/{number}/"
    for data in ({"action": "confirm"}, {"action": "ship", "tracking_code": tracking_code, "carrier": "VNPost"},
                 {"action": "deliver"}):
        response = client.post(url, data)
        assert response.status_code == 302, (data, response.status_code, response.content[:500])
