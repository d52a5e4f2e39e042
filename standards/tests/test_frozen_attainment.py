"""Frozen year-end attainment (issue 17): a later confirmation never changes the frozen
figures; the page says live or frozen and as of when."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from core.actors import SYSTEM
from core.models import Snapshot
from standards import selectors, services
from standards.tests.factories import defaults, profile

pytestmark = pytest.mark.django_db
YEAR = 2025


def _figures(attainments):
    return [(a.code, a.total, a.attained, a.percent,
             [(line.unit.name, line.township, line.result.met, line.result.total,
               [r.item.text for r in line.result.missing]) for line in a.lines])
            for a in attainments]


def _room(standards):
    return standards["liuyou"].items.get(kind="confirmed", order=3)


def test_a_later_confirmation_does_not_change_the_frozen_attainment(tree):
    standards = defaults(YEAR)
    profile(tree.village, has_plaque=True)
    admin = tree.county_admin
    live_county = _figures(selectors.attainment(user=admin, region=tree.county, year=YEAR))
    live_township = _figures(selectors.attainment(user=admin, region=tree.township, year=YEAR))
    frozen = services.attainment_freeze(actor=admin, region=tree.county, year=YEAR)
    assert {s.unit_id for s in frozen} == {tree.county.pk, tree.township.pk,
                                           tree.other_township.pk}

    services.confirmation_record(actor=SYSTEM, unit=tree.village, item=_room(standards),
                                 year=YEAR, confirmed_on=dt.date(2025, 12, 20),
                                 note="活动室", by_name="王干事")
    live_after = _figures(selectors.attainment(user=admin, region=tree.county, year=YEAR))
    assert live_after != live_county  # the live attainment counts the confirmation

    county, status = selectors.attainment_of_year(user=admin, region=tree.county, year=YEAR)
    assert status.frozen and status.as_of == dt.date(2025, 12, 31)
    assert _figures(county) == live_county
    township, _status = selectors.attainment_of_year(user=admin, region=tree.township,
                                                     year=YEAR)
    assert _figures(township) == live_township
    # Sorting the frozen lines works as on the live page.
    by_missing, _status = selectors.attainment_of_year(user=admin, region=tree.county,
                                                       year=YEAR, sort="-missing")
    lines = next(a for a in by_missing if a.code == "liuyou").lines
    assert [len(line.result.missing) for line in lines] == sorted(
        (len(line.result.missing) for line in lines), reverse=True)


def test_the_attainment_is_frozen_once_and_by_administrators_only(tree):
    defaults(YEAR)
    with pytest.raises(PermissionDenied):
        services.attainment_freeze(actor=tree.township_officer, region=tree.township,
                                   year=YEAR)
    services.attainment_freeze(actor=tree.county_admin, region=tree.county, year=YEAR)
    with pytest.raises(ValidationError):
        services.attainment_freeze(actor=tree.county_admin, region=tree.township, year=YEAR)
    assert Snapshot.objects.count() == 3


def test_the_page_and_export_say_live_or_frozen(tree, client_for):
    defaults(YEAR)
    client = client_for(tree.county_admin)
    url = reverse("standards:attainment", args=[tree.county.pk]) + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert 'class="data-status"' in page
    freeze = reverse("standards:attainment_freeze", args=[tree.county.pk])
    assert freeze in page
    assert client.get(freeze + f"?year={YEAR}").status_code == 200
    response = client.post(freeze + f"?year={YEAR}", {"year": str(YEAR), "note": "年终",
                                                      "form_token": "f1"})
    assert response.status_code == 302 and response.url.endswith(f"?year={YEAR}")
    page = client.get(url).content.decode()
    assert "data-status--frozen" in page and "年终" in page and freeze not in page
    sheet = load_workbook(io.BytesIO(client.get(url + "&export=xlsx").content)).active
    assert "冻结数据 · 截至2025年12月31日" in sheet["A1"].value
    # A leader reads the frozen attainment and may not freeze.
    leader = client_for(tree.leader)
    assert "data-status--frozen" in leader.get(url).content.decode()
    assert leader.get(freeze).status_code == 403
