"""Year files are prepared in the background: asked for → waiting → built by the worker → downloaded; the same file
is handed out again until the data changes, and a change makes a new one. A month is answered at once."""
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from reports.jobs import exports_run_pending
from reports.models import ReportExport
from tests.reports.fixtures import build_marketplace, department_user

pytestmark = pytest.mark.django_db

YEAR = "period=year&year=2026"


@pytest.fixture
def market():
    return build_marketplace()


@pytest.fixture
def dept(client):
    client.force_login(department_user())
    return client


def test_a_month_is_answered_at_once(dept, market):
    response = dept.get("/bao-cao/xuat/xlsx/", {"period": "month", "month": "03/2026"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('20260301-20260331.xlsx"')
    assert not ReportExport.objects.exists()


def test_year_export_lifecycle_request_progress_ready_download(dept, market):
    # The dashboard of a year offers to prepare files (forms), not direct links.
    page = dept.get(f"/bao-cao/?{YEAR}").content.decode()
    assert 'action="/bao-cao/xuat/xlsx/?period=year&amp;from=01%2F01%2F2026&amp;to=31%2F12%2F2026"' in page
    assert 'href="/bao-cao/xuat/xlsx/' not in page
    # A GET of the year file explains and offers the button; nothing is queued by looking.
    prepare = dept.get(f"/bao-cao/xuat/xlsx/?{YEAR}")
    assert prepare.status_code == 200 and "Chuẩn bị tệp" in prepare.content.decode()
    assert not ReportExport.objects.exists()

    response = dept.post(f"/bao-cao/xuat/xlsx/?{YEAR}")
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bao-cao/tep/{export.pk}/"
    waiting = dept.get(response["Location"]).content.decode()
    assert 'data-status="pending"' in waiting and "Đang chờ" in waiting
    assert 'data-working' in waiting and "reports/js/export_job" in waiting and '<progress max="100" value="0"' in waiting
    assert "http-equiv" not in waiting  # no self-reloading page (WCAG 2.2.1): a script polls it instead
    assert dept.get(f"/bao-cao/tep/{export.pk}/tai-xuong/").status_code == 404  # not ready yet

    assert exports_run_pending() == [(export.pk, ReportExport.READY)]  # what the worker / scheduler runs
    ready = dept.get(f"/bao-cao/tep/{export.pk}/").content.decode()
    assert 'data-status="ready"' in ready and "data-working" not in ready and "export_job" not in ready
    assert f'href="/bao-cao/tep/{export.pk}/tai-xuong/"' in ready
    download = dept.get(f"/bao-cao/tep/{export.pk}/tai-xuong/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-20260101-20261231.xlsx"'
    book = load_workbook(io.BytesIO(download.content))
    assert len(book.sheetnames) > 1
    # Listed among the prepared files.
    assert f'href="/bao-cao/tep/{export.pk}/"' in dept.get("/bao-cao/tep/").content.decode()


def test_the_same_file_is_reused_until_the_data_changes(dept, market):
    first = dept.post(f"/bao-cao/xuat/pdf/?{YEAR}")["Location"]
    assert dept.post(f"/bao-cao/xuat/pdf/?{YEAR}")["Location"] == first  # still waiting: the same job
    exports_run_pending()
    assert dept.post(f"/bao-cao/xuat/pdf/?{YEAR}")["Location"] == first  # ready: handed out again
    assert dept.get(f"/bao-cao/xuat/pdf/?{YEAR}").status_code == 200
    assert ReportExport.objects.count() == 1

    # A seller's part changes: the ready file says so, and asking again makes a new one.
    from vendors.models import Fulfilment

    part = Fulfilment.objects.filter(status=Fulfilment.SHIPPED).first()
    part.status = Fulfilment.DELIVERED
    part.save()
    assert "Dữ liệu đã thay đổi" in dept.get(first).content.decode()
    second = dept.post(f"/bao-cao/xuat/pdf/?{YEAR}")["Location"]
    assert second != first and ReportExport.objects.count() == 2
    exports_run_pending()
    body = dept.get(second + "tai-xuong/").content
    assert body.startswith(b"%PDF")
    # Another format is another file.
    dept.post(f"/bao-cao/xuat/csv/?{YEAR}")
    assert ReportExport.objects.count() == 3


def test_a_failed_build_is_reported_and_a_new_request_starts_again(dept, market, monkeypatch):
    from reports import jobs

    dept.post(f"/bao-cao/xuat/xlsx/?{YEAR}")

    def broken(fmt, report):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "render", broken)
    [(pk, status)] = exports_run_pending()
    assert status == ReportExport.FAILED
    page = dept.get(f"/bao-cao/tep/{pk}/").content.decode()
    assert "Chưa chuẩn bị được tệp" in page and "disk full" not in page
    monkeypatch.undo()
    again = dept.post(f"/bao-cao/xuat/xlsx/?{YEAR}")["Location"]
    assert again != f"/bao-cao/tep/{pk}/"
    exports_run_pending()
    assert 'data-status="ready"' in dept.get(again).content.decode()


def test_a_job_is_built_once_even_if_two_workers_take_it(dept, market):
    from reports.jobs import export_build

    dept.post(f"/bao-cao/xuat/csv/?{YEAR}")
    export = ReportExport.objects.get()
    assert export_build(export_id=export.pk) == ReportExport.READY
    finished = ReportExport.objects.get().finished_at
    assert export_build(export_id=export.pk) == ReportExport.READY  # the second worker finds it done
    assert ReportExport.objects.get().finished_at == finished


def test_the_scheduler_runs_the_export_sweeper(settings):
    from marketplace.celery import app
    from marketplace.scheduler import jobs as scheduled

    app.loader.import_default_modules()
    assert "reports.run_exports" in app.tasks and "reports.build_export" in app.tasks
    assert dict(scheduled())["reports.run_exports"] <= 5  # without Redis: within a few seconds


@pytest.mark.parametrize("url", ["/bao-cao/tep/", "/bao-cao/tep/{pk}/", "/bao-cao/tep/{pk}/tai-xuong/"])
def test_prepared_files_are_for_the_department_only(client, market, url):
    client.force_login(department_user("dept-a"))
    client.post(f"/bao-cao/xuat/csv/?{YEAR}")
    exports_run_pending()
    url = url.format(pk=ReportExport.objects.get().pk)
    client.logout()
    assert client.get(url).status_code == 302
    shopper = get_user_model().objects.create_user(username="s", email="s@example.com", password="x")
    for user in (shopper, market["seller_a"]):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(department_user("dept-b"))  # any department user: the files hold aggregates only
    assert client.get(url).status_code == 200
    client.logout()
    assert client.post(f"/bao-cao/xuat/csv/?{YEAR}").status_code == 302  # to the login, nothing queued
    assert ReportExport.objects.count() == 1


def test_a_bad_period_is_refused_without_a_job(dept, market):
    response = dept.post("/bao-cao/xuat/xlsx/?period=year&year=abc")
    assert response.status_code == 400 and not ReportExport.objects.exists()
    assert dept.post("/bao-cao/xuat/docx/?period=year&year=2026").status_code == 404


def test_a_rollup_refresh_draws_the_charts_people_open_first(market):
    from django.core.cache import cache
    from django.utils import timezone

    from reports.periods import Period
    from reports.selectors import report_cache_key
    from reports.tasks import refresh_rollups

    cache.clear()
    refresh_rollups.apply()
    today = timezone.localdate()
    month = Period.month(today.year, today.month)
    assert cache.get(report_cache_key(month, ":svg:vi")) is not None  # the dashboard's charts
    assert cache.get(report_cache_key(month, ":png90:vi")) is not None  # the month's XLSX
