"""The annual plan (年度工作计划): the minimum content and the unfulfilled items (pure rules,
with a fixed day); one plan per unit and year; items fulfilled by any ledger's entry of the
plan's unit and year, linked generically; the flags on the plan's page, in the list, on the
status page and in the ledger book's registry; the export and the import of the items;
query counts that do not grow."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from ledgers import records_selectors as selectors
from ledgers import records_services as services
from ledgers import rules
from ledgers.models import AnnualPlan, PlanFulfilment, PlanItem
from ledgers.registry import ledger
from people.tests.test_imports import upload, xlsx

TODAY = timezone.localdate()
YEAR = TODAY.year


def _state(kind="activity", influential=False, due_on=None, fulfilled=False, title="x"):
    return rules.ItemState(kind=kind, influential=influential, title=title, due_on=due_on,
                           fulfilled=fulfilled)


def test_the_minimum_content():
    good = [_state(influential=True), _state("practical")]
    assert rules.plan_minimum_problems(good) == []
    assert rules.plan_minimum_problems(good + [_state("practical")]) == []
    three = rules.plan_minimum_problems(good + [_state("practical"), _state("practical")])
    assert len(three) == 1 and "3" in three[0]
    missing = rules.plan_minimum_problems([_state(), _state("other")])
    assert len(missing) == 2  # no influential activity, no practical thing


def test_an_item_is_unfulfilled_when_due_or_when_the_year_has_ended():
    day = dt.date(2026, 6, 15)
    due = _state(due_on=dt.date(2026, 6, 14), title="助残日")
    assert "2026-06-14" in rules.item_unfulfilled(due, year=2026, today=day)
    assert rules.item_unfulfilled(_state(due_on=dt.date(2026, 6, 15)), year=2026,
                                  today=day) is None
    assert rules.item_unfulfilled(_state(), year=2026, today=day) is None
    assert "2025" in rules.item_unfulfilled(_state(), year=2025, today=day)
    done = _state(due_on=dt.date(2026, 1, 1), fulfilled=True)
    assert rules.item_unfulfilled(done, year=2025, today=day) is None
    flags = rules.plan_flags([due], year=2026, today=day)
    assert len(flags) == 3  # no influential, no practical, one overdue


def test_item_rules():
    assert set(rules.plan_item_problems({"title": "", "kind": "practical", "influential": True,
                                         "due_on": dt.date(2025, 1, 1)}, year=2026)) == {
        "title", "influential", "due_on"}
    assert rules.plan_item_problems({"title": "x", "kind": "activity", "influential": True,
                                     "due_on": dt.date(2026, 5, 1)}, year=2026) == {}


def _plan(unit, year=YEAR, items=(("activity", True, "助残日活动"), ("practical", False,
                                                                    "无障碍改造"))):
    plan = services.plan_create(actor=SYSTEM, unit=unit, year=year, summary="全年目标")
    for kind, influential, title in items:
        services.plan_item_add(actor=SYSTEM, plan=plan, kind=kind, influential=influential,
                               title=title)
    return plan


def _meeting(unit, day):
    return services.meeting_create(actor=SYSTEM, unit=unit, held_on=day, kind="work",
                                   minutes="例会", today=day)


def test_one_plan_per_unit_and_year(tree):
    _plan(tree.community)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(actor=SYSTEM, unit=tree.community, year=YEAR)
    assert "year" in refused.value.message_dict
    services.plan_create(actor=SYSTEM, unit=tree.village, year=YEAR)


def test_an_item_is_fulfilled_by_an_entry_of_the_plans_unit_and_year(tree):
    plan = _plan(tree.community, year=2025)
    item = plan.items.get(kind="activity")
    mine = _meeting(tree.community, dt.date(2025, 5, 16))
    services.plan_fulfilment_add(actor=SYSTEM, planitem=item, entry=mine)
    services.plan_fulfilment_add(actor=SYSTEM, planitem=item, entry=mine)  # once only
    assert PlanFulfilment.objects.filter(item=item).count() == 1
    for other in (_meeting(tree.village, dt.date(2025, 5, 16)),
                  _meeting(tree.community, dt.date(2024, 5, 16))):
        with pytest.raises(ValidationError):
            services.plan_fulfilment_add(actor=SYSTEM, planitem=item, entry=other)
    entry = services.work_entry_create(actor=SYSTEM, unit=tree.community,
                                       written_on=dt.date(2025, 7, 1), content="改造完成",
                                       today=dt.date(2025, 7, 1))
    services.plan_fulfilment_add(actor=SYSTEM, planitem=plan.items.get(kind="practical"),
                                 entry=entry)
    plan = selectors.plan_get(user=tree.county_admin, pk=plan.pk)
    assert selectors.plan_flags(plan).all == []
    shown = selectors.item_fulfilments(list(plan.items.all()), user=tree.village_officer)
    assert [f.entry for f in shown[item.pk]] == [mine]
    assert str(shown[item.pk][0].ledger_title) and shown[item.pk][0].date == mine.held_on


def test_the_fulfilling_ledgers_are_the_declared_ones_with_a_unit(tree):
    keys = {one.key for one in services.fulfilling_ledgers()}
    assert {"workbook", "meetings"} <= keys
    assert "plan" not in keys and "register" not in keys and "visits" not in keys


def test_the_plan_page_flags_an_unfulfilled_item_and_links_a_fulfilment(tree, client_for):
    plan = _plan(tree.community, year=YEAR - 1, items=(("activity", True, "助残日活动"),))
    meeting = _meeting(tree.community, dt.date(YEAR - 1, 5, 16))
    client = client_for(tree.village_officer)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "助残日活动" in page and "badge--warn" in page
    item = plan.items.get()
    url = reverse("ledgers:planitem_fulfil", args=[item.pk])
    page = client.get(url, {"ledger": "meetings"}).content.decode()
    assert f'value="{meeting.pk}"' in page
    response = client.post(f"{url}?ledger=meetings", {"entry": meeting.pk})
    assert response.status_code == 302
    assert PlanFulfilment.objects.get().entry == meeting
    page = client.get(plan.get_absolute_url()).content.decode()
    assert meeting.get_absolute_url() in page
    # An entry of another unit is not offered, and a forged one is refused.
    other = _meeting(tree.village, dt.date(YEAR - 1, 5, 16))
    response = client.post(f"{url}?ledger=meetings", {"entry": other.pk})
    assert response.status_code == 200 and PlanFulfilment.objects.count() == 1
    assert client.get(url, {"ledger": "nosuch"}).status_code == 404


def test_a_plan_is_made_and_its_items_added_on_a_phone_sized_form(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("ledgers:annualplan_create"),
                           {"year": YEAR, "summary": "全年目标", "notes": ""})
    plan = AnnualPlan.objects.get()
    assert plan.unit == tree.community
    assert response.url == reverse("ledgers:planitem_create", args=[plan.pk])
    url = reverse("ledgers:planitem_create", args=[plan.pk])
    response = client.post(url, {"kind": "activity", "title": "助残日活动", "influential": "on",
                                 "another": "1"})
    assert response.status_code == 302 and response.url == url
    response = client.post(url, {"kind": "practical", "title": "改造", "influential": "on"})
    assert response.status_code == 200  # only an activity is influential
    assert PlanItem.objects.count() == 1
    response = client.post(reverse("ledgers:annualplan_create"), {"year": YEAR})
    assert response.status_code == 200 and AnnualPlan.objects.count() == 1


def test_the_list_and_the_status_page_show_the_flags(tree, client_for):
    _plan(tree.community)  # complete
    _plan(tree.village, items=(("activity", False, "走访"),))  # lacks its minimum
    _plan(tree.other_village)
    client = client_for(tree.county_admin)
    page = client.get(reverse("ledgers:annualplan_list"), {"year": YEAR}).content.decode()
    assert "东山根社区" in page and "高家庄" in page and "红堡子" in page
    page = client.get(reverse("ledgers:annualplan_list"),
                      {"flag": "minimum"}).content.decode()
    assert "高家庄" in page and "东山根社区" not in page
    status = client.get(reverse("ledgers:plan_status"), {"year": YEAR})
    rows = {row.unit.pk: row for row in status.context["rows"]}
    assert rows[tree.township.pk].plan is None and rows[tree.community.pk].flags.all == []
    assert rows[tree.village.pk].flags.minimum
    assert status.context["missing"] == 2  # the two townships
    assert "No plan" in status.content.decode() or "没有计划" in status.content.decode()


def test_the_unfulfilled_filter(tree, client_for):
    late = _plan(tree.community, year=YEAR - 1)
    _plan(tree.village, year=YEAR - 1, items=())
    done = _plan(tree.other_village, year=YEAR - 1, items=(("activity", True, "活动"),))
    services.plan_fulfilment_add(actor=SYSTEM, planitem=done.items.get(),
                                 entry=_meeting(tree.other_village, dt.date(YEAR - 1, 3, 3)))
    page = client_for(tree.county_admin).get(reverse("ledgers:annualplan_list"),
                                             {"flag": "unfulfilled"})
    assert [plan.pk for plan in page.context["table"].data] == [late.pk]


def test_the_registry_declares_the_plan_with_its_shortfalls_and_chapter(tree):
    plan_ledger = ledger("plan")
    assert plan_ledger.order == 5
    assert plan_ledger.counts([tree.community.pk, tree.village.pk], YEAR) == {}
    assert plan_ledger.lacks(tree.community, YEAR, 0)
    _plan(tree.community, year=YEAR - 1, items=(("practical", False, "改造"),))
    assert plan_ledger.counts([tree.community.pk], YEAR - 1) == {tree.community.pk: 1}
    lacks = plan_ledger.lacks(tree.community, YEAR - 1, 1)
    assert len(lacks) == 2  # no influential activity; 改造 not fulfilled in the year
    entries = plan_ledger.chapter_rows(plan_ledger.year_entries([tree.community.pk], YEAR - 1))
    html = render_to_string(plan_ledger.chapter, {"entries": entries, "unit": tree.community,
                                                  "year": YEAR - 1})
    assert "改造" in html and "style=" not in html and lacks[0] in html


def test_the_work_book_and_meetings_chapters_render(tree):
    entry = services.work_entry_create(actor=SYSTEM, unit=tree.community,
                                       written_on=dt.date(2025, 3, 1), content="走访三户",
                                       today=dt.date(2025, 3, 1))
    services.work_entry_annotate(actor=SYSTEM, workentry=entry, text="已核实")
    _meeting(tree.community, dt.date(2025, 4, 1))
    for key, text in (("workbook", "已核实"), ("meetings", "例会")):
        book = ledger(key)
        rows = book.chapter_rows(book.year_entries([tree.community.pk], 2025))
        html = render_to_string(book.chapter, {"entries": rows, "unit": tree.community,
                                               "year": 2025})
        assert text in html and "style=" not in html
    assert ledger("workbook").lacks(tree.community, 2025, 1)  # 11 months without an entry
    assert ledger("meetings").lacks(tree.village, 2025, 0)


def test_a_plan_exports_as_its_paper_page(tree, client_for):
    plan = _plan(tree.community)
    response = client_for(tree.village_officer).get(
        reverse("ledgers:annualplan_workbook", args=[plan.pk]))
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
        values_only=True))
    assert rows[0][0] == f"东山根社区残协{YEAR}年度工作计划"
    assert rows[1][:4] == ("年度", "类别", "是否有影响力活动", "项目")
    assert [r[3] for r in rows[2:]] == ["助残日活动", "无障碍改造"]
    listed = client_for(tree.county_admin).get(reverse("ledgers:annualplan_export"),
                                               {"year": YEAR, "unit": tree.community.pk})
    rows = list(openpyxl.load_workbook(io.BytesIO(listed.content)).active.iter_rows(
        values_only=True))
    assert rows[0][0] == f"东山根社区残协{YEAR}年度工作计划" and len(rows) == 4


def test_the_items_import_makes_the_plan(tree):
    header = ["年度", "类别", "是否有影响力活动", "项目", "目标", "完成时限"]
    rows = [[YEAR, "活动", "是", "助残日活动", "一次", f"{YEAR}-05-20"],
            [YEAR, "实事", "", "无障碍改造", "5户", ""],
            [YEAR, "实事", "是", "错的", "", ""],
            [YEAR, "活动", "", "跨年", "", f"{YEAR + 1}-01-05"]]
    job = upload(tree.village_officer, xlsx(rows, header=header), kind="planitems", mode="good")
    assert job.created == 2 and job.bad_rows == 2, job.errors
    plan = AnnualPlan.objects.get()
    assert plan.unit == tree.community and plan.items.count() == 2
    assert {(row, label) for row, label, _v, _r in job.errors} == {
        (4, "是否有影响力活动"), (5, "完成时限")}


def _grow(tree, n, start=0):
    from orgs import services as org_services

    for i in range(start, start + n):
        unit = org_services.unit_create(actor=SYSTEM, parent=tree.township, level=5,
                                        code=f"620422100{300 + i}", name=f"新村{i}")
        plan = _plan(unit, items=(("activity", True, "活动"), ("practical", False, "实事"),
                                  ("other", False, "其他")))
        services.plan_fulfilment_add(actor=SYSTEM, planitem=plan.items.first(),
                                     entry=_meeting(unit, TODAY))


@pytest.mark.parametrize(("name", "params"), [
    ("ledgers:annualplan_list", {}), ("ledgers:annualplan_export", {}),
    ("ledgers:plan_status", {"year": YEAR}), ("ledgers:annualplan_list", {"flag": "minimum"}),
])
def test_the_plan_pages_queries_do_not_grow(tree, client_for, django_assert_max_num_queries,
                                            name, params):
    client = client_for(tree.county_admin)
    _grow(tree, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(name), params).status_code == 200
    _grow(tree, 8, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name), params).status_code == 200


def test_the_plan_page_queries_do_not_grow_with_items(tree, client_for,
                                                      django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    plan = _plan(tree.community)
    # One entry of each ledger at first: the entries are read once per ledger.
    services.plan_fulfilment_add(actor=SYSTEM, planitem=plan.items.first(),
                                 entry=_meeting(tree.community, TODAY))
    services.plan_fulfilment_add(actor=SYSTEM, planitem=plan.items.first(),
                                 entry=services.work_entry_create(
                                     actor=SYSTEM, unit=tree.community, written_on=TODAY,
                                     content="记录"))
    with django_assert_max_num_queries(30) as small:
        assert client.get(plan.get_absolute_url()).status_code == 200
    for i in range(8):
        item = services.plan_item_add(actor=SYSTEM, plan=plan, kind="other", title=f"项{i}")
        services.plan_fulfilment_add(actor=SYSTEM, planitem=item,
                                     entry=_meeting(tree.community, TODAY))
        services.plan_fulfilment_add(
            actor=SYSTEM, planitem=item, entry=services.work_entry_create(
                actor=SYSTEM, unit=tree.community, written_on=TODAY, content=f"记录{i}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(plan.get_absolute_url()).status_code == 200
