"""The reform pages: a county administrator plans a merge, previews it, resolves its
conflicts, applies it; everyone reads a unit's history and the tree on a date."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgs import reform_services
from orgs.models import OperationKind, OrgUnit, Reform, ReformOperation, ReformStatus, Succession

from .reforms import build_district

pytestmark = pytest.mark.django_db


def _token(page: str) -> dict:
    """The hidden guard fields of the (first) form on a page, as a browser sends them."""
    fields = {}
    for name in ("form_token", "version", "version_started"):
        found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page)
        if found:
            fields[name] = found[1].replace("&quot;", '"')
    return fields


def _pick(name, unit) -> dict:
    return {name: unit.pk, f"{name}_text": unit.code}


@pytest.fixture
def d():
    return build_district("420205", "铁山区", [2, 2])


def _new_reform(client, d) -> Reform:
    url = reverse("orgs:reform_create")
    page = client.get(url).content.decode()
    assert d.district.name in page  # the user's own unit by default
    response = client.post(url, {**_token(page), **_pick("unit", d.district),
                                 "title": "撤销街道、合并社区",
                                 "document_number": "黄铁发〔2010〕3号",
                                 "effective_on": f"{d.effective_on:%Y-%m-%d}", "note": ""})
    reform = Reform.objects.get()
    assert response.status_code == 302 and response["Location"] == reform.get_absolute_url()
    return reform


def _add_merge(client, reform, sources, name="新社区1", parent=None) -> object:
    url = reverse("orgs:operation_create_merge", args=[reform.pk])
    page = client.get(url).content.decode()
    data = {**_token(page), "sources": "\n".join(sources), "name": name, "code": "",
            "users": "move"}
    if parent is not None:
        data.update(_pick("parent", parent))
    return client.post(url, data)


def test_plan_preview_resolve_and_apply_a_merge_through_the_pages(d, client_for):
    client = client_for(d.admin)
    assert "新建改革" in client.get(reverse("orgs:reform_list")).content.decode()
    reform = _new_reform(client, d)
    one, two = d.communities[0], d.communities[1]

    # A bad line is reported by its number and its text; nothing is added.
    response = _add_merge(client, reform, [one.code, "不存在的社区", two.name])
    page = response.content.decode()
    assert response.status_code == 200 and "第2行" in page and "不存在的社区" in page
    assert not ReformOperation.objects.exists()

    response = _add_merge(client, reform, [one.code, two.name], parent=d.district)
    assert response.status_code == 302
    op = ReformOperation.objects.get()
    assert op.params["sources"] == [one.pk, two.pk] and op.params["parent"] == d.district.pk

    # The level of street offices abolished: one operation a street.
    url = reverse("orgs:reform_abolish_level", args=[reform.pk])
    page = client.get(url).content.decode()
    client.post(url, {**_token(page), "level": "4"})
    assert ReformOperation.objects.filter(kind=OperationKind.ABOLISH).count() == len(d.streets)

    detail = client.get(reform.get_absolute_url()).content.decode()
    assert f"合并{one.name}、{two.name}" in detail and d.streets[0].name in detail

    # The preview: two chairs in the merged community.
    preview_url = reverse("orgs:reform_preview", args=[reform.pk])
    page = client.get(preview_url).content.decode()
    edit_url = reverse("orgs:operation_edit", args=[op.pk])
    assert "新社区1" in page and "主席1" in page and edit_url in page
    assert 'name="checked"' not in page  # no apply form while conflicts exist

    # Resolved on the edit page: the second chair steps down.
    page = client.get(edit_url).content.decode()
    second = next(a for a in d.chairs if a.post.unit_id == two.pk)
    assert f'value="{second.pk}"' in page
    response = client.post(edit_url, {**_token(page), "sources": f"{one.code}\n{two.code}",
                                      "name": "新社区1", **_pick("parent", d.district),
                                      "users": "move", "end_appointments": [second.pk]})
    assert response.status_code == 302
    op.refresh_from_db()
    assert op.params["end_appointments"] == [second.pk]

    page = client.get(preview_url).content.decode()
    assert 'name="checked"' in page
    guards = _token(page)
    # Not confirmed: refused.
    response = client.post(preview_url, {**guards})
    assert response.status_code == 200
    assert Reform.objects.get().status == ReformStatus.DRAFT
    page = client.get(preview_url).content.decode()
    guards = _token(page)
    response = client.post(preview_url, {**guards, "checked": "on"})
    assert response.status_code == 302
    reform.refresh_from_db()
    assert reform.status == ReformStatus.APPLIED and reform.applied_by == d.admin
    made = OrgUnit.objects.get(name="新社区1")
    successions = Succession.objects.count()
    # The same form sent again creates nothing twice.
    response = client.post(preview_url, {**guards, "checked": "on"})
    assert response.status_code == 302
    assert OrgUnit.objects.filter(name="新社区1").count() == 1
    assert Succession.objects.count() == successions

    detail = client.get(reform.get_absolute_url()).content.decode()
    assert "新社区1" in detail and d.admin.username in detail
    assert str(reform.result["totals"]["people.person"]) in detail
    assert edit_url not in detail  # applied: no more changes

    # The merged community's page says it ended and where its work went.
    page = client.get(one.get_absolute_url()).content.decode()
    assert f"{d.effective_on:%Y-%m-%d}" in page and made.get_absolute_url() in page


def test_a_stale_edit_of_the_reform_is_refused(d, client_for):
    client = client_for(d.admin)
    reform = _new_reform(client, d)
    url = reverse("orgs:reform_edit", args=[reform.pk])
    page = client.get(url).content.decode()
    reform_services.reform_update(actor=d.admin, reform=reform, title="别人改过的标题")
    response = client.post(url, {**_token(page), "title": "我的标题", "document_number": "",
                                 "effective_on": f"{d.effective_on:%Y-%m-%d}", "note": ""})
    assert response.status_code == 200
    assert Reform.objects.get().title == "别人改过的标题"


def test_units_outside_the_reform_are_refused_with_a_message(d, client_for):
    client = client_for(d.admin)
    reform = _new_reform(client, d)
    url = reverse("orgs:operation_create_move", args=[reform.pk])
    page = client.get(url).content.decode()
    # The neighbouring county lies outside the administrator's area: not found.
    response = client.post(url, {**_token(page), **_pick("unit", d.communities[0]),
                                 **_pick("parent", d.other)})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not ReformOperation.objects.exists()
    # A neighbouring county's reform is a 404 to this administrator.
    theirs = reform_services.reform_create(actor=d.other_admin, unit=d.other, title="别区改革",
                                           effective_on=d.effective_on)
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_removing_an_operation_twice_removes_one(d, client_for):
    client = client_for(d.admin)
    reform = _new_reform(client, d)
    for street in d.streets:
        reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.RENAME,
                                      params={"unit": street.pk, "name": street.name + "新"})
    first = reform.operations.first()
    page = client.get(reform.get_absolute_url()).content.decode()
    form = page.split(reverse("orgs:operation_remove", args=[first.pk]))[1]
    data = {**_token(form), "reform": reform.pk}
    url = reverse("orgs:operation_remove", args=[first.pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert list(reform.operations.values_list("order", flat=True)) == [1]


def test_a_split_in_two_steps(d, client_for):
    client = client_for(d.admin)
    reform = _new_reform(client, d)
    village = d.communities[0]
    grid = OrgUnit.objects.get(parent=village)
    url = reverse("orgs:operation_create_split", args=[reform.pk])
    page = client.get(url, {"source": "", "source_text": village.code}).content.decode()
    assert grid.name in page and f'name="child_{grid.pk}"' in page
    response = client.post(f"{url}?source=&source_text={village.code}", {
        **_token(page), "parts": f"东社区 {village.code[:9]}201\n西社区",
        "main": "1", "users": "move", f"child_{grid.pk}": "2"})
    assert response.status_code == 302
    op = ReformOperation.objects.get()
    assert op.params["parts"][0] == {"name": "东社区", "code": village.code[:9] + "201",
                                     "into": None, "parent": None}
    assert op.params["children"] == {str(grid.pk): 2}
    detail = client.get(reform.get_absolute_url()).content.decode()
    assert "东社区" in detail and "西社区" in detail


def test_a_failing_reform_preview_is_a_message_not_an_error(d, client_for):
    client = client_for(d.admin)
    reform = _new_reform(client, d)
    reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.MERGE,
                                  params={"sources": [c.pk for c in d.communities[:2]],
                                          "name": "并", "code": "12"})
    response = client.get(reverse("orgs:reform_preview", args=[reform.pk]))
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()


def _reform_with(d, merges: int) -> Reform:
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="测",
                                           effective_on=d.effective_on)
    pairs = list(zip(d.communities[::2], d.communities[1::2], strict=True))
    for i, (a, b) in enumerate(pairs[:merges], start=1):
        reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.MERGE,
                                      params={"sources": [a.pk, b.pk], "name": f"并{i}"})
    return reform


def test_detail_and_preview_queries_do_not_grow_with_the_operations(client_for):
    d = build_district("420222", "阳新县", [6], people=1)
    client = client_for(d.admin)
    counted = {}
    for n in (1, 3):
        reform = _reform_with(d, n)
        with CaptureQueriesContext(connection) as detail:
            assert client.get(reform.get_absolute_url()).status_code == 200
        counted[n] = len(detail)
    assert counted[3] == counted[1]


def test_history_and_tree_on_a_date(d, client_for):
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="撤街道",
                                           document_number="黄铁发〔2010〕9号",
                                           effective_on=d.effective_on)
    reform_services.operations_abolish_level(actor=d.admin, reform=reform, level=4)
    reform_services.reform_apply(actor=d.admin, reform=reform)
    client = client_for(d.admin)
    community = d.communities[0]
    page = client.get(reverse("orgs:unit_history", args=[community.pk])).content.decode()
    assert d.streets[0].name in page and "黄铁发〔2010〕9号" in page
    assert f"{d.effective_on:%Y-%m-%d}" in page
    street = client.get(reverse("orgs:unit_history", args=[d.streets[0].pk])).content.decode()
    assert reverse("orgs:unit_history", args=[d.district.pk]) in street  # what it became

    on = reverse("orgs:unit_on", args=[d.district.pk])
    before = client.get(on, {"on": f"{d.day_before:%Y-%m-%d}"}).content.decode()
    after = client.get(on, {"on": f"{d.effective_on:%Y-%m-%d}"}).content.decode()
    assert d.streets[0].name in before and community.name not in before
    assert d.streets[0].name not in after and community.name in after
    assert f"as_of={d.day_before:%Y-%m-%d}" in before
    link = f'{reverse("orgs:unit_on", args=[d.streets[0].pk])}?on={d.day_before:%Y-%m-%d}'
    assert link in before
    # A bad date is a form error, the page still answers.
    assert client.get(on, {"on": "2024-13-40"}).status_code == 200


def test_a_unit_outside_the_reformed_unit_is_refused_by_the_service(d, client_for):
    client = client_for(d.admin)
    reform = reform_services.reform_create(actor=d.admin, unit=d.streets[0], title="街道内调整",
                                           effective_on=d.effective_on)
    url = reverse("orgs:operation_create_rename", args=[reform.pk])
    page = client.get(url).content.decode()
    outside = d.communities[-1]  # of the second street: in the administrator's area
    response = client.post(url, {**_token(page), **_pick("unit", outside), "name": "改名"})
    assert response.status_code == 200
    assert f"改革涉及的单位都须在{d.streets[0].name}范围内" in response.content.decode()
    assert not ReformOperation.objects.exists()


def test_applying_while_conflicts_exist_is_refused(d, client_for):
    client = client_for(d.admin)
    reform = _reform_with(d, 1)
    url = reverse("orgs:reform_preview", args=[reform.pk])
    page = client.get(url).content.decode()
    assert 'name="checked"' not in page
    response = client.post(url, {"checked": "on", "version": reform.version})
    assert response.status_code == 200 and "主席" in response.content.decode()
    reform.refresh_from_db()
    assert reform.status == ReformStatus.DRAFT and not Succession.objects.exists()


def test_an_operation_names_a_unit_an_earlier_one_makes(d, client_for):
    client = client_for(d.admin)
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="新设街道",
                                           effective_on=d.effective_on)
    reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.CREATE,
                                  params={"parent": d.district.pk, "name": "第9街道"})
    url = reverse("orgs:operation_create_move", args=[reform.pk])
    page = client.get(url).content.decode()
    assert '<option value="new:1">第9街道' in page
    response = client.post(url, {**_token(page), **_pick("unit", d.communities[0]),
                                 "parent": "", "parent_text": "", "parent_new": "new:1"})
    assert response.status_code == 302
    assert ReformOperation.objects.get(order=2).params["parent"] == "new:1"
    detail = client.get(reform.get_absolute_url()).content.decode()
    assert f"将{d.communities[0].name}划归第9街道" in detail
