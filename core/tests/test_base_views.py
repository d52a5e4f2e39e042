"""The base views (core.views) and the table they draw (components/table.html), on the pages
of core/tests/base_views.py and the project's own lists: who gets in, what an htmx request
gets, pages and sorting, the export and its audit entry, detail and form pages."""

import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core.tables import DEFAULT_PAGE_SIZE, PAGE_SIZES, page_size
from core.views import XLSX

from . import base_views

pytestmark = pytest.mark.urls("core.tests.base_views")

LIST = "/t/users/"


def detail_url(user):
    return reverse("t_user_detail", args=[user.pk])


def rename_url(user, guarded=False):
    return reverse("t_user_guarded" if guarded else "t_user_rename", args=[user.pk])


@pytest.fixture
def many(tree):
    """60 more users in 会师镇's villages (66 in the county, 62 in 会师镇)."""
    for n in range(60):
        UserFactory(username=f"v{n:02d}", unit=tree.village if n % 2 else tree.community,
                    role=Role.VILLAGE_OFFICER)
    return tree


# ---- who gets in -------------------------------------------------------------------------

@pytest.mark.parametrize("url", [LIST, f"{LIST}?export=xlsx", "detail", "rename"])
def test_anonymous_users_go_to_the_login_page(tree, client, url):
    url = {"detail": detail_url(tree.village_officer),
           "rename": rename_url(tree.village_officer)}.get(url, url)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login") + "?next=")


def test_a_missing_permission_is_403_before_anything_is_read(tree, client_for):
    client = client_for(tree.auditor)  # no accounts.view_user
    for url in (LIST, detail_url(tree.village_officer), detail_url(tree.other_officer)):
        assert client.get(url).status_code == 403, url
    assert not AuditLog.objects.filter(action=Action.VIEW).exists()
    # Reading is not writing: a leader sees users but may not change them.
    leader = client_for(tree.leader)
    assert leader.get(rename_url(tree.village_officer)).status_code == 403
    assert leader.get(detail_url(tree.village_officer)).status_code == 200


def test_out_of_scope_is_404(tree, client_for):
    client = client_for(tree.township_officer)
    assert client.get(detail_url(tree.other_officer)).status_code == 404
    assert client.get(detail_url(tree.county_admin)).status_code == 404  # above, not below
    admin = client_for(tree.county_admin)
    admin_of_township = User.objects.get(pk=tree.township_officer.pk)
    assert admin.get(detail_url(admin_of_township)).status_code == 200
    officer = client_for(tree.township_officer)
    assert officer.post(rename_url(tree.other_officer), {"full_name": "x"}).status_code in (403,
                                                                                             404)


def test_the_list_shows_only_the_scope(tree, client_for):
    body = client_for(tree.township_officer).get(LIST).content.decode()
    assert "t_village" in body and "t_other" not in body and "t_county" not in body


# ---- the list page and its htmx partial -----------------------------------------------------

def test_htmx_gets_only_the_list(tree, client_for):
    client = client_for(tree.county_admin)
    full = client.get(LIST, {"q": "t_"})
    body = full.content.decode()
    assert "<html" in body and 'role="search"' in body and 'id="user-list"' in body
    assert "HX-Request" in full["Vary"]
    partial = client.get(LIST, {"q": "t_"}, HTTP_HX_REQUEST="true")
    part = partial.content.decode()
    assert "<html" not in part and "<h1" not in part and 'role="search"' not in part
    assert '<table class="stack">' in part and "t_township" in part
    assert "HX-Request" in partial["Vary"]
    # htmx restoring its history after a cache miss wants the whole page.
    restore = client.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restore.content.decode()


