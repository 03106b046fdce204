"""Bad input campaign (hypothesis): the import command, the application form, search, the VNPay IPN, periods.

Every property is "a clear answer, never a traceback, nothing changed that should not be". Runs are
deterministic (``derandomize=True``: the examples derive from the test's code, not from a random seed),
bounded (``max_examples``) and have no deadline (SQLite on a shared CI runner is slow). Each example runs
in its own savepoint, rolled back afterwards, on the module's test world (``world.py``).
"""
import contextlib
import datetime
import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from oscar.core.loading import get_model

from catalogue.product_import import COLUMNS
from payments.models import Payment
from payments.vnpay import signing

from .conftest import client_for

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")

FUZZ = hsettings(max_examples=40, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large])
FEW = hsettings(FUZZ, max_examples=15)

#: Any text, minus NUL (the import's NUL handling is an explicit test below) and lone surrogates.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
NASTY = st.sampled_from([
    "'; DROP TABLE catalogue_product; --", "\" OR 1=1 --", "%", "_", "\\", "*", "?", "~", "\"unclosed",
    "(a OR b) AND NOT c", "name:* AND title:[* TO *]", "<script>alert(1)</script>", "{{ 7*7 }}", "${7*7}",
    "\u202e\u0301\u200b", "Đặc sản Hà Tĩnh 🍯", "a" * 1500, "\t\r\n", "0x7fffffff", "-1", "1e309", "NaN",
    "../../etc/passwd", "%00", "&amp;", "\ufeff", "ǅ", "ﬀ", "Ⅻ"])
ANY_TEXT = st.one_of(TEXT, NASTY)


@contextlib.contextmanager
def rolled_back():
    """One example's changes, undone (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def state_snapshot():
    return (Product.objects.count(), get_model("partner", "StockRecord").objects.count(),
            get_model("catalogue", "OcopCertificate").objects.count())


# --- import_ocop_products -------------------------------------------------------------------------
def good_row(**overrides):
    row = {"product_code": "FZ-0001", "name": "Kẹo cu đơ Fuzz", "ocop_code": "I.3.b", "seller_code": "SEC-A",
           "commune": "18073", "price": "150000", "stock": "25", "unit": "hộp", "typical_specialty": "có",
           "stars": "", "certificate_number": "", "certificate_issuer": "", "certificate_issue_date": "",
           "certificate_expiry_date": "", "other_certifications": "", "description": "Kẹo"}
    row.update(overrides)
    return row


def run_import(path):
    """(exit: "ok" | the CommandError message, stdout, stderr); any other exception propagates (a bug)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_ocop_products", str(path), stdout=out, stderr=err)
    except CommandError as exc:
        return str(exc), out.getvalue(), err.getvalue()
    return "ok", out.getvalue(), err.getvalue()


def assert_clear_refusal_or_import(path):
    before = state_snapshot()
    outcome, out, err = run_import(path)
    if outcome == "ok":
        assert "Imported" in out
    else:
        assert outcome.strip(), "a refusal must say why"
        assert "Traceback" not in outcome + err
        assert state_snapshot() == before, f"refused ({outcome}) but something was imported"
    return outcome


ROWS = st.lists(st.fixed_dictionaries({column: ANY_TEXT for column in COLUMNS}), min_size=1, max_size=4)
MIXED_ROWS = st.lists(st.builds(lambda base, junk: {**base, **junk}, st.just(good_row()),
                                st.dictionaries(st.sampled_from(COLUMNS), ANY_TEXT, max_size=3)),
                      min_size=1, max_size=4)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1", "utf-32"])


@FUZZ
@given(rows=st.one_of(ROWS, MIXED_ROWS), encoding=ENCODINGS, delimiter=st.sampled_from([",", ";", "\t", "|"]),
       header_junk=st.booleans())
