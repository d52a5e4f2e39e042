"""A unit's ledger book: the year's counts of every ledger it keeps, what is missing, the
units beneath it, and the printed book — in scope, audited, with a fixed number of queries."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from ledgers import book as books
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _visit(person, on):
    return people_services.visit_record(actor=SYSTEM, person=person, visited_on=on,
                                        worker_name="王专委", mode="home", findings="生活稳定")


@pytest.fixture
def register(tree):
    """In 东山根社区: two people registered (one last year), a need and a visit this year;
    in 高家庄村 one person and nothing else."""
    old = make_person(unit=tree.community, name="李旧", registered_on=dt.date(YEAR - 1, 3, 1))
    new = make_person(unit=tree.community, name="赵新", registered_on=dt.date(YEAR, 2, 1))
    people_services.need_create(actor=SYSTEM, person=new, type="relief",
                                registered_on=dt.date(YEAR, 2, 2))
    _visit(old, dt.date(YEAR, 3, 3))
    _visit(old, dt.date(YEAR - 1, 5, 5))
    make_person(unit=tree.village, name="钱村", registered_on=dt.date(YEAR, 1, 9))
    return tree


def _line(unit_book, key):
    return next(line for line in unit_book.lines if line.ledger.key == key)


def test_the_book_counts_each_ledger_of_each_village_for_the_year(register):
    tree = register
    book = books.unit_book(user=tree.township_officer, unit=tree.township, year=YEAR)
    # The township keeps its own books (the plan, the work record book, the meetings), not
    # the register's, which its villages keep.
    own_keys = {line.ledger.key for line in book.own.lines}
    assert {"plan", "workbook", "meetings"} <= own_keys and "register" not in own_keys
    community = next(ub for ub in book.children if ub.unit == tree.community)
    assert _line(community, "register").count == 2
    assert _line(community, "needs").count == 1
    assert _line(community, "visits").count == 1  # last year's visit is last year's
    village = next(ub for ub in book.children if ub.unit == tree.village)
    assert _line(village, "visits").count == 0
    assert _line(village, "visits").lacks == [f"{YEAR}年无记录"]
    assert not _line(village, "jobseekers").lacks  # no job seeker is not a shortfall
    assert any("走访记录" in text for text in village.missing)
    last_year = books.unit_book(user=tree.township_officer, unit=tree.township, year=YEAR - 1)
    community = next(ub for ub in last_year.children if ub.unit == tree.community)
    assert _line(community, "register").count == 1 and _line(community, "visits").count == 1


def test_the_page_links_each_count_to_its_list(register, client_for):
    tree = register
    response = client_for(tree.township_officer).get(reverse("ledgers:book"))
    assert response.status_code == 200
    page = response.content.decode()
    assert tree.community.name in page and tree.village.name in page
    assert f"{reverse('people:person_list')}?unit={tree.community.pk}" in page
    assert reverse("ledgers:book_unit", args=[tree.community.pk]) in page
    assert reverse("ledgers:book_pdf", args=[tree.township.pk]) in page


def test_another_township_s_book_is_404(register, client_for):
    client = client_for(tree_officer := register.township_officer)
    assert tree_officer.unit == register.township
    for name in ("ledgers:book_unit", "ledgers:book_pdf"):
        response = client.get(reverse(name, args=[register.other_township.pk]))
        assert response.status_code == 404, name


def test_a_user_without_any_ledger_gets_403(register, client_for):
    assert client_for(register.auditor).get(reverse("ledgers:book")).status_code == 403


def test_the_printed_book_has_a_chapter_per_unit_and_is_audited(register, client_for):
    from pypdf import PdfReader

    tree = register
    response = client_for(tree.township_officer).get(
        reverse("ledgers:book_pdf", args=[tree.township.pk]) + f"?year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert f"{YEAR}年度台账" in text
    assert "赵新" in text and "钱村" in text and "李旧" in text
    assert "东山根社区居民委员会" in text and "高家庄村民委员会" in text
    entry = AuditLog.objects.get(action=Action.EXPORT)
    assert entry.actor == tree.township_officer and entry.unit == tree.township
    assert entry.detail["year"] == YEAR


def test_the_page_s_queries_do_not_grow_with_the_villages(register, client_for,
                                                          django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tree = register
    client = client_for(tree.township_officer)
    url = reverse("ledgers:book")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        village = org_services.unit_create(actor=SYSTEM, parent=tree.township,
                                           level=Level.VILLAGE, code=f"62042210030{n}",
                                           name=f"新村{n}")
        person = make_person(unit=village, name=f"新{n}")
        _visit(person, dt.date(YEAR, 4, 1))
    with django_assert_max_num_queries(len(few)):
        page = client.get(url)
    assert "新村4" in page.content.decode()


@pytest.fixture
def kept(settings, tmp_path):
    """A document cache, as production has (the tests' own settings have none)."""
    settings.CACHES = {**settings.CACHES, "documents": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"documents-{tmp_path.name}"}}


def _typesetting_counted(monkeypatch):
    """The HTML of every document WeasyPrint typesets (core.pdf.typeset_pages is the one
    place it is called)."""
    from core import pdf

    calls = []
    real = pdf.typeset_pages

    def counted(html, **kwargs):
        calls.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "typeset_pages", counted)
    return calls


def test_a_reprint_typesets_only_the_chapter_that_changed(register, client_for, kept,
                                                          monkeypatch):
    tree = register
    calls = _typesetting_counted(monkeypatch)
    client = client_for(tree.township_officer)
    url = reverse("ledgers:book_pdf", args=[tree.township.pk])
    first = client.get(url)
    assert first.status_code == 200 and len(calls) == 4  # the front and three chapters
    calls.clear()
    assert client.get(url).status_code == 200
    assert len(calls) == 1  # the front (it carries the print date) and nothing else
    calls.clear()
    _visit(make_person(unit=tree.village, name="孙新"), dt.date(YEAR, 6, 1))
    again = client.get(url)
    assert len(calls) == 2 and "高家庄村民委员会" in calls[0] and "孙新" in calls[0]
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(again.content))
    assert [item.title for item in reader.outline] == [
        f"会师镇{YEAR}年台账", "1. 会师镇", "2. 东山根社区居民委员会", "3. 高家庄村民委员会"]


def test_a_long_book_is_typeset_in_the_background_with_its_progress(
        register, client_for, kept, settings, django_capture_on_commit_callbacks):
    tree = register
    settings.CANLIAN_BOOK_INLINE_CHAPTERS = 1  # three chapters: more than typeset inline
    client = client_for(tree.township_officer)
    url = reverse("ledgers:book_pdf", args=[tree.township.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "正在准备" in response.content.decode()
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()  # nothing given yet
    # The worker ran (the tests' task backend runs a task at once): the progress says so.
    progress = client.get(reverse("ledgers:book_progress", args=[tree.township.pk]))
    assert "台账本已准备好" in progress.content.decode()
    pdf = client.get(url)
    assert pdf["Content-Type"] == "application/pdf"
    assert AuditLog.objects.filter(action=Action.EXPORT).count() == 1