def test_htmx_with_bad_filters_reloads_the_page_to_show_why(tree, client_for):
    client = client_for(tree.county_admin)
    response = client.get(LIST, {"role": "emperor"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == f"{LIST}?role=emperor"
    page = client.get(LIST, {"role": "emperor"})
    assert page.status_code == 200 and 'aria-invalid="true"' in page.content.decode()


def test_the_filter_bar(tree, client_for):
    client = client_for(tree.county_admin)
    client.cookies["django_language"] = "en"
    body = client.get(LIST).content.decode()
    bar = re.search(r'<form class="filter-bar".*?</form>', body, re.S).group(0)
    assert 'role="search" aria-label="Find users"' in bar
    assert 'hx-get="/t/users/" hx-target="#user-list">' in bar
    # The search box first, the others under "More filters" (closed), then the button.
    assert bar.index('name="q"') < bar.index("<details") < bar.index('name="unit"') \
        < bar.index("</details>") < bar.index('type="submit"')
    assert "<details class=\"more-filters\">" in bar and "Clear the filters" not in bar
    filtered = client.get(LIST, {"role": "leader", "sort": "-username"}).content.decode()
    bar = re.search(r'<form class="filter-bar".*?</form>', filtered, re.S).group(0)
    assert '<details class="more-filters" open>' in bar
    assert '<input type="hidden" name="sort" value="-username">' in bar
    assert f'<a href="{LIST}">Clear the filters</a>' in bar


def test_an_empty_list_says_so_and_offers_the_whole_list(tree, client_for):
    client = client_for(tree.county_admin)
    client.cookies["django_language"] = "en"
    body = client.get(LIST, {"q": "nobody-at-all"}).content.decode()
    cell = re.search(r"<td colspan=\"5\">(.*?)</td>", body, re.S).group(1)
    assert "No users match." in cell and f'<a href="{LIST}">Clear the filters</a>' in cell
    assert "0 users" in body


# ---- pages, page sizes, sorting -----------------------------------------------------------

def test_page_size_is_one_of_the_offered_sizes():
    assert [page_size(n) for n in ("25", "50", "100", "200")] == list(PAGE_SIZES)
    for bad in (None, "", "0", "-25", "1000", "abc", "50.0", "24"):
        assert page_size(bad) == DEFAULT_PAGE_SIZE == 50, bad


def test_per_page_and_page_numbers(many, client_for):
    client = client_for(many.county_admin)

    def rows(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return response.context["page"]

    assert len(rows().object_list) == 50 and rows().paginator.count == 66
    assert len(rows(per_page="25").object_list) == 25
    assert len(rows(per_page="100").object_list) == 66
    assert len(rows(per_page="1000").object_list) == 50  # not a size on offer
    assert len(rows(per_page="-1").object_list) == 50
    assert rows(page="2").number == 2 and len(rows(page="2").object_list) == 16
    assert rows(page="99").number == 2  # past the end: the last page
    assert rows(page="abc").number == 1
    body = client.get(LIST, {"per_page": "25", "q": "v"}).content.decode()
    assert 'href="?per_page=25&amp;q=v&amp;page=2" rel="next"' in body
    assert '<span aria-current="true">25</span>' in body
    assert 'href="?per_page=100&amp;q=v"' in body


def test_sorting_by_a_sortable_column_only(many, client_for, django_assert_num_queries,
                                           django_assert_max_num_queries):
    client = client_for(many.county_admin)

    def names(**params):
        return [u.username for u in client.get(LIST, {"per_page": "100", **params})
                .context["page"]]

    default = names()
    assert default == [u.username for u in User.objects.visible_to(many.county_admin)
                       .order_by("unit__path", "username")]
    assert names(sort="username") == sorted(default)
    assert names(sort="-username") == sorted(default, reverse=True)
    # By unit, ties keep the selector's order (by login name) behind it.
    by_unit = names(sort="-unit")
    assert by_unit != default and by_unit == [u.username for u in User.objects.visible_to(
        many.county_admin).order_by("-unit__path", "username")]
    for ignored in ("full_name", "password", "bogus", "-", ""):
        assert names(sort=ignored) == default, ignored
    # Sorting costs no query.
    client.get(LIST)
    with django_assert_max_num_queries(20) as plain:
        client.get(LIST)
    with django_assert_num_queries(len(plain.captured_queries)):
        client.get(LIST, {"sort": "-username"})


def test_the_list_query_count_does_not_grow(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    for n in range(3):
        UserFactory(username=f"x{n:02d}", unit=tree.community, role=Role.VILLAGE_OFFICER)
    client.get(LIST)
    with django_assert_max_num_queries(20) as small:
        client.get(LIST, {"q": "x", "per_page": "200"})
    for n in range(3, 60):
        UserFactory(username=f"x{n:02d}", unit=tree.village if n % 2 else tree.other_village,
                    role=Role.VILLAGE_OFFICER)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST, {"q": "x", "per_page": "200"})
    assert len(response.context["page"].object_list) == 60


# ---- the table ----------------------------------------------------------------------------

def test_the_table_is_a_named_region_with_sortable_headers(tree, client_for):
    client = client_for(tree.county_admin)
    client.cookies["django_language"] = "en"
    body = client.get(LIST, {"sort": "-username"}).content.decode()
    assert ('<div class="table-wrap" tabindex="0" role="region" '
            'aria-labelledby="user-caption">') in body
    assert '<caption id="user-caption">6 users</caption>' in body
    headers = re.findall(r"<th [^>]*>.*?</th>", body, re.S)
    assert len(headers) == 5 and all('scope="col"' in h for h in headers)
    login, _name, unit, _role, _status = headers
    assert 'aria-sort="descending"' in login and 'href="?sort=username"' in login
    assert "aria-sort" not in unit and 'href="?sort=unit"' in unit
    assert [h for h in headers if "aria-sort" in h] == [login]
    assert "<a" not in headers[1] and "Full name" in headers[1]
    ascending = client.get(LIST, {"sort": "username", "page": "1"}).content.decode()
    assert 'aria-sort="ascending"' in ascending
    assert 'href="?sort=-username"' in ascending  # page dropped: a new order starts at 1
    # Every cell carries its column's name, for the stacked rows of a phone.
    cells = re.findall(r"<td ([^>]*)>", body)
    assert len(cells) == 6 * 5
    assert all(re.search(r'data-label="(Login name|Full name|Unit|Role|Status)"', c)
               for c in cells)


def test_the_caption_counts_the_whole_list_not_the_page(many, client_for):
    client = client_for(many.township_officer)
    body = client.get(LIST, {"per_page": "25"}).content.decode()
    assert '<caption id="user-caption">共 62 个用户</caption>' in body


# ---- the export ---------------------------------------------------------------------------

def test_export_by_query_is_the_filtered_sorted_list_audited(many, client_for):
    client = client_for(many.county_admin)
    response = client.get(LIST, {"export": "xlsx", "q": "v1", "sort": "-username",
                                 "page": "2", "per_page": "25"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert names == [f"v{n}" for n in range(19, 9, -1)]  # all of them, not a page
    entry = AuditLog.objects.get(action=Action.EXPORT)
    assert (entry.actor, entry.object_repr, entry.unit) == (many.county_admin, "测试名单",
                                                            many.county)
    assert entry.detail == {"filters": {"q": "v1"}, "rows": 10}


def test_export_needs_the_named_permission(tree, client_for):
    leader = client_for(tree.leader)  # may see users, not change them
    assert leader.get(LIST).status_code == 200
    assert "export=xlsx" not in leader.get(LIST).content.decode()
    assert leader.get(LIST, {"export": "xlsx"}).status_code == 403
    assert not AuditLog.objects.filter(action=Action.EXPORT).exists()
    tree.leader.user_permissions.add(Permission.objects.get(codename="change_user"))
    leader = client_for(User.objects.get(pk=tree.leader.pk))
    leader.cookies["django_language"] = "en"
    body = leader.get(LIST, {"role": "leader", "page": "2"}).content.decode()
    assert f'href="{LIST}?role=leader&amp;export=xlsx">Export to Excel (.xlsx)</a>' in body
    assert leader.get(LIST, {"export": "xlsx"}).status_code == 200


# ---- detail and form pages ------------------------------------------------------------------

def test_the_detail_page_audits_every_look(tree, client_for):
    client = client_for(tree.township_officer)
    response = client.get(detail_url(tree.village_officer))
    assert response.status_code == 200 and response.context["shown"] == tree.village_officer
    entry = AuditLog.objects.get(action=Action.VIEW)
    assert (entry.actor, entry.object_id) == (tree.township_officer,
                                              str(tree.village_officer.pk))


def test_the_form_page_writes_through_the_service(tree, client_for):
    base_views.SERVICE_CALLS.clear()
    client = client_for(tree.county_admin)
    form = client.get(rename_url(tree.village_officer))
    assert form.status_code == 200 and form.context["shown"] == tree.village_officer
    response = client.post(rename_url(tree.village_officer), {"full_name": "王新"})
    assert response.status_code == 302
    assert response.url == tree.village_officer.get_absolute_url()
    assert User.objects.get(pk=tree.village_officer.pk).full_name == "王新"
    assert base_views.SERVICE_CALLS == [{"actor": tree.county_admin,
                                         "user": tree.village_officer, "full_name": "王新"}]


def test_a_service_error_goes_back_onto_the_form_with_the_input(tree, client_for):
    client = client_for(tree.county_admin)
    response = client.post(rename_url(tree.village_officer), {"full_name": "坏"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "不能叫这个名字。" in body and 'value="坏"' in body and 'aria-invalid="true"' in body
    assert User.objects.get(pk=tree.village_officer.pk).full_name != "坏"
    # An empty submission is a bound form with its errors, not a blank page again.
    empty = client.post(rename_url(tree.village_officer), {})
    assert empty.status_code == 200 and empty.context["form"].errors


def test_a_guard_adds_its_field_and_can_stop_the_service(tree, client_for):
    base_views.SERVICE_CALLS.clear()
    client = client_for(tree.county_admin)
    body = client.get(rename_url(tree.village_officer, guarded=True)).content.decode()
    assert '<input type="hidden" name="token" value="ok"' in body
    assert "<label for=\"id_token\"" not in body  # hidden inputs have no label
    refused = client.post(rename_url(tree.village_officer, guarded=True),
                          {"full_name": "王新", "token": "used"})
    assert refused.status_code == 200 and "这张表已经提交过了。" in refused.content.decode()
    assert 'value="王新"' in refused.content.decode()
    assert base_views.SERVICE_CALLS == []
    saved = client.post(rename_url(tree.village_officer, guarded=True),
                        {"full_name": "王新", "token": "ok"})
    assert saved.status_code == 302
    assert base_views.SERVICE_CALLS[0]["full_name"] == "王新"
    assert "token" not in base_views.SERVICE_CALLS[0]  # the guard's field stays its own