def test_import_csv_with_random_rows_and_encodings(world, rows, encoding, delimiter, header_junk):
    with rolled_back(), tempfile.TemporaryDirectory() as tmp:
        buffer = io.StringIO()
        columns = COLUMNS + (["Ghi chú\x01"] if header_junk else [])
        writer = csv.DictWriter(buffer, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        path = Path(tmp) / "ocop.csv"
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
        assert_clear_refusal_or_import(path)


XLSX_CELL = st.one_of(ANY_TEXT, st.integers(-2**63, 2**63), st.floats(allow_nan=True, allow_infinity=True),
                      st.booleans(), st.none(), st.dates(), st.datetimes())


@FEW
@given(cells=st.lists(st.lists(XLSX_CELL, min_size=0, max_size=len(COLUMNS) + 2), min_size=1, max_size=4),
       with_good=st.booleans())
def test_import_xlsx_with_random_cells(world, cells, with_good):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    with rolled_back(), tempfile.TemporaryDirectory() as tmp:
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(COLUMNS)
        if with_good:
            sheet.append([good_row()[c] for c in COLUMNS])
        for row in cells:  # openpyxl itself refuses control characters in cells: Excel cannot hold them
            sheet.append([ILLEGAL_CHARACTERS_RE.sub("?", v) if isinstance(v, str) else v for v in row])
        path = Path(tmp) / "ocop.xlsx"
        workbook.save(path)
        assert_clear_refusal_or_import(path)


@FEW
@given(content=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx", ".xlsm", ".txt", ""]))
@example(content=b"PK\x03\x04" + b"\x00" * 100, suffix=".xlsx")  # a zip header and nothing else
@example(content=b"\xef\xbb\xbf", suffix=".csv")  # a BOM and nothing else
def test_import_garbage_files_are_refused_with_a_message(world, content, suffix):
    with rolled_back(), tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"ocop{suffix}"
        path.write_bytes(content)
        assert_clear_refusal_or_import(path)


def write_rows_csv(tmp, rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    path = Path(tmp) / "ocop.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path




@pytest.mark.parametrize("column, size", [
    ("name", 1_000_000),
    ("description", 2_000_000),
    ("name", 100_000), ("description", 120_000), ("product_code", 70_000),
    ("certificate_issuer", 300), ("unit", 5000), ("commune", 100_000)])
def test_huge_cells_get_a_clear_message_or_a_clean_import(world, tmp_path, column, size):
    overrides = {column: "Ắ" * size}
    if column == "certificate_issuer":
        overrides.update(stars="3", certificate_number="FZ/QĐ-1", certificate_issue_date="01/06/2025")
    outcome = assert_clear_refusal_or_import(write_rows_csv(tmp_path, [good_row(**overrides)]))
    if column in ("name", "product_code", "commune"):
        assert outcome != "ok" and "invalid" in outcome
    if column == "certificate_issuer" and outcome == "ok":
        assert len(get_model("catalogue", "OcopCertificate").objects.get(number="FZ/QĐ-1").issuing_body) <= 255


def test_a_huge_file_of_rows_is_refused_by_line(world, tmp_path):
    rows = [good_row(product_code=f"FZ-{n:05d}", price="abc" if n == 2500 else "1000") for n in range(3000)]
    outcome, _out, err = run_import(write_rows_csv(tmp_path, rows))
    assert "1 of 3000 rows are invalid" in outcome and "2502" in err  # line 2502: header + 2501 rows before it
    assert not Product.objects.filter(upc__startswith="FZ-").exists()


def test_an_absurd_stock_is_a_line_error(world, tmp_path):
    outcome, _out, err = run_import(write_rows_csv(tmp_path, [good_row(stock="99999999999")]))
    assert outcome != "ok" and "stock" in err
    assert not Product.objects.filter(upc="FZ-0001").exists()


def test_nul_characters_in_a_cell_are_a_line_error(world, tmp_path):
    try:
        outcome, _out, err = run_import(write_rows_csv(tmp_path, [good_row(name="Kẹo\x00cu đơ")]))
    except ValueError as exc:  # PostgreSQL's driver
        pytest.fail(f"traceback: {exc}")
    assert outcome != "ok"
    assert not Product.objects.filter(upc="FZ-0001").exists()


# --- the seller application form -----------------------------------------------------------------
def step_fields():
    from onboarding.forms import AddressForm, BankForm, ContactForm, IdentityForm, ProductForm

    return {"loai-hinh": IdentityForm, "nguoi-dai-dien": ContactForm, "dia-chi": AddressForm,
            "ngan-hang": BankForm, "san-pham": ProductForm}


STEP_DATA = st.sampled_from(["loai-hinh", "nguoi-dai-dien", "dia-chi", "ngan-hang", "san-pham"]).flatmap(
    lambda step: st.tuples(st.just(step), st.fixed_dictionaries(
        {name: ANY_TEXT for name in step_fields()[step].base_fields}), st.booleans()))


@FUZZ
@given(data=STEP_DATA)
@example(data=("loai-hinh", {"seller_type": "cooperative", "legal_name": "x" * 5000, "tax_code": "0" * 5000}, False))
@example(data=("san-pham", {"name": "Kẹo", "classification": "999999999999999999999", "stars": "1e9",
                            "certificate_number": "", "certificate_issue_date": "31/02/2025",
                            "certificate_expiry_date": "99/99/9999"}, True))
def test_application_steps_never_fail_on_random_text(world, data):
    step, fields, stay = data
    client = client_for(world, "shopper")
    url = reverse("onboarding:step", kwargs={"pk": world["draft"].pk, "step": step})
    payload = {**fields, **({"stay": "1"} if stay else {})}
    with rolled_back():
        response = client.post(url, payload)
        assert response.status_code in (200, 302), (step, response.status_code)
        if response.status_code == 200:
            assert b"errorlist" in response.content or b"invalid-feedback" in response.content or \
                   b"alert" in response.content, "a form sent back must say what is wrong"


@FEW
@given(kind=ANY_TEXT, name=ANY_TEXT, content=st.binary(max_size=3000))
def test_document_step_never_fails_on_random_uploads(world, kind, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world, "shopper")
    url = reverse("onboarding:step", kwargs={"pk": world["draft"].pk, "step": "tai-lieu"})
    with rolled_back():
        before = world["draft"].documents.count()
        response = client.post(url, {"kind": kind or "other", "file": SimpleUploadedFile(name or "x", content)})
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert world["draft"].documents.count() == before


# --- search ---------------------------------------------------------------------------------------
FACETS = st.dictionaries(
    st.sampled_from(["group", "district", "stars", "specialty", "in_stock", "seller_type", "commune", "category",
                     "price", "sort", "page", "selected_facets", "q"]),
    st.one_of(ANY_TEXT, st.integers(-2**70, 2**70).map(str)), max_size=6)


@FUZZ
@given(q=ANY_TEXT, facets=FACETS, path=st.sampled_from(["/search/", "/catalogue/", "/search/suggest/"]))
@example(q="a" * 1200, facets={}, path="/search/")
@example(q="' OR '1'='1", facets={"category": "1 OR 1=1", "page": "999999999999"}, path="/search/")
@example(q="title:(kẹo AND \"cu đơ\"~2)^3 OR /.*/", facets={"stars": "6", "price": "-1"}, path="/search/")
@example(q="%_%", facets={"page": "0"}, path="/catalogue/")
def test_search_answers_every_query(world, q, facets, path):
    response = client_for(world, "anonymous").get(path, {**facets, "q": q})
    assert response.status_code in (200, 404) if "page" in facets else response.status_code == 200, \
        (path, q[:80], facets, response.status_code)


# --- the VNPay IPN --------------------------------------------------------------------------------
@pytest.fixture
def pending_payment(world):
    """A VNPay payment waiting for its IPN: a guest's order of seller A's product, through the checkout."""
    from django.test import Client

    from tests.checkout import place_order

    order, _redirect = place_order(Client(), [(world["product"], 1)], "vnpay")
    return Payment.objects.get(order=order)


def paid_state(payment):
    payment.refresh_from_db()
    return payment.status, payment.events.count()


def valid_ipn(payment, **overrides):
    params = {"vnp_Amount": str(payment.amount * 100), "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP1",
              "vnp_CardType": "ATM", "vnp_OrderInfo": "Thanh toan", "vnp_PayDate": "20261127103000",
              "vnp_ResponseCode": "00", "vnp_TmnCode": settings.VNPAY_TMN_CODE, "vnp_TransactionNo": "14226112",
              "vnp_TransactionStatus": "00", "vnp_TxnRef": payment.txn_ref}
    params.update(overrides)
    return params


def send_ipn(params, sign=True, secret=None):
    if sign:
        query, secure_hash = signing.sign_params(params, secret or settings.VNPAY_HASH_SECRET)
        query = f"{query}&vnp_SecureHash={secure_hash}"
    else:
        from urllib.parse import urlencode

        query = urlencode(params)
    response = client_for(None, "anonymous").get(f"/payments/vnpay/ipn/?{query}")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"RspCode", "Message"} and body["RspCode"] in {"00", "01", "02", "04", "97", "99"}, body
    return body["RspCode"]


VNP_KEYS = ["vnp_Amount", "vnp_BankCode", "vnp_BankTranNo", "vnp_CardType", "vnp_OrderInfo", "vnp_PayDate",
            "vnp_ResponseCode", "vnp_TmnCode", "vnp_TransactionNo", "vnp_TransactionStatus", "vnp_TxnRef",
            "vnp_SecureHash", "vnp_SecureHashType"]


@FUZZ
@given(params=st.dictionaries(st.one_of(st.sampled_from(VNP_KEYS), ANY_TEXT), ANY_TEXT, max_size=14))
@example(params={})
@example(params={"vnp_SecureHash": "0" * 128})
@example(params={"vnp_SecureHash": "zz", "vnp_TxnRef": "1", "vnp_Amount": "-1"})
def test_unsigned_or_garbled_ipn_is_refused_and_pays_nothing(pending_payment, params):
    before = paid_state(pending_payment)
    with rolled_back():
        code = send_ipn(params, sign=False)
        assert code in {"97", "99"}, code
        assert paid_state(pending_payment) == before


@FUZZ
@given(overrides=st.fixed_dictionaries({}, optional={
    "vnp_Amount": st.one_of(ANY_TEXT, st.integers(-10**20, 10**20).map(str)),
    "vnp_TxnRef": ANY_TEXT, "vnp_ResponseCode": ANY_TEXT, "vnp_TransactionStatus": ANY_TEXT,
    "vnp_PayDate": ANY_TEXT, "vnp_TmnCode": ANY_TEXT, "vnp_TransactionNo": ANY_TEXT}),
    wrong_secret=st.booleans())
def test_signed_ipn_with_random_values_never_fails(pending_payment, overrides, wrong_secret):
    """A correctly signed IPN with nonsense values gets a VNPay code; only the exact payment is ever paid."""
    params = valid_ipn(pending_payment, **overrides)
    exact = not wrong_secret and params["vnp_TxnRef"] == pending_payment.txn_ref and params["vnp_Amount"] == str(
        pending_payment.amount * 100) and params["vnp_ResponseCode"] == "00" and params[
        "vnp_TransactionStatus"] == "00" and params["vnp_TmnCode"] == settings.VNPAY_TMN_CODE
    with rolled_back():
        code = send_ipn(params, secret="WRONG-SECRET-0123456789ABCDEFGHIJ" if wrong_secret else None)
        pending_payment.refresh_from_db()
        if wrong_secret:
            assert code == "97"
        ours = params["vnp_TxnRef"] == pending_payment.txn_ref and params["vnp_Amount"] == str(
            pending_payment.amount * 100)
        if code == "00":  # VNPay's "received and recorded": a success or a failure, for this very payment
            assert ours and not wrong_secret
        if pending_payment.status == Payment.PAID:
            assert exact and code == "00", "paid by an IPN that was not the exact, successful one"


def test_replayed_ipn_pays_once_and_answers_02(pending_payment):
    params = valid_ipn(pending_payment)
    assert send_ipn(params) == "00"
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.PAID
    events = paid_state(pending_payment)
    for _ in range(3):
        assert send_ipn(params) == "02"
    assert paid_state(pending_payment) == events
    assert send_ipn({**params, "vnp_Amount": "100"}) in {"04", "02"}  # a tampered replay: never re-paid
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.PAID


def test_ipn_only_answers_get(pending_payment):
    response = client_for(None, "anonymous").post("/payments/vnpay/ipn/", valid_ipn(pending_payment))
    assert response.status_code == 405
    pending_payment.refresh_from_db()
    assert pending_payment.status == Payment.PENDING


# --- report and export periods ---------------------------------------------------------------------
#: Dates the period parser may meet; the calendar's two ends are explicit tests below (EXTREME_PERIODS).
DATE_TEXT = st.one_of(ANY_TEXT, st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 1, 1))
                      .map(lambda d: d.strftime("%d/%m/%Y")),
                      st.sampled_from(["31/02/2026", "00/00/0000", "29/02/2025", "01/13/2026", "1/1/1",
                                       "2026-1-1", "32/01/2026", "-1", ""]))
