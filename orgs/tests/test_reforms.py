"""The reforms of doc1 replayed: Tieshan (two street offices abolished, 16 communities merged
into 9, placed under the district), Xialu (3 streets, 39 → 26), a village split in two —
and after each, every person, appointment and entry still there under the right unit, the
district's totals unchanged, the tables as of the day before showing the old tree."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey

from audit.models import AuditLog
from ledgers.models import WorkEntry
from orgs import reform_selectors, reform_services, successors
from orgs.models import OperationKind, OrgUnit, ReformStatus, Succession, UnitPeriod
from people.models import Person, PersonEvent
from reports import selectors as report_selectors
from reports.management.commands.rebuild_counts import check_counts
from workforce.models import Appointment

from .reforms import build_district

pytestmark = pytest.mark.django_db


def _plan(d, groups, *, number="黄铁发〔2010〕3号"):
    """A reform of ``d``: each group of community indexes merged into a new community under
    the district (a single one moved there), then every street abolished."""
    reform = reform_services.reform_create(actor=d.admin, unit=d.district,
                                           title="撤销街道办事处、合并社区",
                                           document_number=number, effective_on=d.effective_on)
    for i, group in enumerate(groups, start=1):
        sources = [d.communities[c] for c in group]
        if len(sources) == 1:
            reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.MOVE,
                                          params={"unit": sources[0].pk,
                                                  "parent": d.district.pk})
            continue
        reform_services.operation_add(
            actor=d.admin, reform=reform, kind=OperationKind.MERGE,
            params={"sources": [u.pk for u in sources], "name": f"新社区{i}",
                    "parent": d.district.pk})
    reform_services.operations_abolish_level(actor=d.admin, reform=reform, level=4)
    return reform


def _end_second_chairs(d, reform, groups):
    """Resolve the conflicts: in each merge, the chair of the second community steps down."""
    for op in reform.operations.filter(kind=OperationKind.MERGE):
        ids = op.params["sources"]
        ended = [a.pk for a in d.chairs if a.post.unit_id in ids[1:]]
        reform_services.operation_update(actor=d.admin, operation=op,
                                         params={**op.params, "end_appointments": ended})


def _totals(table):
    return {k: table.total.value(k) for k in ("total", "grade.1", "grade.2", "grade.3")}


def _replay(d, groups):
    before_table = report_selectors.summary_table(user=d.admin, unit=d.district)
    before_rows = {r.unit.name: r.total for r in before_table.rows}
    people = set(Person.objects.values_list("pk", flat=True))
    appointments = Appointment.objects.count()
    entries = {e.pk: e.unit_id for e in WorkEntry.objects.all()}
    where = {p.pk: p.unit_id for p in Person.objects.all()}
    audit_before = AuditLog.objects.filter(object_id=str(d.communities[0].pk)).count()

    reform = _plan(d, groups)
    preview = reform_services.reform_preview(actor=d.admin, reform=reform)
    merges = sum(1 for g in groups if len(g) > 1)
    assert len(preview.conflicts) == merges  # two chairs in every merged community
    assert OrgUnit.objects.filter(valid_to__isnull=False).count() == 0  # rolled back
    with pytest.raises(ValidationError):
        reform_services.reform_apply(actor=d.admin, reform=reform)
    assert not Succession.objects.exists()

    _end_second_chairs(d, reform, groups)
    preview = reform_services.reform_preview(actor=d.admin, reform=reform)
    assert preview.conflicts == []
    report = reform_services.reform_apply(actor=d.admin, reform=reform)
    reform.refresh_from_db()
    assert reform.status == ReformStatus.APPLIED
    assert report.totals == preview.totals  # the preview said what applying did

    # The new tree: communities directly under the district, the streets ended.
    today = report_selectors.summary_table(user=d.admin, unit=d.district)
    assert len(today.rows) == len(groups)
    assert all(r.unit.level == 5 for r in today.rows)
    for street in d.streets:
        street.refresh_from_db()
        assert street.valid_to == d.effective_on
    assert _totals(today) == _totals(before_table)

    # Everyone is still there, under the successor of their community.
    assert set(Person.objects.values_list("pk", flat=True)) == people
    successor = dict(Succession.objects.values_list("predecessor_id", "successor_id"))
    for person in Person.objects.all():
        old = where[person.pk]
        assert person.unit_id == successor.get(old, old)
        assert person.unit.valid_to is None
    for pk, unit_id in entries.items():
        assert WorkEntry.objects.get(pk=pk).unit_id == successor.get(unit_id, unit_id)
    assert Appointment.objects.count() == appointments
    for unit in OrgUnit.objects.active().filter(level=5, path__startswith=d.district.path):
        assert Appointment.objects.current().filter(post__unit=unit,
                                                    post__kind="chair").count() == 1
    ended = Appointment.objects.filter(end_reason="reform")
    assert ended.count() == merges + len(d.streets)  # second chairs, street chairs
    # The street users work for the district now; nobody belongs to an ended unit.
    for user in d.users:
        user.refresh_from_db()
        assert user.unit_id == d.district.pk and user.is_active

    # The day before: the old tree, the old totals, street by street.
    then = report_selectors.summary_table(user=d.admin, unit=d.district, as_of=d.day_before)
    assert {r.unit.name: r.total for r in then.rows} == before_rows
    assert _totals(then) == _totals(before_table)
    street_then = report_selectors.summary_table(user=d.admin, unit=d.streets[0],
                                                 as_of=d.day_before)
    assert street_then.total.total == before_rows[d.streets[0].name]
    tree = reform_selectors.tree_on(user=d.admin, root=d.district, on=d.day_before)
    assert {s.level for s in tree} == {3, 4, 5, 6}
    assert [s.name for s in tree if s.level == 4] == [s.name for s in d.streets]

    # Nothing was deleted, the audit trail of a merged community is still there, and the
    # register's history replays to the kept counts on both days.
    assert AuditLog.objects.filter(object_id=str(d.communities[0].pk)).count() > audit_before
    found = check_counts(d.district, [d.day_before])
    assert len(found) == 2 and all(mismatches == [] for mismatches in found.values())
    merged = [d.communities[c].pk for g in groups if len(g) > 1 for c in g]
    moved = PersonEvent.objects.filter(note__contains="黄铁发")
    assert moved.count() == 2 * sum(1 for old in where.values() if old in merged)
    return reform


def test_tieshan_two_streets_abolished_sixteen_communities_into_nine():
    d = build_district("420205", "铁山区", [8, 8])
    groups = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10, 11], [12, 13], [14], [15]]
    _replay(d, groups)


def test_xialu_three_streets_thirty_nine_communities_into_twenty_six():
    d = build_district("420204", "下陆区", [13, 13, 13], people=1)
    groups = [[2 * i, 2 * i + 1] for i in range(13)] + [[i] for i in range(26, 39)]
    _replay(d, groups)


def test_a_village_split_in_two_by_its_grids():
    d = build_district("420203", "西塞山区", [1], people=4)
    village = d.communities[0]
    second = OrgUnit.objects.create(parent=village, level=6, name="第2网格",
                                    code=village.code + "002", path="")
    second.path = village.path + f"{second.pk:08d}"
    second.save()
    moving = Person.objects.filter(unit=village, grid__isnull=True, status="active").first()
    moving.grid = second
    moving.save(update_fields=["grid"])
    first = OrgUnit.objects.get(parent=village, code=village.code + "001")
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="村一分为二",
                                           effective_on=d.effective_on)
    reform_services.operation_add(
        actor=d.admin, reform=reform, kind=OperationKind.SPLIT,
        params={"source": village.pk, "main": 1,
                "parts": [{"name": "东村", "code": village.code[:9] + "201"},
                          {"name": "西村", "code": village.code[:9] + "202"}],
                "children": {str(second.pk): 2}})
    before = Counter(Person.objects.filter(status="active").values_list("grid_id", flat=True))
    reform_services.reform_apply(actor=d.admin, reform=reform)
    east = OrgUnit.objects.get(name="东村")
    west = OrgUnit.objects.get(name="西村")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.parent_id == east.pk and second.parent_id == west.pk
    assert first.code == east.code + "001" and second.code == west.code + "001"  # renumbered
    assert Person.objects.filter(unit=west).count() == 1  # the person of the second grid
    assert Person.objects.filter(unit=east).count() == sum(before.values()) - 1 + 1  # +gone
    assert set(Succession.objects.filter(predecessor=village).values_list(
        "successor_id", flat=True)) == {east.pk, west.pk}
    assert WorkEntry.objects.get().unit_id == east.pk  # the rest went to the main part
    village.refresh_from_db()
    assert village.valid_to == d.effective_on
    # The grid's earlier code and place are kept: the tree of the day before shows it.
    tree = reform_selectors.tree_on(user=d.admin, root=d.district, on=d.day_before)
    grid_then = next(s for s in tree if s.pk == second.pk)
    assert grid_then.parent_id == village.pk and grid_then.code == village.code + "002"
    assert UnitPeriod.objects.filter(unit=second).count() == 1
    day = check_counts(d.district, [d.day_before])
    assert all(found == [] for found in day.values())


def test_a_failed_apply_changes_nothing():
    d = build_district("420202", "黄石港区", [2])
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="失败",
                                           effective_on=d.effective_on)
    reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.MERGE,
                                  params={"sources": [c.pk for c in d.communities],
                                          "name": "合并社区", "code": d.communities[0].code})
    # The second operation fails: a code that is not a code.
    reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.RENAME,
                                  params={"unit": d.streets[0].pk, "code": "12"})
    with pytest.raises(ValidationError):
        reform_services.reform_apply(actor=d.admin, reform=reform)
    assert OrgUnit.objects.filter(valid_to__isnull=False).count() == 0
    assert not OrgUnit.objects.filter(name="合并社区").exists()
    assert not PersonEvent.objects.filter(note__contains="失败").exists()
    assert set(Person.objects.values_list("unit_id", flat=True)) == {
        c.pk for c in d.communities}


def test_a_reform_stays_within_its_unit():
    d = build_district("420201", "市辖区", [1])
    outside = OrgUnit.objects.create(parent=d.other, level=4, name="外街道", path="")
    outside.path = d.other.path + f"{outside.pk:08d}"
    outside.save()
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="越界",
                                           effective_on=d.effective_on)
    with pytest.raises(ValidationError):
        reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.MOVE,
                                      params={"unit": d.communities[0].pk,
                                              "parent": outside.pk})
    with pytest.raises(PermissionDenied):  # another county's administrator
        reform_services.reform_create(actor=d.other_admin, unit=d.district, title="x",
                                      effective_on=d.effective_on)


def test_every_table_tied_to_a_unit_says_what_a_reform_does_with_it():
    """A new table with a unit must declare in orgs.successors what happens to its rows
    when the unit ends; otherwise a reform would leave them pointing at an ended unit."""
    from django.apps import apps

    declared = successors.declared_tables()
    missing = [f"{model._meta.label}.{field.name}"
               for model in apps.get_models()
               for field in model._meta.fields
               if isinstance(field, ForeignKey) and field.related_model is OrgUnit
               and (model, field.name) not in declared]
    assert missing == []


def test_a_reform_in_the_future_cannot_be_applied_yet():
    d = build_district("420281", "大冶市", [1])
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="明年",
                                           effective_on=dt.date.today() + dt.timedelta(days=30))
    reform_services.operation_add(actor=d.admin, reform=reform, kind=OperationKind.RENAME,
                                  params={"unit": d.streets[0].pk, "name": "新名"})
    with pytest.raises(ValidationError):
        reform_services.reform_apply(actor=d.admin, reform=reform)


def test_a_move_keeps_where_the_unit_was():
    """An ordinary move (not a reform) keeps the unit's earlier place too: the tree and the
    summary table of yesterday still show it where it was."""
    from orgs import services as org_services

    d = build_district("420222", "阳新县", [2, 1])
    village = d.communities[0]
    people = Person.objects.filter(unit=village, status="active").count()
    org_services.unit_move(actor=d.admin, unit=village, new_parent=d.streets[1])
    yesterday = dt.date.today() - dt.timedelta(days=1)
    tree = reform_selectors.tree_on(user=d.admin, root=d.district, on=yesterday)
    assert next(s for s in tree if s.pk == village.pk).parent_id == d.streets[0].pk
    then = report_selectors.summary_table(user=d.admin, unit=d.district, as_of=yesterday)
    now = report_selectors.summary_table(user=d.admin, unit=d.district)
    assert [r.total for r in then.rows] == [2 * people, people]
    assert [r.total for r in now.rows] == [people, 2 * people]


def test_applying_takes_the_same_queries_for_more_people():
    """The people of merged units are handed over in statements, not one by one: merging
    communities of 2 or of 6 people takes the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for code, people in (("420223", 2), ("430224", 6)):
        d = build_district(code, "区", [2], people=people)
        reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="并",
                                               effective_on=d.effective_on)
        reform_services.operation_add(
            actor=d.admin, reform=reform, kind=OperationKind.MERGE,
            params={"sources": [c.pk for c in d.communities], "name": "合并社区",
                    "end_appointments": [d.chairs[2].pk]})
        with CaptureQueriesContext(connection) as ctx:
            reform_services.reform_apply(actor=d.admin, reform=reform)
        assert Person.objects.filter(unit__name="合并社区", unit__parent=d.streets[0]).count() \
            == 2 * (people + 1)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_comparison_maps_the_old_units_to_the_new(client_for):
    d = build_district("420206", "新区", [3])
    reform = reform_services.reform_create(actor=d.admin, unit=d.district, title="并社区",
                                           effective_on=d.effective_on)
    reform_services.operation_add(
        actor=d.admin, reform=reform, kind=OperationKind.MERGE,
        params={"sources": [d.communities[0].pk, d.communities[1].pk], "name": "东社区",
                "end_appointments": [d.chairs[2].pk]})
    reform_services.reform_apply(actor=d.admin, reform=reform)
    comparison = report_selectors.reform_comparison(user=d.admin, pk=reform.pk)
    active = 3  # each community: three people active, one deceased
    assert comparison.total_before == comparison.total_after == 3 * active
    [row] = comparison.rows
    assert row.unit.name == "东社区" and row.after == 2 * active
    assert sorted((u.name, n) for u, n in row.before) == [("社区1", active), ("社区2", active)]
    page = client_for(d.admin).get(f"/reports/reforms/{reform.pk}/comparison/")
    assert page.status_code == 200 and "东社区" in page.content.decode()
    assert client_for(d.other_admin).get(
        f"/reports/reforms/{reform.pk}/comparison/").status_code == 404


