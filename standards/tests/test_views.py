"""The standards' pages: what they show, who may open them, the export, and query counts
that do not grow with the number of units."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people.tests.factories import make_person
from standards import services
from standards.models import ItemConfirmation, Standard
from standards.tests.factories import defaults, officer, profile

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def _villages(tree, n, start=0):
    for i in range(start, start + n):
        village = org_services.unit_create(
            actor=SYSTEM, parent=tree.other_township, level=Level.VILLAGE,
            code=f"620422101{300 + i:03d}", name=f"测试{i}村民委员会")
        profile(village, has_plaque=i % 2 == 0)
        officer(village, name=f"专委{i}")
        make_person(unit=village, name=f"残{i}")


def test_the_attainment_page_lists_units_short_with_their_missing_items(tree, client_for):
    defaults()
    profile(tree.village, has_plaque=True)
    client = client_for(tree.county_admin)
    response = client.get(reverse("standards:attainment", args=[tree.county.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "九有" in page and "六有" in page and "三个百分之百" in page
    assert "高家庄村民委员会" in page and "有专职委员" in page
    every = client.get(reverse("standards:attainment", args=[tree.county.pk]) + "?all=1")
    assert every.status_code == 200


def test_the_attainment_page_sorts_by_items_missing(tree, client_for):
    defaults()
    profile(tree.village, has_plaque=True, address="村委会")
    officer(tree.village)
    client = client_for(tree.county_admin)
    url = reverse("standards:attainment", args=[tree.county.pk])
    page = client.get(url + "?sort=missing").content.decode()
    assert page.index("高家庄村民委员会") < page.index("红堡子村民委员会")
    page = client.get(url + "?sort=-missing").content.decode()
    assert page.index("红堡子村民委员会") < page.index("高家庄村民委员会")


def test_the_attainment_export_has_a_line_per_unit_and_standard(tree, client_for):
    defaults()
    client = client_for(tree.county_admin)
    response = client.get(reverse("standards:attainment", args=[tree.county.pk])
                          + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[2] for row in rows[2:]}
    assert {"会宁县", "会师镇", "高家庄村民委员会", "红堡子村民委员会"} <= names
    line = next(row for row in rows if row[2] == "红堡子村民委员会")
    assert line[0] == "六有" and line[6] == "否" and "有专职委员" in line[7]


def test_the_county_attainment_queries_do_not_grow_with_the_units(
        tree, client_for, django_assert_max_num_queries):
    defaults()
    client = client_for(tree.county_admin)
    url = reverse("standards:attainment", args=[tree.county.pk])
    _villages(tree, 2)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _villages(tree, 12, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "测试13村民委员会" in response.content.decode()


def test_the_unit_page_shows_each_items_evidence_and_confirm_links(tree, client_for):
    defaults()
    make_person(unit=tree.village, name="张有")
    client = client_for(tree.township_officer)
    page = client.get(reverse("standards:unit", args=[tree.township.pk])).content.decode()
    assert f'{reverse("people:person_list")}?unit={tree.township.pk}' in page
    assert page.count("未达标") + page.count("Not met") == 8  # only the people are there
    assert reverse("standards:confirm", args=[tree.township.pk]) in page


def test_confirming_an_item_by_the_form_with_a_photo(tree, client_for):
    from ledgers.tests.files import jpeg_bytes, upload_of

    liuyou = defaults()["liuyou"]
    room = liuyou.items.get(text="有活动场所")
    client = client_for(tree.township_officer)
    url = reverse("standards:confirm", args=[tree.village.pk]) + f"?item={room.pk}&year={YEAR}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"confirmed_on": timezone.localdate().isoformat(),
                                 "note": "村委会一楼",
                                 "photo": upload_of(jpeg_bytes(), "room.jpg")})
    assert response.status_code == 302
    confirmation = ItemConfirmation.objects.get()
    assert confirmation.note == "村委会一楼" and confirmation.unit == tree.village
    detail = client.get(confirmation.get_absolute_url())
    assert "room.jpg" in detail.content.decode()


def test_a_future_day_is_refused_and_keeps_the_note(tree, client_for):
    liuyou = defaults()["liuyou"]
    room = liuyou.items.get(text="有活动场所")
    client = client_for(tree.township_officer)
    url = reverse("standards:confirm", args=[tree.village.pk]) + f"?item={room.pk}"
    day = timezone.localdate().replace(year=YEAR + 1)
    response = client.post(url, {"confirmed_on": day.isoformat(), "note": "保留的说明"})
    assert response.status_code == 200
    assert "保留的说明" in response.content.decode()
    assert not ItemConfirmation.objects.exists()


def test_a_computed_item_cannot_be_confirmed_by_its_url(tree, client_for):
    liuyou = defaults()["liuyou"]
    computed = liuyou.items.filter(kind="computed").first()
    client = client_for(tree.township_officer)
    url = reverse("standards:confirm", args=[tree.village.pk]) + f"?item={computed.pk}"
    assert client.get(url).status_code == 404


def test_the_coverage_page_lists_the_missing_units(tree, client_for):
    profile(tree.township)
    client = client_for(tree.leader)
    page = client.get(reverse("standards:coverage", args=[tree.county.pk])).content.decode()
    assert "郭城驿镇" in page and "红堡子村民委员会" in page


def test_an_admin_copies_and_changes_a_standard_by_the_pages(tree, client_for):
    national = defaults()["jiuyou"]
    client = client_for(tree.county_admin)
    response = client.post(reverse("standards:standard_copy", args=[national.pk]),
                           {"year": YEAR + 1, "region": "", "region_text": "620422",
                            "name": ""})
    copy = Standard.objects.get(region=tree.county)
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert client.get(copy.get_absolute_url()).status_code == 200
    response = client.post(reverse("standards:item_add", args=[copy.pk]),
                           {"text": "有电脑", "kind": "confirmed", "indicator": ""})
    assert response.status_code == 302
    assert copy.items.filter(text="有电脑").exists()
    client.post(reverse("standards:standard_publish", args=[copy.pk]))
    copy.refresh_from_db()
    assert not copy.is_draft


def test_officers_and_leaders_read_but_do_not_change_standards(tree, client_for):
    national = defaults()["jiuyou"]
    for user in (tree.township_officer, tree.leader, tree.village_officer):
        client = client_for(user)
        assert client.get(reverse("standards:standard_list")).status_code == 200
        assert client.get(national.get_absolute_url()).status_code == 200
        assert client.get(reverse("standards:standard_copy", args=[national.pk])) \
            .status_code == 403
    assert client_for(tree.auditor).get(reverse("standards:index")).status_code == 403


def test_the_index_leads_to_the_users_area(tree, client_for):
    response = client_for(tree.county_admin).get(reverse("standards:index"))
    assert response["Location"] == reverse("standards:attainment", args=[tree.county.pk])
    response = client_for(tree.village_officer).get(reverse("standards:index"))
    assert response["Location"] == reverse("standards:unit", args=[tree.community.pk])


def test_the_navigation_names_the_standards_to_those_who_read_them(tree, client_for):
    assert reverse("standards:index") in client_for(tree.leader).get("/").content.decode()
    assert reverse("standards:index") not in client_for(tree.auditor).get("/") \
        .content.decode()


def test_a_published_national_standard_cannot_be_edited(tree, client_for):
    national = defaults()["jiuyou"]
    client = client_for(tree.county_admin)
    response = client.post(reverse("standards:item_add", args=[national.pk]),
                           {"text": "多一项", "kind": "confirmed"})
    assert response.status_code in (200, 403)
    assert not national.items.filter(text="多一项").exists()
    assert services is not None


def test_a_city_sees_the_attainment_of_every_county_unit(tree, client_for):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    defaults()
    city_admin = UserFactory(username="t_city", unit=tree.city, role=Role.ADMIN)
    page = client_for(city_admin).get(
        reverse("standards:attainment", args=[tree.city.pk]) + "?all=1").content.decode()
    assert "会宁县" in page and "红堡子村民委员会" in page
    # A township officer cannot ask for the county's page (above their scope): 404.
    assert client_for(tree.township_officer).get(
        reverse("standards:attainment", args=[tree.county.pk])).status_code == 404
