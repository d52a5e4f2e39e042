"""Each role's home page: the figures of their unit (each a link to the list behind it, which
shows the same number), the work waiting for them, in a fixed number of queries."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from core.actors import SYSTEM
from imports.models import ImportJob
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.choices import Status
from people.tests.factories import make_person
from reports.selectors import home_page, unit_figures


def build_home(t):
    """On the standard tree (root conftest.py):

    东山根社区  张三: visited last year, next visit overdue; an overdue need; seeking work
                李四: visited this year, next visit to come; a recent open need
                王五: deceased, a visit due long ago (counts nowhere)
    高家庄村    赵六: never visited
    红堡子村    钱七: due a visit (郭城驿镇: outside the township officer's area)
    靖远县 (another county) asks for 赵六; a failed import in 会师镇 and one in 靖远县.
    """
    today = timezone.localdate()
    ns = SimpleNamespace(tree=t, today=today)
    ns.zhang = make_person(unit=t.community, name="张三")
    people_services.visit_record(actor=SYSTEM, person=ns.zhang,
                                 visited_on=today - dt.timedelta(400),
                                 worker_name="刘专委", mode="home",
                                 next_due=today - dt.timedelta(days=3))
    people_services.need_create(actor=SYSTEM, person=ns.zhang, type="rehabilitation",
                                detail="康复训练", registered_on=today - dt.timedelta(days=45))
    people_services.jobseeker_register(actor=SYSTEM, person=ns.zhang, work_wished="手工编织",
                                       ability="partial")
    ns.li = make_person(unit=t.community, name="李四", male=False)
    people_services.visit_record(actor=SYSTEM, person=ns.li, visited_on=today, mode="phone",
                                 worker_name="刘专委", next_due=today + dt.timedelta(days=90))
    people_services.need_create(actor=SYSTEM, person=ns.li, type="devices",
                                registered_on=today - dt.timedelta(days=2))
    ns.wang = make_person(unit=t.community, name="王五")
    people_services.visit_record(actor=SYSTEM, person=ns.wang, mode="home", worker_name="刘专委",
                                 visited_on=today - dt.timedelta(500),
                                 next_due=today - dt.timedelta(days=100))
    people_services.person_set_status(actor=SYSTEM, person=ns.wang, status=Status.DECEASED,
                                      on=today - dt.timedelta(days=30))
    ns.zhao = make_person(unit=t.village, name="赵六")
    ns.qian = make_person(unit=t.other_village, name="钱七")
    people_services.visit_record(actor=SYSTEM, person=ns.qian, mode="home", worker_name="孙委员",
                                 visited_on=today - dt.timedelta(400),
                                 next_due=today - dt.timedelta(days=1))

    county = org_services.unit_create(actor=SYSTEM, parent=t.city, level=Level.COUNTY,
                                      code="620421", name="靖远县")
    town = org_services.unit_create(actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                                    code="620421100", name="乌兰镇")
    ns.far_village = org_services.unit_create(actor=SYSTEM, parent=town, level=Level.VILLAGE,
                                              code="620421100200", name="远村民委员会")
    ns.far_officer = UserFactory(username="t_far", unit=ns.far_village,
                                 role="village_officer")
    ns.transfer = people_services.transfer_request(
        actor=ns.far_officer, id_number=ns.zhao.id_number, to_unit=ns.far_village,
        reason="投靠子女")
    ns.failed = ImportJob.objects.create(
        unit=t.township, created_by=t.township_officer, kind="people", filename="残疾人台账.xlsx",
        file="imports/x.xlsx", status=ImportJob.Status.FAILED, message="第3行：身份证号校验位错误")
    ImportJob.objects.create(unit=county, created_by=ns.far_officer, kind="people",
                             filename="远方.xlsx", file="imports/y.xlsx",
                             status=ImportJob.Status.FAILED, message="别县的")
    ImportJob.objects.create(unit=t.township, created_by=t.township_officer, kind="people",
                             filename="好的.xlsx", file="imports/z.xlsx",
                             status=ImportJob.Status.DONE)
    return ns


@pytest.fixture
def home(tree):
    return build_home(tree)


def figures(user):
    f = unit_figures(user=user, unit=user.unit)
    return (f.people, f.visited, f.due, f.not_visited, f.open_needs, f.overdue_needs)


def test_the_figures_of_each_unit(home):
    t = home.tree
    assert figures(t.village_officer) == (2, 1, 1, 1, 2, 1)
    assert figures(t.township_officer) == (3, 1, 1, 2, 2, 1)
    assert figures(t.county_admin) == (4, 1, 2, 3, 2, 1)
    f = unit_figures(user=t.county_admin, unit=t.county)
    assert f.visited_share == pytest.approx(0.25) and f.visited_percent == pytest.approx(25)


def test_a_village_officer_lands_on_their_work(home, client_for):
    t = home.tree
    client = client_for(t.village_officer)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("home")).content.decode()
    main = body.split("<main", 1)[1]
    assert "<h1>我的工作：东山根社区居民委员会</h1>" in main
    people = reverse("people:person_list")
    assert f'href="{reverse("people:person_create")}">登记残疾人</a>' in main
    assert f'href="{people}?status=active">登记走访</a>' in main
    # Due a visit: 张三 (王五 is deceased), with the way to record it.
    due = main.split('id="due-heading"', 1)[1].split("</section>", 1)[0]
    assert "张三" in due and "王五" not in due and "李四" not in due
    assert f'href="{reverse("people:visit_create", args=[home.zhang.pk])}"' in due
    needs = main.split('id="needs-heading"', 1)[1].split("</section>", 1)[0]
    assert needs.index("张三") < needs.index("李四")  # oldest first
    assert needs.count("badge--warn") == 1  # 张三's is overdue
    assert "赵六" not in main and "钱七" not in main
    assert 'id="villages-heading"' not in main and 'id="waiting-heading"' not in main


def figure_links(body):
    """{href: number} of the figures on a home page."""
    return {href.replace("&amp;", "&"): n for href, n in re.findall(
        r'<a class="figure[^"]*" href="([^"]+)"><span class="figure__n">([^<]+)</span>', body)}


@pytest.mark.parametrize("who", ["village_officer", "township_officer", "county_admin",
                                 "leader"])
def test_every_figure_links_to_a_list_of_as_many(home, client_for, who):
    t = home.tree
    client = client_for(getattr(t, who))
    links = figure_links(client.get(reverse("home")).content.decode())
    # Letters and visits (issue 14) add the overdue petitions' figure, a link for those who
    # may read petitions (a leader sees the number only).
    assert len(links) == (4 if who == "leader" else 5), links
    for href, number in links.items():
        if href.startswith(reverse("people:visit_coverage")):
            assert number == "25.0%"  # 1 of 4, the county's
            continue
        page = client.get(href)
        assert page.status_code == 200, href
        listed = page.context["page"].paginator.count
        assert str(listed) == number, (href, listed, number)


def test_a_township_officer_sees_each_village(home, client_for):
    t = home.tree
    client = client_for(t.township_officer)
    body = client.get(reverse("home")).content.decode()
    villages = body.split('id="villages-heading"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\"[^>]*>([^<]+)</th>(.*?)</tr>", villages, re.S)
    counts = {name: re.findall(r'>(\d+)<', cells) for name, cells in rows}
    assert counts == {"东山根社区居民委员会": ["2", "1", "1", "2", "1"],
                      "高家庄村民委员会": ["1", "0", "0", "0", "0"]}
    assert f'?unit={t.community.pk}&amp;visit_due=on&amp;status=active">1<' in villages
    assert "钱七" not in body and "红堡子" not in body


def test_an_administrator_sees_what_waits_for_them(home, client_for):
    t = home.tree
    client = client_for(t.county_admin)
    client.cookies["django_language"] = "zh-hans"
    body = client.get(reverse("home")).content.decode()
    assert "<h1>概况：会宁县</h1>" in body
    waiting = body.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]
    assert "1项转移申请等待您决定" in waiting
    assert "赵六：高家庄村民委员会 → 远村民委员会" in waiting
    assert "1次导入失败" in waiting and "残疾人台账.xlsx" in waiting
    assert f'href="{home.failed.get_absolute_url()}"' in waiting
    assert "远方.xlsx" not in body and "好的.xlsx" not in body
    assert "1项服务需求已超期" in waiting
    assert f'href="{reverse("reports:summary")}"' in body.split("</nav>", 1)[1]
    # No big register buttons on an office desk's overview.
    assert "button--big" not in body


def test_a_leader_sees_the_figures_and_the_summary_table(home, client_for):
    t = home.tree
    body = client_for(t.leader).get(reverse("home")).content.decode()
    main = body.split("<main", 1)[1]
    assert f'href="{reverse("reports:summary")}"' in main
    assert 'id="waiting-heading"' not in main and 'id="due-heading"' not in main


def test_an_auditor_goes_to_the_audit_log(home, client, client_for):
    response = client_for(home.tree.auditor).get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:audit_list")
    client.logout()
    assert client.get(reverse("home")).status_code == 302  # to log in


@pytest.mark.parametrize("who", ["village_officer", "township_officer", "county_admin",
                                 "leader"])
def test_home_query_count_is_fixed(home, client_for, django_assert_num_queries, who):
    t = home.tree
    user = getattr(t, who)
    # An officer's page also asks whether they are a worker (the "My file" button).
    # Letters and visits (issue 14): one more, the overdue petitions' counts.
    # Responsibility agreements (issue 16): one more above a village, the signed agreements
    # whose quarters may lack an inspection.
    expected = {"village_officer": 12, "township_officer": 18, "county_admin": 14,
                "leader": 10}[who]
    # The standards' reminder (issue 16): the unit's standards of the year, evaluated once
    # (the standards and their items, one query per indicator, the confirmations).
    expected += {"village_officer": 17, "township_officer": 20}.get(who, 0)
    client = client_for(user)
    with django_assert_num_queries(expected):
        assert client.get(reverse("home")).status_code == 200
    # More of everything: villages, people due a visit, needs, failed imports, transfers.
    today = timezone.localdate()
    for n in range(4):
        village = org_services.unit_create(actor=SYSTEM, parent=t.township, level=Level.VILLAGE,
                                           code=f"62042210030{n}", name=f"新村{n}")
        for unit in (village, t.community):
            person = make_person(unit=unit, name=f"新{n}")
            people_services.visit_record(actor=SYSTEM, person=person, mode="home",
                                         worker_name="刘专委",
                                         visited_on=today - dt.timedelta(days=400),
                                         next_due=today - dt.timedelta(days=n + 1))
            people_services.need_create(actor=SYSTEM, person=person, type="care",
                                        registered_on=today - dt.timedelta(days=60))
        ImportJob.objects.create(unit=village, created_by=t.township_officer, kind="people",
                                 filename=f"{n}.xlsx", file="imports/n.xlsx",
                                 status=ImportJob.Status.FAILED)
    with django_assert_num_queries(expected):
        assert client.get(reverse("home")).status_code == 200
    page = home_page(user=user)
    assert page.figures.due == {"village_officer": 5, "township_officer": 9,
                                "county_admin": 10, "leader": 10}[who]
