"""The register's list at the scale of a province, proved on a county: its pages go on by
key (no row skipped or repeated, the same queries on page 2 as deeper down), a filtered list
counts up to a cap and says so, and no page grows with the number of units."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people import selectors
from people.models import Person
from people.pinyin import search_key
from people.tables import PersonTable

NAMES = ["王伟", "李娜", "张伟", "王伟", "刘洋"]  # ties on the name, broken by unit and id


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def add_people(units, n, *, start=0):
    Person.objects.bulk_create([
        Person(unit=units[i % len(units)], name=NAMES[i % len(NAMES)],
               search_key=search_key(NAMES[i % len(NAMES)]), gender="m",
               birth_date=dt.date(1970, 1, 1), hukou="rural", registered_on=dt.date(2024, 1, 1),
               status="active" if i % 4 else "deceased")
        for i in range(start, start + n)])


def link(response, rel):
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', response.content.decode())
    return unescape(found.group(1)) if found else None


def page_pks(response):
    return [p.pk for p in response.context["page"].object_list]


@pytest.fixture
def listed(tree, client):
    add_people([tree.community, tree.village, tree.other_village], 83)
    client.force_login(tree.county_admin)
    return client


@pytest.mark.parametrize("sort", ["", "name", "-name", "unit", "-unit", "status", "-status"])
def test_walking_every_page_shows_every_row_once_in_order(tree, listed, sort):
    url = reverse("people:person_list")
    expected = [p.pk for p in PersonTable(selectors.person_list(user=tree.county_admin),
                                          sort=sort).data.data]
    assert len(expected) == 83
    response = listed.get(url, {"per_page": 25, "sort": sort} if sort else {"per_page": 25})
    seen, numbers = page_pks(response), [response.context["page"].number]
    while next_url := link(response, "next"):
        assert "after=" in next_url and "offset" not in next_url
        response = listed.get(url + next_url)
        seen += page_pks(response)
        numbers.append(response.context["page"].number)
    assert seen == expected
    assert numbers == [1, 2, 3, 4]
    # And back from the last page, by the rows each page begins with.
    back = page_pks(response)
    while prev_url := link(response, "prev"):
        assert "before=" in prev_url
        response = listed.get(url + prev_url)
        back = page_pks(response) + back
    assert back == expected and response.context["page"].number == 1


def test_a_row_added_while_paging_is_not_repeated_or_skipped(tree, listed):
    url = reverse("people:person_list")
    first = listed.get(url, {"per_page": 25})
    before = page_pks(first)
    # Someone registers a person who sorts onto the first page: the next page still
    # starts after the row the first one ended with.
    add_people([tree.community], 1, start=1)  # 李娜 in the first village
    second = listed.get(url + link(first, "next"))
    assert not set(page_pks(second)) & set(before)
    expected = [p.pk for p in selectors.person_list(user=tree.county_admin)]
    assert expected.index(page_pks(second)[0]) == expected.index(before[-1]) + 1


def test_an_id_outside_the_list_or_the_scope_opens_the_first_page(tree, listed):
    url = reverse("people:person_list")
    first = page_pks(listed.get(url, {"per_page": 25}))
    outsider = Person.objects.filter(unit=tree.other_village).first()
    listed.force_login(tree.township_officer)  # 会师镇: other_village is not theirs
    own = page_pks(listed.get(url, {"per_page": 25}))
    assert page_pks(listed.get(url, {"per_page": 25, "after": outsider.pk})) == own
    assert page_pks(listed.get(url, {"per_page": 25, "after": "x"})) == own
    assert first  # the county saw a first page too


def test_the_queries_do_not_grow_with_the_page_or_the_people(tree, listed):
    url = reverse("people:person_list")

    def queries(path):
        with CaptureQueriesContext(connection) as ctx:
            response = listed.get(path)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    n1, page1 = queries(url + "?per_page=25")
    n2, page2 = queries(url + link(page1, "next"))
    n3, page3 = queries(url + link(page2, "next"))
    assert n3 == n2 <= n1 + 1  # the key of the row a page follows: one query
    add_people([tree.community, tree.village, tree.other_village], 120, start=83)
    deep = listed.get(url + "?per_page=25")
    for _ in range(7):
        deep = listed.get(url + link(deep, "next"))
    assert deep.context["page"].number == 8
    n9, last = queries(url + link(deep, "next"))  # 203 people: the ninth page is the last
    assert n9 == n2 and last.context["page"].number == 9
    assert not link(last, "next")


def test_a_filtered_list_counts_up_to_the_cap_and_says_so(tree, listed, settings):
    url = reverse("people:person_list")
    settings.CANLIAN_LIST_COUNT_CAP = 20
    whole = listed.get(url, {"per_page": 25})
    assert whole.context["page"].paginator.count == 83  # as it opens: exact
    assert "83" in whole.context["table"].caption_text
    filtered = listed.get(url, {"per_page": 25, "q": "王伟"})
    page = filtered.context["page"]
    assert page.paginator.capped and page.paginator.count == 21
    caption = filtered.context["table"].caption_text
    assert caption == "20 条以上（筛选后的名单只计数到 20 条）"
    assert caption in filtered.content.decode()
    # Few enough rows: the exact number.
    few = listed.get(url, {"per_page": 25, "q": "刘洋"})
    assert not few.context["page"].paginator.capped
    assert few.context["page"].paginator.count == 16
    # Pages go on past the cap all the same.
    response, seen = filtered, page_pks(filtered)
    while next_url := link(response, "next"):
        response = listed.get(url + next_url)
        seen += page_pks(response)
    assert len(seen) == len(set(seen)) == Person.objects.filter(name="王伟").count()


def _add_villages(tree, n):
    for i in range(n):
        org_services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                                 code=f"6204221003{i:02d}", name=f"新建村{i}")


@pytest.mark.parametrize("name", ["people:person_list", "people:need_list",
                                  "people:person_create", "people:transfer_list"])
def test_no_page_grows_with_the_number_of_units(tree, client, name):
    client.force_login(tree.county_admin)
    url = reverse(name)

    def size_and_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, {"unit_text": ""})
        assert response.status_code == 200
        return len(response.content), len(ctx.captured_queries)

    before = size_and_queries()
    _add_villages(tree, 40)
    assert size_and_queries() == before  # the same page, to the byte, the same queries
    add_people([tree.community, tree.village], 60)
    assert size_and_queries()[1] == before[1]