PERIOD_URLS = [("seller_a", "seller:statement"), ("seller_a", "invoices:export")]


@FUZZ
@given(date_from=DATE_TEXT, date_to=DATE_TEXT, fmt=st.sampled_from(["", "csv", "xlsx", "pdf", "json", "x" * 50]),
       which=st.sampled_from(PERIOD_URLS))
def test_period_parameters_never_fail(world, date_from, date_to, fmt, which):
    role, name = which
    response = client_for(world, role).get(reverse(name), {"from": date_from, "to": date_to, "format": fmt})
    assert response.status_code in (200, 400), (name, date_from, date_to, fmt, response.status_code)


def report_urls():
    """The department's report pages and exports (reports/urls.py), when that app has them."""
    from django.urls import get_resolver

    try:
        namespace = get_resolver().namespace_dict["reports"][1]
    except KeyError:
        return []
    return [f"reports:{p.name}" for p in namespace.url_patterns
            if getattr(p, "name", None) and not p.pattern.regex.groupindex and "api" not in p.name]


@FEW
@given(params=st.dictionaries(st.sampled_from(["from", "to", "period", "year", "month", "quarter", "format",
                                               "compare", "district", "group"]), DATE_TEXT, max_size=5))
def test_report_parameters_never_fail(world, params):
    urls = report_urls()
    if not urls:
        pytest.skip("reports/urls.py has no pages yet")
    for name in urls:
        response = client_for(world, "department").get(reverse(name), params)
        assert response.status_code in (200, 302, 400), (name, params, response.status_code)


EXTREME_PERIODS = [("", "31/12/9999"), ("01/01/0001", ""), ("01/01/0001", "31/12/9999"), ("9999-12-31", "0001-01-01")]






@pytest.mark.parametrize("name", ["seller:statement", "invoices:export"])
@pytest.mark.parametrize("date_from, date_to", EXTREME_PERIODS)
@pytest.mark.parametrize("fmt", ["", "csv"])
def test_the_ends_of_the_calendar_are_a_normal_answer(world, name, date_from, date_to, fmt, request):
    response = client_for(world, "seller_a").get(reverse(name), {"from": date_from, "to": date_to, "format": fmt})
    assert response.status_code in (200, 400), response.status_code