def test_freezing_a_year_before_a_reform_keeps_that_years_tree():
    """Last year's tables, frozen after this year's reform, are last year's: the district's
    rows are its street offices of then, with their people then."""
    from reports import services as report_services
    from reports.selectors import SUMMARY_KIND

    d = build_district("420207", "旧区", [2, 1])
    year = dt.date.today().year
    # The reform falls in this year (on 1 January at the earliest), so last year's end is
    # before it whatever today's date.
    d.effective_on = max(d.effective_on, dt.date(year, 1, 1))
    d.day_before = d.effective_on - dt.timedelta(days=1)
    before = report_selectors.summary_table(user=d.admin, unit=d.district,
                                            as_of=dt.date(year - 1, 12, 31))
    reform = _plan(d, [[0, 1], [2]])
    _end_second_chairs(d, reform, [[0, 1], [2]])
    reform_services.reform_apply(actor=d.admin, reform=reform)
    report_services.summary_tables_freeze(actor=d.admin, unit=d.district, year=year - 1)
    frozen = report_selectors.summary_table_of_year(user=d.admin, unit=d.district,
                                                    year=year - 1)
    assert frozen.status.frozen
    assert [(r.name, r.total) for r in frozen.rows] == [
        (r.unit.name, r.total) for r in before.rows]
    from core.models import Snapshot

    street = Snapshot.objects.get(kind=SUMMARY_KIND, unit=d.streets[0], year=year - 1)
    assert [row["name"] for row in street.payload["rows"]] == ["社区1", "社区2"]
