"""The 100-point assessment on real data: each computed measure against data built to meet
it and to miss it, a scheme published only at 100, the round's steps in order, the veto,
the confirmed round frozen, who may do what, the pages, the export, the demo, and a number
of queries that does not grow with the number of units."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditLog
from core.actors import SYSTEM
from ledgers import records_services
from ledgers.tests.petitions import make_petition
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.tests.factories import make_person
from standards import assessment_measures as measures
from standards import assessment_selectors as selectors
from standards import assessment_services as services
from standards.demo import build_scheme, load_assessment_demo
from standards.models import AssessmentItem, AssessmentSheet
from standards.tests.factories import defaults, officer, profile
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def _value(key, unit):
    return measures.evaluate(key, [unit], YEAR)[unit.pk].value


def _visit(person, day=None):
    return people_services.visit_record(actor=SYSTEM, person=person,
                                        visited_on=day or TODAY, worker_name="王专委",
                                        mode="home")


def _round(tree, **kwargs):
    scheme = build_scheme(actor=SYSTEM, county=tree.county, year=YEAR)
    return services.round_create(actor=SYSTEM, scheme=scheme, **kwargs)


def _sheet(round_, unit):
    return AssessmentSheet.objects.get(round=round_, unit=unit)


def _hand(round_):
    return [i for i in AssessmentItem.objects.filter(category__scheme=round_.scheme)
            if not i.computed]


def _score(sheet, points, *, inspector=True):
    hand = _hand(sheet.round)
    sheet = services.sheet_self_score(actor=SYSTEM, sheet=sheet,
                                      values={i.pk: points for i in hand})
    if inspector:
        sheet = services.sheet_inspect(actor=SYSTEM, sheet=sheet,
                                       values={i.pk: points for i in hand},
                                       reasons={i.pk: "现场查看" for i in hand})
    return sheet


# ---- the measures, met and missed ----------------------------------------------------------

def test_the_visit_rate_counts_the_people_visited_this_year(tree):
    seen = make_person(unit=tree.village, name="高有才")
    make_person(unit=tree.village, name="高未访")
    make_person(unit=tree.other_village, name="红未访")
    _visit(seen)
    assert _value("visit_rate", tree.township) == D("0.5")
    assert _value("visit_rate", tree.village) == D("0.5")
    assert _value("visit_rate", tree.other_township) == 0


def test_liaison_officers_trainings_and_ledgers_are_counted(tree):
    officer(tree.village, name="高专委")
    workforce_services.training_create(
        actor=SYSTEM, unit=tree.township, title="专职委员培训", level="township",
        starts_on=TODAY, ends_on=TODAY, hours=D("4"), content="", trainer="县残联")
    records_services.work_entry_create(actor=SYSTEM, unit=tree.township, written_on=TODAY,
                                       subject="走访", content="走访记录")
    assert _value("liaison_count", tree.township) == 1
    assert _value("liaison_count", tree.other_township) == 0
    assert _value("trainings", tree.township) == 1
    assert _value("trainings", tree.other_township) == 0
    assert _value("ledger_entries", tree.township) >= 1
    assert _value("ledger_entries", tree.other_township) == 0


def test_needs_met_is_the_share_of_the_closed_needs_met(tree):
    met = make_person(unit=tree.village, name="高满足")
    unmet = make_person(unit=tree.other_village, name="红未满足")
    people_services.need_create(actor=SYSTEM, person=met, type="devices", detail="轮椅",
                                status="met", closed_on=TODAY, outcome="已发放")
    people_services.need_create(actor=SYSTEM, person=unmet, type="devices", detail="轮椅",
                                status="unmet", unmet_reason="不符合条件")
    assert _value("needs_met", tree.township) == 1
    assert _value("needs_met", tree.other_township) == 0


def test_late_petitions_and_petitions_over_the_units_head(tree):
    person = make_person(unit=tree.village, name="马来访")
    make_petition(unit=tree.village, days_ago=min(90, TODAY.timetuple().tm_yday - 1))
    make_petition(unit=tree.county, person=person, days_ago=1, name="马来访")
    make_petition(unit=tree.other_village, days_ago=0, name="红来访")  # on time, at home
    assert _value("late_petitions", tree.township) == 1
    assert _value("late_petitions", tree.other_township) == 0
    assert _value("escalated_petitions", tree.township) == 1
    assert _value("escalated_petitions", tree.other_township) == 0


def test_standards_attainment_rises_with_the_items_met(tree):
    defaults()
    before = _value("standards_attainment", tree.township)
    profile(tree.township, has_plaque=True, address="会师镇政府二楼")
    after = _value("standards_attainment", tree.township)
    assert 0 <= before < after <= 1


def test_every_indicator_of_the_standards_is_a_measure(tree):
    profile(tree.township, has_plaque=True)
    assert _value("plaque", tree.township) == 1
    assert _value("plaque", tree.other_township) == 0


# ---- schemes ---------------------------------------------------------------------------------

def test_a_scheme_is_published_only_when_its_points_add_up_to_100(tree):
    scheme = build_scheme(actor=SYSTEM, county=tree.county, year=YEAR, publish=False)
    item = AssessmentItem.objects.filter(category__scheme=scheme, method="manual").first()
    services.item_update(actor=SYSTEM, item=item, **{
        f: getattr(item, f) for f in services.ITEM_FIELDS if f != "max_points"},
        max_points=D("5"))
    with pytest.raises(ValidationError, match="95"):
        services.scheme_publish(actor=SYSTEM, scheme=scheme)
    services.item_update(actor=SYSTEM, item=item, **{
        f: getattr(item, f) for f in services.ITEM_FIELDS if f != "max_points"},
        max_points=D("10"))
    assert services.scheme_publish(actor=SYSTEM, scheme=scheme).status == "published"
    with pytest.raises(ValidationError):
        services.category_add(actor=SYSTEM, scheme=scheme, name="加分项")


def test_a_copy_for_a_new_year_is_a_draft_with_the_same_items(tree):
    scheme = build_scheme(actor=SYSTEM, county=tree.county, year=YEAR)
    copy = services.scheme_copy(actor=SYSTEM, scheme=scheme, year=YEAR + 1)
    assert copy.is_draft and copy.copied_from == scheme
    assert services.max_total(copy) == D("100")
    assert list(AssessmentItem.objects.filter(category__scheme=copy)
                .values_list("text", flat=True).order_by("text")) == \
        list(AssessmentItem.objects.filter(category__scheme=scheme)
             .values_list("text", flat=True).order_by("text"))
    with pytest.raises(ValidationError):
        services.scheme_copy(actor=SYSTEM, scheme=scheme, year=YEAR + 1)


def test_a_township_officer_does_not_build_schemes(tree):
    with pytest.raises(PermissionDenied):
        services.scheme_create(actor=tree.township_officer, region=tree.county, year=YEAR,
                               level=Level.TOWNSHIP, name="考核")


# ---- the round -------------------------------------------------------------------------------

def test_the_round_gives_each_township_of_the_county_a_sheet(tree):
    round_ = _round(tree)
    assert set(round_.sheets.values_list("unit_id", flat=True)) == {
        tree.township.pk, tree.other_township.pk}


def test_the_steps_come_in_order_and_the_confirmed_round_is_frozen(tree):
    round_ = _round(tree)
    sheet = _sheet(round_, tree.township)
    hand = _hand(round_)
    with pytest.raises(ValidationError, match="尚未自评"):
        services.sheet_inspect(actor=SYSTEM, sheet=sheet, values={i.pk: 5 for i in hand},
                               reasons={i.pk: "查看" for i in hand})
    sheet = _score(sheet, 8)
    with pytest.raises(ValidationError):  # inspected: the self-score stays as it was
        services.sheet_self_score(actor=SYSTEM, sheet=sheet, values={i.pk: 9 for i in hand})
    with pytest.raises(ValidationError, match="还有1个"):
        services.round_confirm(actor=SYSTEM, round_=round_)
    _score(_sheet(round_, tree.other_township), 6)
    before = {r.unit.pk: r.final_total for r in selectors.round_results(round_)}
    round_ = services.round_confirm(actor=SYSTEM, round_=round_)
    assert round_.confirmed
    _visit(make_person(unit=tree.village, name="后来访"))  # the data changes after
    after = {r.unit.pk: r.final_total for r in selectors.round_results(round_)}
    assert after == before
    kept = _sheet(round_, tree.township)
    assert kept.total == before[tree.township.pk] and kept.rank == 1
    with pytest.raises(ValidationError):
        services.sheet_inspect(actor=SYSTEM, sheet=kept, values={i.pk: 1 for i in hand},
                               reasons={i.pk: "改" for i in hand})


def test_the_hand_items_give_the_points_and_the_computed_ones_are_filled_in(tree):
    round_ = _round(tree)
    _visit(make_person(unit=tree.village, name="高有才"))
    _score(_sheet(round_, tree.township), 7)
    result = selectors.sheet_result(_sheet(round_, tree.township))
    manual = [ln for ln in result.lines if ln.item.method == "manual"]
    assert all(ln.points == D("7.0") for ln in manual)
    visit = next(ln for ln in result.lines if ln.item.measure == "visit_rate")
    assert visit.self.base == visit.final.base == D("20.0")  # the one person was visited
    assert visit.evidence_url.startswith(reverse("people:person_list"))
    assert result.final_total == sum((ln.points for ln in result.lines), D(0))
    assert any(ln.item.measure == "trainings" for ln in result.to_gain)


def test_a_petition_over_the_units_head_caps_its_total(tree):
    round_ = _round(tree)
    person = make_person(unit=tree.village, name="马来访")
    _visit(person)
    for unit in (tree.township, tree.other_township):
        officer(unit, name=f"{unit.name}专委")
    _score(_sheet(round_, tree.township), 10)
    _score(_sheet(round_, tree.other_township), 10)
    clean = {r.unit.pk: r.final_total for r in selectors.round_results(round_)}
    make_petition(unit=tree.county, person=person, days_ago=0, name="马来访")
    found = {r.unit.pk: r for r in selectors.round_results(round_)}
    assert clean[tree.township.pk] > D("59")
    assert found[tree.township.pk].final_total == D("59.0")
    assert found[tree.township.pk].vetoed and found[tree.township.pk].grade == "fail"
    assert found[tree.other_township.pk].final_total == clean[tree.other_township.pk]


def test_ranks_grades_commended_and_criticised(tree):
    third = org_services.unit_create(actor=SYSTEM, parent=tree.county, level=Level.TOWNSHIP,
                                     code="620422102", name="新添堡乡")
    round_ = _round(tree, commend_percent=D("35"), criticise_count=1)
    _score(_sheet(round_, tree.township), 10)
    _score(_sheet(round_, tree.other_township), 4)
    _score(_sheet(round_, third), 4)
    results = {r.unit.pk: r for r in selectors.round_results(round_)}
    assert results[tree.township.pk].rank == 1 and results[tree.township.pk].commended
    assert results[tree.other_township.pk].rank == results[third.pk].rank == 2  # a tie
    assert results[tree.other_township.pk].criticised and results[third.pk].criticised
    assert not results[tree.township.pk].criticised


def test_the_township_officer_scores_its_own_unit_only(tree):
    round_ = _round(tree)
    hand = _hand(round_)
    services.sheet_self_score(actor=tree.township_officer, sheet=_sheet(round_, tree.township),
                              values={i.pk: 5 for i in hand})
    with pytest.raises(PermissionDenied):
        services.sheet_self_score(actor=tree.township_officer,
                                  sheet=_sheet(round_, tree.other_township),
                                  values={i.pk: 5 for i in hand})
    with pytest.raises(PermissionDenied):
        services.sheet_inspect(actor=tree.township_officer,
                               sheet=_sheet(round_, tree.township),
                               values={i.pk: 5 for i in hand}, reasons={i.pk: "x" for i in hand})
    services.sheet_inspect(actor=tree.county_admin, sheet=_sheet(round_, tree.township),
                           values={i.pk: 5 for i in hand}, reasons={i.pk: "x" for i in hand})


# ---- the pages -------------------------------------------------------------------------------

def test_the_pages_for_the_county_and_the_export(tree, client_for):
    round_ = _round(tree)
    _score(_sheet(round_, tree.township), 9)
    _score(_sheet(round_, tree.other_township), 5)
    client = client_for(tree.county_admin)
    scheme = round_.scheme
    for url in [reverse("standards:scheme_list"), scheme.get_absolute_url(),
                reverse("standards:scheme_copy", args=[scheme.pk]),
                round_.get_absolute_url(), _sheet(round_, tree.township).get_absolute_url(),
                reverse("standards:sheet_inspect", args=[_sheet(round_, tree.township).pk])]:
        assert client.get(url).status_code == 200, url
    page = client.get(round_.get_absolute_url()).content.decode()
    assert page.index("会师镇") < page.index("郭城驿镇")  # ranked
    response = client.get(round_.get_absolute_url() + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "名次")
    assert "考核得分" in header and "等次" in header and any("入户走访" in str(h) for h in header)
    lines = rows[rows.index(header) + 1:]
    assert [r[1] for r in lines] == ["会师镇", "郭城驿镇"]
    assert lines[0][0] == 1 and lines[0][6] == "是"  # first, commended
    results = selectors.round_results(round_)
    assert D(str(lines[0][4])) == results[0].final_total
    assert client.post(reverse("standards:round_confirm", args=[round_.pk])).status_code == 302
    assert AssessmentSheet.objects.filter(round=round_, rank=1).count() == 1


def test_a_township_officer_reads_its_own_line_and_scores_itself(tree, client_for):
    round_ = _round(tree)
    client = client_for(tree.township_officer)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "会师镇" in page and "郭城驿镇" not in page
    own = _sheet(round_, tree.township)
    assert client.get(_sheet(round_, tree.other_township).get_absolute_url()).status_code == 404
    url = reverse("standards:sheet_self", args=[own.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {k: v for k, v in form.context["form"].initial.items()}
    data.update({f"value_{i.pk}": "6" for i in _hand(round_)})
    for field in form.context["form"].hidden_fields():
        data[field.name] = field.value()
    assert client.post(url, data).status_code == 302
    own.refresh_from_db()
    assert own.self_scored_at is not None
    bad = {**data, f"value_{_hand(round_)[0].pk}": "-1"}
    own_again = client.post(url, bad)
    assert own_again.status_code == 200  # a form error, not a 500
    assert client.get(reverse("standards:sheet_inspect", args=[own.pk])).status_code == 403


def test_a_leader_reads_the_results_but_does_not_confirm(tree, client_for):
    round_ = _round(tree)
    client = client_for(tree.leader)
    assert client.get(round_.get_absolute_url()).status_code == 200
    assert client.post(reverse("standards:round_confirm", args=[round_.pk])).status_code == 403


def test_the_inspectors_form_asks_a_reason_per_item(tree, client_for):
    round_ = _round(tree)
    sheet = _score(_sheet(round_, tree.township), 5, inspector=False)
    client = client_for(tree.county_admin)
    url = reverse("standards:sheet_inspect", args=[sheet.pk])
    form = client.get(url).context["form"]
    data = {f.name: f.value() for f in form.hidden_fields()}
    data.update({f"value_{i.pk}": "4" for i in _hand(round_)})
    response = client.post(url, data)
    assert response.status_code == 200 and "reason" in str(response.context["form"].errors)
    data.update({f"reason_{i.pk}": "台账不全" for i in _hand(round_)})
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert sheet.inspected_at is not None


# ---- the queries do not grow with the units --------------------------------------------------

def _county_with(n, code):
    county = org_services.unit_create(actor=SYSTEM, parent=None, level=Level.PROVINCE,
                                      code=code, name=f"省{code}")
    county = org_services.unit_create(actor=SYSTEM, parent=county, level=Level.COUNTY,
                                      code=f"{code}0101", name=f"县{code}")
    for i in range(n):
        township = org_services.unit_create(actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                                            code=f"{code}0101{100 + i:03d}", name=f"镇{i}")
        village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                           code=f"{code}0101{100 + i:03d}200", name=f"村{i}")
        _visit(make_person(unit=village, name=f"残{i}"))
        officer(village, name=f"专委{i}")
    scheme = build_scheme(actor=SYSTEM, county=county, year=YEAR)
    round_ = services.round_create(actor=SYSTEM, scheme=scheme)
    for sheet in round_.sheets.all():
        _score(sheet, 7)
    return round_


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def test_computing_a_round_takes_the_same_queries_for_n_and_3n_units(tree):
    defaults()
    small, large = _county_with(2, "63"), _county_with(6, "64")
    counts = [_queries(lambda r=r: selectors.round_results(r)) for r in (small, large)]
    assert counts[0] == counts[1]
    assert len(selectors.round_results(large)) == 6
    services.round_confirm(actor=SYSTEM, round_=small)
    services.round_confirm(actor=SYSTEM, round_=large)
    small.refresh_from_db()
    large.refresh_from_db()
    frozen = [_queries(lambda r=r: selectors.round_results(r)) for r in (small, large)]
    assert frozen[0] == frozen[1] <= counts[0]


def test_the_round_page_takes_the_same_queries_for_n_and_3n_units(tree, client_for):
    small, large = _county_with(2, "63"), _county_with(6, "64")
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    counts = []
    for round_ in (small, large):
        user = UserFactory(username=f"u{round_.pk}", unit=round_.scheme.region,
                           role=Role.ADMIN)
        client = client_for(user)
        client.get(round_.get_absolute_url())
        counts.append(_queries(lambda c=client, r=round_: c.get(r.get_absolute_url())))
    assert counts[0] == counts[1]


# ---- the demo --------------------------------------------------------------------------------

def test_the_demo_finishes_a_round_with_a_ranking_once(tree):
    scheme = load_assessment_demo(county=tree.county, today=TODAY)
    round_ = scheme.round
    assert round_.confirmed
    ranked = list(round_.sheets.order_by("rank").values_list("unit__name", "rank"))
    assert [r for _n, r in ranked] == [1, 2] or {r for _n, r in ranked} == {1}
    audited = AuditLog.objects.count()
    assert load_assessment_demo(county=tree.county, today=TODAY) == scheme
    assert AuditLog.objects.count() == audited
    assert selectors.assessment_ranking(round_)[0].rank == 1


def test_a_scheme_of_last_year_is_kept_apart(tree):
    last = build_scheme(actor=SYSTEM, county=tree.county, year=YEAR - 1)
    this = build_scheme(actor=SYSTEM, county=tree.county, year=YEAR)
    assert last.pk != this.pk
    assert dt.date(YEAR, 1, 1).year == this.year


def test_a_stale_self_score_is_refused(tree):
    round_ = _round(tree)
    sheet = _sheet(round_, tree.township)
    hand = _hand(round_)
    services.sheet_self_score(actor=SYSTEM, sheet=sheet, values={i.pk: 5 for i in hand},
                              expected_version=sheet.version)
    with pytest.raises(ValidationError):
        services.sheet_self_score(actor=SYSTEM, sheet=sheet, values={i.pk: 6 for i in hand},
                                  expected_version=sheet.version, started_from={})


def test_the_sites_find_the_round_of_a_county_and_its_ranking(tree):
    round_ = _round(tree)
    _score(_sheet(round_, tree.township), 9)
    found = selectors.round_for(county=tree.county, level=Level.TOWNSHIP, year=YEAR)
    assert found == round_
    assert selectors.round_for(county=tree.county, level=Level.VILLAGE, year=YEAR) is None
    ranking = selectors.assessment_ranking(found)
    assert [r.unit for r in ranking] == [tree.township]  # the other is not inspected yet


def test_the_county_does_not_score_a_township_in_its_place(tree, client_for):
    round_ = _round(tree)
    sheet = _sheet(round_, tree.township)
    client = client_for(tree.county_admin)
    assert client.get(reverse("standards:sheet_self", args=[sheet.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.sheet_self_score(actor=tree.county_admin, sheet=sheet,
                                  values={i.pk: 5 for i in _hand(round_)})


def _post(client, url, data):
    """Post ``data`` to the form at ``url`` with the form's hidden fields (token, version)."""
    form = client.get(url).context["form"]
    return client.post(url, {**{f.name: f.value() or "" for f in form.hidden_fields()}, **data})


