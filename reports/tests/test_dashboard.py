"""The dashboard of a unit on the register of conftest.py (counts known by hand) with needs,
visits, officers, training, the standards and an assessment round added: every figure, the
link behind it, a fixed number of queries, who may see it, the workbook and the PDF."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.models import Person
from reports.dashboard_selectors import dashboard
from workforce import services as workforce_services
from workforce.tests.factories import make_officer

from .conftest import ADULT, register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year


def _person(name):
    return Person.objects.get(name=name)


def build_work(ns):
    """Needs, visits, officers, training, standards and an assessment round in 会师镇."""
    t = ns.tree
    one, two, eight = _person("一"), _person("二"), _person("八")
    people_services.need_create(actor=SYSTEM, person=one, type="rehabilitation",
                                registered_on=TODAY)
    people_services.need_create(actor=SYSTEM, person=eight, type="rehabilitation",
                                registered_on=TODAY)
    people_services.need_create(actor=SYSTEM, person=eight, type="devices",
                                registered_on=TODAY)
    met = people_services.need_create(actor=SYSTEM, person=two, type="devices",
                                      registered_on=TODAY)
    people_services.need_update(actor=SYSTEM, need=met, status="met", closed_on=TODAY,
                                outcome="配发轮椅")
    people_services.need_create(actor=SYSTEM, person=_person("十二"), type="devices",
                                registered_on=TODAY)  # the other township's: not counted
    for person in (one, two):
        people_services.visit_record(actor=SYSTEM, person=person, visited_on=TODAY,
                                     worker_name="王专委", mode="home")
    ns.township_liaison = make_officer(unit=t.township, name="镇专委")
    ns.community_liaison = make_officer(unit=t.community, name="社区专委")
    make_officer(unit=t.other_village, name="红堡子专委")  # the other township's
    first = dt.date(YEAR, 1, 1)
    sessions = [workforce_services.training_create(
        actor=SYSTEM, unit=t.township, title=f"专职委员培训{i}", level="township",
        starts_on=first, ends_on=first, hours=Decimal(4), content="", trainer="县残联")
        for i in (1, 2)]
    workforce_services.attendance_set(actor=SYSTEM, session=sessions[0], workers=[
        ns.township_liaison.worker, ns.community_liaison.worker])
    workforce_services.attendance_set(actor=SYSTEM, session=sessions[1],
                                      workers=[ns.township_liaison.worker])
    from standards.tests.factories import defaults

    defaults(YEAR)
    from standards import assessment_services
    from standards.demo import build_scheme
    from standards.models import AssessmentItem, AssessmentSheet

    scheme = build_scheme(actor=SYSTEM, county=t.county, year=YEAR)
    ns.round = assessment_services.round_create(actor=SYSTEM, scheme=scheme)
    hand = [i for i in AssessmentItem.objects.filter(category__scheme=scheme) if not i.computed]
    for unit, points in ((t.township, 9), (t.other_township, 5)):
        sheet = AssessmentSheet.objects.get(round=ns.round, unit=unit)
        sheet = assessment_services.sheet_self_score(actor=SYSTEM, sheet=sheet,
                                                     values={i.pk: points for i in hand})
        assessment_services.sheet_inspect(actor=SYSTEM, sheet=sheet,
                                          values={i.pk: points for i in hand},
                                          reasons={i.pk: "现场查看" for i in hand})
    ns.sheet = AssessmentSheet.objects.get(round=ns.round, unit=t.township)
    return ns


@pytest.fixture
def work(people):
    return build_work(people)


def _values(figures):
    return [f.value for f in figures]


def test_every_figure_of_a_township(work):
    t = work.tree
    board = dashboard(user=t.county_admin, unit=t.township)
    # People: 10 active (no. 6 died); certified 7 (no. 11 assessed without a certificate).
    assert board.people.value == 10 and board.certified.value == 7
    assert _values(board.by_category) == [1, 1, 0, 3, 1, 0, 1]
    assert _values(board.by_grade) == [3, 2, 1, 1]
    assert _values(board.by_hukou) == [5, 5]
    assert board.population == 20000 and board.population_source == "own"
    assert board.population_share.value == 10 / 20000
    assert board.people.url == (reverse("people:person_list")
                                + f"?unit={t.township.pk}&status=active")
    assert board.by_category[3].url.endswith(
        f"?unit={t.township.pk}&status=active&category=4&certificate=yes")
    assert board.by_hukou[0].url.endswith("&hukou=urban")
    # Needs: rehabilitation 2 open; devices 1 open, 1 met; the other township's not counted.
    needs = {n.type: n for n in board.needs}
    assert (needs["rehabilitation"].open, needs["rehabilitation"].met) == (2, 0)
    assert (needs["devices"].open, needs["devices"].met) == (1, 1)
    assert board.needs_open == 3 and board.needs_met == 1
    assert needs["devices"].met_url.endswith(f"?unit={t.township.pk}&type=devices&status=met")
    # Visits: 2 of 10 this year, against 95 %.
    v = board.visits
    assert (v["visited"], v["people"]) == (2, 10) and v["share"].value == 0.2
    assert not v["reached"] and board.visit_target == 0.95
    assert v["not_visited"].value == 8
    # Officers: liaison posts at the township and its 3 active villages; 2 held.
    w = board.workforce
    assert w["in_post"].value == 2 and w["vacant_liaison"].value == 2
    assert w["vacant"].value == 2 + 4  # and the 4 chairs
    # Training: 2 sessions, 3 attendances; the community's officer is one short.
    tr = board.training
    assert tr["sessions"].value == 2 and tr["attendances"].value == 3
    assert tr["officers"] == 2 and tr["short"].value == 1 and tr["missing"] == 1
    assert tr["trained"].value == 0.5
    # Standards: 九有 over the township itself, 六有 over its 3 active villages.
    lines = {s.code: s for s in board.standards}
    assert set(lines) == {"jiuyou", "liuyou"}
    assert lines["jiuyou"].total == 1 and lines["liuyou"].total == 3
    assert all(s.attained == 0 for s in lines.values())
    assert not board.standards_status.frozen
    # Assessment: first of the county's two townships, still scoring.
    a = board.assessment
    assert a.own and a.rank == 1 and a.units == 2 and not a.confirmed
    assert a.url == reverse("standards:sheet_detail", args=[work.sheet.pk])


def test_the_county_sees_its_round_and_the_three_hundred_percents(work):
    t = work.tree
    board = dashboard(user=t.county_admin, unit=t.county)
    assert board.people.value == 16  # 10 + 3 + 3 (no. 18 moved out)
    assert board.population == 500000
    a = board.assessment
    assert not a.own and a.units == 2
    assert a.url == reverse("standards:round_detail", args=[work.round.pk])
    codes = {s.code: s for s in board.standards}
    assert codes["sangebai"].total == 1
    assert codes["sangebai"].url.startswith(reverse("standards:coverage", args=[t.county.pk]))
    assert board.workforce["in_post"].value == 3


def test_a_village_sees_its_own_figures(work):
    t = work.tree
    board = dashboard(user=t.village_officer, unit=t.community)
    assert board.people.value == 6
    assert [s.code for s in board.standards] == ["liuyou"]
    assert board.standards[0].url.startswith(reverse("standards:unit", args=[t.community.pk]))
    assert board.assessment is None


def test_the_queries_do_not_grow_with_people_or_units(work):
    t = work.tree

    def count():
        with CaptureQueriesContext(connection) as ctx:
            dashboard(user=t.county_admin, unit=t.county)
        return len(ctx.captured_queries)

    before = count()
    for i in range(3):
        village = org_services.unit_create(actor=SYSTEM, parent=t.other_township,
                                           level=Level.VILLAGE, code=f"62042210130{i}",
                                           name=f"新村{i}")
        for j in range(4):
            person = register(village, name=f"新{i}{j}", male=bool(j % 2), birth=ADULT,
                              hukou="rural", certificate=(4, 2))
            people_services.need_create(actor=SYSTEM, person=person, type="care",
                                        registered_on=TODAY)
        make_officer(unit=village, name=f"新专委{i}")
    after = count()
    assert after <= before, (before, after)
    assert before < 80


# ---- the pages -------------------------------------------------------------------------------

def test_the_page_shows_the_figures_and_links(work, client_for):
    t = work.tree
    response = client_for(t.county_admin).get(reverse("reports:dashboard_unit",
                                                      args=[t.township.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "实时数据" in html or "Live figures" in html
    assert f'href="/people/?unit={t.township.pk}&amp;status=active"' in html
    assert 'role="img"' in html and "<title id=" in html
    assert reverse("reports:dashboard_unit", args=[t.community.pk]) in html  # units beneath
    assert reverse("reports:dashboard_xlsx", args=[t.township.pk]) in html


def test_the_own_unit_by_default(work, client_for):
    t = work.tree
    response = client_for(t.township_officer).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    assert response.context["unit"] == t.township


@pytest.mark.parametrize("who", ["county_admin", "leader", "township_officer"])
def test_the_roles_that_read_the_register_see_it(work, client_for, who):
    t = work.tree
    response = client_for(getattr(t, who)).get(reverse("reports:dashboard_unit",
                                                       args=[t.township.pk]))
    assert response.status_code == 200


def test_the_leader_sees_no_section_its_role_cannot_read(work):
    from accounts.roles import role_permissions

    t = work.tree
    assert "workforce.view_trainingsession" in role_permissions("leader")
    board = dashboard(user=t.leader, unit=t.township)
    assert board.assessment is not None


def test_the_auditor_may_not(work, client_for):
    t = work.tree
    response = client_for(t.auditor).get(reverse("reports:dashboard_unit",
                                                 args=[t.township.pk]))
    assert response.status_code == 403


def test_out_of_scope_and_grids_are_404(work, client_for):
    t = work.tree
    client = client_for(t.township_officer)
    for pk in (t.other_township.pk, t.county.pk, t.grid.pk, 999999):
        assert client.get(reverse("reports:dashboard_unit", args=[pk])).status_code == 404
    for name in ("reports:dashboard_xlsx", "reports:dashboard_pdf"):
        assert client.get(reverse(name, args=[t.other_township.pk])).status_code == 404


def test_the_workbook_holds_every_figure_and_is_recorded(work, client_for):
    t = work.tree
    response = client_for(t.county_admin).get(reverse("reports:dashboard_xlsx",
                                                      args=[t.township.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value == "会师镇工作看板"
    assert ws["A2"].value.startswith("实时数据 · 截至")
    rows = {(r[0], r[1]): r[2] for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows[("人数", "残疾人")] == 10
    values = list(rows.values())
    assert 20000 in values and "20.0%" in values and "0.1%" in values
    assert any(k[1] == "肢体" and v == 3 for k, v in rows.items())
    assert any("九有" == k[1] and v == "0/1（0.0%）" for k, v in rows.items())
    assert any(v == "1/2" for v in values)  # the rank
    entry = AuditLog.objects.filter(action="export").latest("id")
    assert entry.detail["report"] == "dashboard" and entry.detail["format"] == "xlsx"


def test_the_pdf_renders_with_its_charts(work, client_for):
    from pypdf import PdfReader

    t = work.tree
    response = client_for(t.county_admin).get(reverse("reports:dashboard_pdf",
                                                      args=[t.township.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "会师镇工作看板" in text
    assert "肢体" in text and "20.0%" in text  # a chart's label and the visit rate
    assert AuditLog.objects.filter(action="export", detail__format="pdf").exists()


def test_each_people_figure_is_the_count_of_its_list(work, client_for):
    t = work.tree
    client = client_for(t.county_admin)
    board = dashboard(user=t.county_admin, unit=t.township)
    for f in [board.people, board.certified, *board.by_category, *board.by_grade,
              *board.by_hukou, board.visits["not_visited"]]:
        response = client.get(f.url)
        assert response.status_code == 200, f.url
        assert response.context["page"].paginator.count == f.value, (f.label, f.url)
    for n in board.needs:
        for url, value in ((n.open_url, n.open), (n.met_url, n.met)):
            assert client.get(url).context["page"].paginator.count == value, url


def test_the_village_officer_sees_its_own_unit_only(work, client_for):
    t = work.tree
    client = client_for(t.village_officer)
    assert client.get(reverse("reports:dashboard")).context["unit"] == t.community
    assert client.get(reverse("reports:dashboard_unit", args=[t.village.pk])).status_code == 404


def test_leaders_and_administrators_reach_it_from_home_and_the_nav(work, client_for):
    t = work.tree
    for user in (t.leader, t.county_admin):
        html = client_for(user).get(reverse("home")).content.decode()
        assert html.count(f'href="{reverse("reports:dashboard")}"') == 2  # nav and home


def test_each_workforce_figure_is_the_count_of_its_list(work, client_for):
    t = work.tree
    client = client_for(t.county_admin)
    board = dashboard(user=t.county_admin, unit=t.township)
    w, tr = board.workforce, board.training
    assert client.get(w["in_post"].url).context["page"].paginator.count == 2
    assert client.get(w["vacant_liaison"].url).context["total"] == 2
    assert client.get(w["vacant"].url).context["total"] == 6
    assert client.get(tr["sessions"].url).context["page"].paginator.count == 2
    assert client.get(tr["short"].url).context["count"] == 1


def test_above_the_county_the_standards_are_the_frozen_ones(work):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory
    from standards import services as standards_services

    t = work.tree
    city_admin = UserFactory(username="t_city", unit=t.city, role=Role.ADMIN)
    board = dashboard(user=city_admin, unit=t.city)
    assert board.standards == [] and board.standards_status is None  # none frozen
    from standards.tests.factories import defaults

    defaults(YEAR - 1)
    standards_services.attainment_freeze(actor=SYSTEM, region=t.city, year=YEAR - 1)
    board = dashboard(user=city_admin, unit=t.city)
    assert board.standards_status.frozen
    assert {s.code for s in board.standards} == {"sangebai", "jiuyou", "liuyou"}
    assert {s.code: s.total for s in board.standards}["jiuyou"] == 2
