"""The public pages (/public/): search by name, pinyin, initials and code; a village's page
with its liaison officer and the township's service window, and nothing of the register;
an abolished or unknown code a helpful 404; the rate limit's 429; the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actors import SYSTEM
from orgs import reform_services
from orgs import services as org_services
from orgs.models import OrgUnit
from orgs.rules import unit_search_key
from people.tests.factories import make_person
from reports import public_selectors
from workforce.tests.factories import make_officer

OFFICER = "李春梅"
OFFICER_PHONE = "13909431234"
WINDOW_PHONE = "0943-3228866"


@pytest.fixture
def public(tree):
    """The community's liaison officer with a phone, the township's window, and a person
    of the register in the community (whom the public page must never show)."""
    make_officer(unit=tree.community, name=OFFICER, phone=OFFICER_PHONE)
    org_services.profile_update(actor=SYSTEM, unit=tree.township, address="会师镇人民政府院内",
                                phone=WINDOW_PHONE, service_hours="周一至周五 9:00-17:00")
    tree.person = make_person(unit=tree.community, name="欧阳登记")
    return tree


def _search(client, q, **extra):
    return client.get(reverse("public:search"), {"q": q, **extra})


def _names(response) -> str:
    return response.content.decode()


def test_the_search_finds_a_village_by_its_chinese_name(public, client):
    body = _names(_search(client, "东山根"))
    assert "东山根社区居民委员会" in body and "会师镇" in body
    assert reverse("public:unit", args=["620422100001"]) in body
    assert "高家庄" not in body


@pytest.mark.parametrize("query", ["dongshangen", "DongShan Gen", "dsg", "dsgsq"])
def test_the_search_finds_a_village_by_its_pinyin_and_initials(public, client, query):
    body = _names(_search(client, query))
    assert "东山根社区居民委员会" in body, query
    assert "高家庄" not in body


def test_the_search_finds_by_division_code_and_says_when_nothing_is_found(public, client):
    assert "高家庄村民委员会" in _names(_search(client, "620422100200"))
    body = _names(_search(client, "没有这个村"))
    assert "没有找到" in body


def test_the_search_key_follows_a_rename(public):
    unit = org_services.unit_update(actor=SYSTEM, unit=public.village, name="新庄村民委员会")
    assert unit.search_key == unit_search_key("新庄村民委员会")
    assert unit.search_key == "xinzhuangcunminweiyuanhui xzcmwyh"
    assert [h.name for h in public_selectors.public_search("xinzhuang")] == ["新庄村民委员会"]


def test_the_search_key_follows_a_reform_that_renames_and_one_that_creates(public):
    reform = reform_services.reform_create(actor=SYSTEM, unit=public.county, title="更名",
                                           effective_on=timezone.localdate())
    reform_services.operation_add(actor=SYSTEM, reform=reform, kind="rename", params={
        "unit": public.village.pk, "name": "柳树湾村民委员会"})
    reform_services.operation_add(actor=SYSTEM, reform=reform, kind="create", params={
        "parent": public.township.pk, "level": 5, "name": "桃花村民委员会",
        "code": "620422100210"})
    reform_services.reform_apply(actor=SYSTEM, reform=reform)
    assert [h.name for h in public_selectors.public_search("liushuwan")] == ["柳树湾村民委员会"]
    assert [h.code for h in public_selectors.public_search("thc")] == ["620422100210"]


def test_an_abolished_village_is_not_found_and_its_page_is_a_helpful_404(public, client):
    reform = reform_services.reform_create(actor=SYSTEM, unit=public.county, title="撤并",
                                           effective_on=timezone.localdate())
    reform_services.operation_add(actor=SYSTEM, reform=reform, kind="abolish", params={
        "unit": public.village.pk, "work_to": public.community.pk})
    reform_services.reform_apply(actor=SYSTEM, reform=reform)
    assert OrgUnit.objects.get(pk=public.village.pk).valid_to is not None
    assert "高家庄村民委员会" not in _names(_search(client, "高家庄"))
    assert "高家庄村民委员会" not in _names(_search(client, "gaojiazhuang"))
    response = client.get(reverse("public:unit", args=["620422100200"]))
    body = _names(response)
    assert response.status_code == 404
    assert "重新查找" in body and 'name="q"' in body
    assert client.get(reverse("public:unit", args=["999999999999"])).status_code == 404
    assert client.get(reverse("public:unit", args=["abc"])).status_code == 404


def test_the_village_page_shows_the_officer_and_the_window_and_nothing_of_the_register(
        public, client):
    response = client.get(reverse("public:unit", args=["620422100001"]))
    body = _names(response)
    assert response.status_code == 200
    assert OFFICER in body and OFFICER_PHONE in body and f'href="tel:{OFFICER_PHONE}"' in body
    assert "会师镇人民政府院内" in body and WINDOW_PHONE in body and "9:00-17:00" in body
    assert "走访" in body  # the duties
    assert body.count("<h1") == 1 and "<main" in body and 'class="site-nav"' not in body
    person = public.person
    for secret in (person.name, person.id_number, person.id_number[-4:],
                   person.certificate_number):
        assert secret not in body
    officer_id = public.community.posts.get().appointments.get().worker.id_number
    assert officer_id not in body  # a worker's ID number is not their public contact


def test_a_vacant_post_says_so_and_gives_the_township_number(public, client):
    body = _names(client.get(reverse("public:unit", args=["620422100200"])))
    assert "空缺" in body and WINDOW_PHONE in body and OFFICER not in body


def test_the_page_is_in_english_by_a_link_and_chinese_first(public, client):
    url = reverse("public:unit", args=["620422100001"])
    chinese = client.get(url)
    assert chinese["Content-Language"] == "zh-hans" and "残疾人专职委员" in _names(chinese)
    assert f'href="{url}?lang=en"' in _names(chinese)
    english = client.get(url, {"lang": "en"})
    assert english["Content-Language"] == "en" and "Liaison officer" in _names(english)
    assert '<html lang="en">' in _names(english)


def test_pages_are_cached_a_second_request_runs_no_query(public, client, settings):
    settings.CANLIAN_PUBLIC_CACHE_SECONDS = 300
    url = reverse("public:unit", args=["620422100001"])
    first = client.get(url)
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert "Set-Cookie" not in first and not first.cookies
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
        again = _search(client, "dongshan")
        _search(client, "dongshan")
    assert second.content == first.content
    assert len(queries) == 1, [q["sql"] for q in queries]  # the search's first time only
    assert "东山根" in _names(again)


def test_the_village_page_reads_a_fixed_number_of_queries(public, client,
                                                          django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        client.get(reverse("public:unit", args=["620422100001"]))


def test_the_rate_limit_answers_429_in_chinese(public, client, settings):
    settings.CANLIAN_PUBLIC_RATE = 3
    for _ in range(3):
        assert _search(client, "东山根").status_code == 200
    response = _search(client, "东山根")
    assert response.status_code == 429
    assert "请求太多" in _names(response) and int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    other = client.get(reverse("public:search"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # counted per address


def test_the_public_pages_need_no_login_and_refuse_a_post(public, client):
    assert client.get(reverse("public:search")).status_code == 200
    assert client.post(reverse("public:search")).status_code == 405


@pytest.mark.django_db
def test_units_of_the_division_list_are_found_by_pinyin_also_after_a_rename():
    from core.tabular import read_table
    from orgs.divisions import divisions_import

    rows = ("code,name,parent_code,level\n62,甘肃省,,province\n6204,白银市,62,city\n"
            "620422,会宁县,6204,county\n620422100,会师镇,620422,township\n"
            "620422100001,东山根社区居民委员会,620422100,village\n")
    result = divisions_import(actor=SYSTEM, table=read_table(rows.encode(), "list.csv"))
    assert result.errors == [] and result.created == 5
    assert [h.code for h in public_selectors.public_search("dongshangen")] == ["620422100001"]
    renamed = rows.replace("东山根社区", "西山根社区")
    result = divisions_import(actor=SYSTEM, table=read_table(renamed.encode(), "list.csv"))
    assert result.updated == 1
    assert public_selectors.public_search("dongshangen") == []
    assert [h.code for h in public_selectors.public_search("xsg")] == ["620422100001"]


def test_a_browser_asking_for_english_still_gets_the_chinese_page_whole(public, client):
    """The page's language is its own (``?lang=``), not the browser's: a visitor whose
    browser asks for English reads the officer's post in Chinese like the rest of the page
    (the titles come from the selector, which runs in the page's language too)."""
    body = _names(client.get(reverse("public:unit", args=["620422100001"]),
                             HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert "村（社区）专职委员" in body
    assert "Liaison officer of a village or community" not in body