def test_a_county_builds_publishes_and_opens_a_scheme_on_the_pages(tree, client_for):
    from standards.models import AssessmentScheme

    client = client_for(tree.county_admin)
    response = _post(client, reverse("standards:scheme_create"), {
        "name": "乡镇残联考核", "year": YEAR, "level": Level.TOWNSHIP, "bonus_cap": "0",
        "excellent_from": "90", "good_from": "80", "pass_from": "60"})
    scheme = AssessmentScheme.objects.get(region=tree.county, year=YEAR)
    assert response.status_code == 302 and response.url == scheme.get_absolute_url()
    assert _post(client, reverse("standards:scheme_category_add", args=[scheme.pk]),
                 {"name": "工作开展"}).status_code == 302
    category = scheme.categories.get()
    item_url = reverse("standards:scheme_item_add", args=[scheme.pk])
    wrong = _post(client, item_url, {"category": category.pk, "text": "入户走访",
                                     "max_points": "60", "method": "pro_rata",
                                     "measure": "visit_rate", "evidence": "household"})
    assert wrong.status_code == 200 and "target" in wrong.context["form"].errors
    for text, points, method, measure in [("入户走访", "60", "indicator", "visit_rate"),
                                          ("现场查看", "30", "manual", "")]:
        assert _post(client, item_url, {"category": category.pk, "text": text,
                                        "max_points": points, "method": method,
                                        "measure": measure, "evidence": "on_site"}
                     ).status_code == 302
    publish = reverse("standards:scheme_publish", args=[scheme.pk])
    page = client.post(publish, follow=True).content.decode()
    assert "90.0" in page and scheme.status == "draft"  # 60 + 30: refused, said why
    scheme.refresh_from_db()
    assert scheme.is_draft
    assert _post(client, item_url, {"category": category.pk, "text": "群众满意度",
                                    "max_points": "10", "method": "manual",
                                    "evidence": "household"}).status_code == 302
    client.post(publish)
    scheme.refresh_from_db()
    assert not scheme.is_draft
    response = _post(client, reverse("standards:round_create", args=[scheme.pk]),
                     {"commend_percent": "35", "criticise_count": "1"})
    assert response.status_code == 302
    assert scheme.round.sheets.count() == 2
    again = _post(client, reverse("standards:round_create", args=[scheme.pk]),
                  {"commend_percent": "35", "criticise_count": "1"})
    assert again.status_code == 200  # one round per scheme: a form error, not a second one
