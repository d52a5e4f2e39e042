"""Frozen year-end summary tables (issue 17): frozen from one computation for a whole
subtree, never changed by later registrations, moves, deregistrations or renames, shown and
exported with the statement "live or frozen, as of when"."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.models import Snapshot
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.choices import Status
from people.models import Person
from reports import selectors, services
from reports.exports import summary_table_xlsx

from .conftest import ADULT, CHILD, make_id, register

YEAR = 2025
YEAR_END = dt.date(2025, 12, 31)


def _values(table):
    """Every figure of a table, row by row, with the rows' names."""
    return [(r.name, [c.value for c in r.cells]) for r in [*table.rows, table.total]]


def _sheet(content):
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def _freeze(t, **kwargs):
    return services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=YEAR,
                                          **kwargs)


def test_freeze_keeps_every_table_of_the_subtree_as_it_was(people):
    t = people.tree
    admin = t.county_admin
    before = {u.pk: _values(selectors.summary_table(user=admin, unit=u, as_of=YEAR_END))
              for u in (t.county, t.township, t.other_township, t.community)}
    frozen = _freeze(t, note="2025年年报")
    # The county, its two townships and their five villages (the abolished one too: it
    # existed no more on 31 December, so it has no table).
    assert {s.unit_id for s in frozen} == {
        t.county.pk, t.township.pk, t.other_township.pk, t.community.pk, t.village.pk,
        people.lijiayuan.pk, t.other_village.pk, people.xinpuzi.pk}
    for pk, values in before.items():
        unit = next(s.unit for s in frozen if s.unit_id == pk)
        table = selectors.summary_table_of_year(user=admin, unit=unit, year=YEAR)
        assert table.data_status.frozen and table.as_of == YEAR_END
        assert _values(table) == values
    entry = AuditLog.objects.get(action=Action.CREATE, object_id=str(t.county.pk),
                                 detail__snapshot="reports.summary")
    assert entry.actor == admin and entry.detail["units"] == 8 and entry.detail["year"] == YEAR


def test_later_changes_never_rewrite_the_frozen_table_or_its_export(people):
    t = people.tree
    admin = t.county_admin
    _freeze(t)
    frozen = selectors.summary_table_of_year(user=admin, unit=t.county, year=YEAR)
    frozen_sheet = _sheet(summary_table_xlsx(frozen))
    live_before = _values(selectors.summary_table(user=admin, unit=t.county))

    # Registered late (in 2025), registered now, moved to the other township, deceased,
    # a township renamed: the live tables change, today's and 31 December's alike.
    people_services.person_register(
        actor=SYSTEM, unit=t.village, name="新登", id_number=make_id(birth=ADULT, male=True),
        hukou="rural")
    people_services.person_register(
        actor=SYSTEM, unit=t.village, name="补登", id_number=make_id(birth=CHILD, male=False),
        hukou="rural", registered_on=dt.date(2025, 5, 1))
    moving = Person.objects.filter(unit=t.community, status=Status.ACTIVE).first()
    people_services.person_move(actor=SYSTEM, person=moving, to_unit=t.other_village)
    gone = (Person.objects.filter(unit=t.other_village, status=Status.ACTIVE)
            .exclude(pk=moving.pk).first())
    people_services.person_set_status(actor=SYSTEM, person=gone, status=Status.DECEASED,
                                      on=dt.date(2025, 10, 1))
    org_services.unit_update(actor=SYSTEM, unit=t.township, name="会师街道")

    live_now = _values(selectors.summary_table(user=admin, unit=t.county))
    live_year_end = _values(selectors.summary_table(user=admin, unit=t.county, as_of=YEAR_END))
    assert live_now != live_before and live_year_end != _values(frozen)

    again = selectors.summary_table_of_year(user=admin, unit=t.county, year=YEAR)
    assert _values(again) == _values(frozen)
    assert again.rows[0].name == "会师镇"  # the name it had when frozen
    assert _sheet(summary_table_xlsx(again)) == frozen_sheet


def test_the_export_says_live_or_frozen_and_as_of_when(people):
    t = people.tree
    live = services.summary_table_export(actor=t.county_admin, unit=t.county, year=YEAR)
    assert _sheet(live.content)[1][0] == "实时数据 · 截至2025年12月31日"
    _freeze(t)
    frozen = services.summary_table_export(actor=t.county_admin, unit=t.county, year=YEAR)
    statement = _sheet(frozen.content)[1][0]
    name = t.county_admin.full_name or t.county_admin.username
    assert re.fullmatch(r"冻结数据 · 截至2025年12月31日 · 冻结于\d{4}年\d+月\d+日\d\d:\d\d · "
                        + re.escape(name), statement), statement
    assert frozen.filename.endswith("（冻结）.xlsx")
    entry = AuditLog.objects.filter(action=Action.EXPORT).latest("id")
    assert entry.detail["frozen"] is True


def test_a_year_is_frozen_once(people):
    t = people.tree
    _freeze(t)
    count = Snapshot.objects.count()
    with pytest.raises(ValidationError) as caught:
        _freeze(t, note="again")
    assert "year" in caught.value.message_dict
    # Nor is a township beneath it frozen again on its own.
    with pytest.raises(ValidationError):
        services.summary_tables_freeze(actor=t.county_admin, unit=t.township, year=YEAR)
    assert Snapshot.objects.count() == count
    # Another year is another set.
    services.summary_tables_freeze(actor=t.county_admin, unit=t.township, year=2024)
    assert Snapshot.objects.filter(year=2024).count() == 4  # 会师镇 and its 3 villages then


@pytest.mark.parametrize("as_of, field", [
    (dt.date(2024, 12, 31), "as_of"),  # not in the year
    (None, "as_of"),  # this year's end is not over
])
def test_a_day_not_over_or_outside_the_year_is_refused(people, as_of, field):
    t = people.tree
    from django.utils import timezone

    year = timezone.localdate().year if as_of is None else YEAR
    with pytest.raises(ValidationError) as caught:
        services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=year,
                                       as_of=as_of)
    assert field in caught.value.message_dict
    assert not Snapshot.objects.exists()


def test_only_administrators_freeze_and_only_in_their_scope(people):
    t = people.tree
    with pytest.raises(PermissionDenied):
        services.summary_tables_freeze(actor=t.township_officer, unit=t.township, year=YEAR)
    with pytest.raises(PermissionDenied):
        services.summary_tables_freeze(actor=t.leader, unit=t.county, year=YEAR)
    admin = org_services.unit_create(actor=SYSTEM, parent=t.city, level=Level.COUNTY,
                                     code="620421", name="靖远县")
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    other = UserFactory(username="jy_admin", unit=admin, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.summary_tables_freeze(actor=other, unit=t.county, year=YEAR)
    assert not Snapshot.objects.exists()


def test_freezing_costs_the_same_queries_for_three_times_the_units(people):
    t = people.tree

    def grow(county, start, n):
        for i in range(start, start + n):
            township = org_services.unit_create(
                actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                code=f"{county.code}{300 + i}", name=f"镇{i}")
            for j in range(2):
                village = org_services.unit_create(
                    actor=SYSTEM, parent=township, level=Level.VILLAGE,
                    code=f"{county.code}{300 + i}{200 + j}", name=f"村{i}-{j}")
                register(village, name=f"人{i}{j}", male=True, birth=ADULT, hukou="rural")

    def count(county, year):
        with CaptureQueriesContext(connection) as ctx:
            services.summary_tables_freeze(actor=SYSTEM, unit=county, year=year)
        return len(ctx.captured_queries)

    grow(t.county, 0, 2)
    small = count(t.county, 2023)
    grow(t.county, 2, 4)
    assert count(t.county, 2024) == small


# ---- pages ---------------------------------------------------------------------------------

def _summary(unit, query=""):
    return reverse("reports:summary_unit", args=[unit.pk]) + query


def test_the_frozen_page_costs_the_same_queries_for_more_units(people, client_for):
    t = people.tree
    client = client_for(t.county_admin)
    services.summary_tables_freeze(actor=SYSTEM, unit=t.county, year=2023)
    url = _summary(t.county, "?year=2023")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for i in range(4):
        org_services.unit_create(actor=SYSTEM, parent=t.county, level=Level.TOWNSHIP,
                                 code=f"620422{400 + i}", name=f"新镇{i}")
    services.summary_tables_freeze(actor=SYSTEM, unit=t.county, year=2024)
    url = _summary(t.county, "?year=2024")
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert page.count('scope="row"') == 7  # 2 + 4 townships and the total
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_page_says_live_or_frozen(people, client_for):
    t = people.tree
    client = client_for(t.leader)
    live = client.get(_summary(t.county), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'class="data-status"' in live and "实时数据" in live
    _freeze(t)
    page = client.get(_summary(t.county, "?year=2025")).content.decode()
    assert "data-status--frozen" in page and "冻结数据" in page and "2025年12月31日" in page
    # Its rows lead to the frozen tables beneath it, and a leader may not freeze.
    assert f'href="{_summary(t.township, "?year=2025")}"' in page
    assert reverse("reports:summary_freeze", args=[t.county.pk]) not in page
    # A year never frozen is the live table at the year's end.
    other = client.get(_summary(t.county, "?year=2024")).content.decode()
    assert "实时数据" in other and "2024年12月31日" in other


def test_freeze_page_freezes_once_on_a_double_submit(people, client_for):
    t = people.tree
    client = client_for(t.county_admin)
    url = reverse("reports:summary_freeze", args=[t.county.pk])
    page = client.get(url + "?year=2025").content.decode()
    assert "共8张" in page and 'name="form_token"' in page  # the abolished village not
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    data = {"year": "2025", "as_of": "", "note": "年报", "form_token": token}
    first = client.post(url, data)
    assert first.status_code == 302 and first.url == _summary(t.county, "?year=2025")
    second = client.post(url, data)
    assert second.status_code == 302
    assert Snapshot.objects.filter(unit=t.county).count() == 1
    # A second freeze with a new form is refused on the form, in words.
    again = client.post(url, {"year": "2025", "note": "", "form_token": "new"})
    assert again.status_code == 200 and "error-summary" in again.content.decode()
    assert Snapshot.objects.count() == 8


def test_a_wrong_year_is_a_form_error_not_a_500(people, client_for):
    client = client_for(people.tree.county_admin)
    url = reverse("reports:summary_freeze", args=[people.tree.county.pk])
    response = client.post(url, {"year": "abc", "form_token": "x"})
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert client.get(_summary(people.tree.county, "?year=abc")).status_code == 200


def test_frozen_sets_page(people, client_for):
    t = people.tree
    _freeze(t, note="2025年年报")
    client = client_for(t.village_officer)  # reads the frozen figures of their village
    page = client.get(reverse("reports:snapshot_list", args=[t.community.pk])).content.decode()
    assert "2025年年报" in page and _summary(t.community, "?year=2025") in page
    county = client_for(t.county_admin).get(
        reverse("reports:snapshot_list", args=[t.county.pk])).content.decode()
    assert reverse("reports:summary_freeze", args=[t.county.pk]) in county
    assert client_for(t.auditor).get(
        reverse("reports:snapshot_list", args=[t.county.pk])).status_code == 403
    assert client.get(reverse("reports:summary_freeze", args=[t.community.pk])).status_code \
        == 403
