"""The service cards (服务家园卡): an A6 page a village with its officer, the township's
window and a QR code of the village's public page; a township's cards one PDF with a page
a village, in a fixed number of queries; staff only, and out of scope a 404."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from reports import cards, public_selectors
from workforce.tests.factories import make_officer

MM = 72 / 25.4
OFFICER = "李春梅"


@pytest.fixture
def staffed(tree):
    make_officer(unit=tree.community, name=OFFICER, phone="13909431234")
    org_services.profile_update(actor=SYSTEM, unit=tree.township, address="会师镇人民政府院内",
                                phone="0943-3228866", service_hours="周一至周五 9:00-17:00")
    return tree


def _pdf(response) -> PdfReader:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _text(reader) -> str:
    return "".join(page.extract_text() for page in reader.pages)


def test_the_card_context_points_the_qr_code_at_the_public_page(staffed, settings):
    settings.CANLIAN_PUBLIC_URL = "https://canlian.example.gov.cn"
    unit = public_selectors.public_unit_of(staffed.community)
    context = cards.card_context(unit, base=cards.public_base(None))
    assert context["address"] == "https://canlian.example.gov.cn/public/620422100001/"
    qr = cards.qr_code(context["address"])
    assert qr.designator and not qr.is_micro
    assert qr.matrix == cards.qr_code("https://canlian.example.gov.cn/public/620422100001/").matrix
    assert qr.matrix != cards.qr_code("https://canlian.example.gov.cn/public/620422100200/").matrix
    assert context["qr"].startswith("<svg") and 'class="qr"' in context["qr"]
    assert [o.name for o in unit.officers] == [OFFICER]


def test_without_the_setting_the_qr_code_uses_the_printing_request_host(staffed, rf,
                                                                        settings):
    settings.ALLOWED_HOSTS = ["canlian.huining.gov.cn"]
    request = rf.get("/", HTTP_HOST="canlian.huining.gov.cn", secure=True)
    assert cards.public_address(cards.public_base(request), "620422100001") == (
        "https://canlian.huining.gov.cn/public/620422100001/")


def test_a_village_card_is_one_a6_page_with_the_officer_and_the_qr_code(staffed, client_for):
    response = client_for(staffed.township_officer).get(
        reverse("reports:service_card", args=[staffed.community.pk]))
    reader = _pdf(response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) / MM - 105) < 1 and abs(float(box.height) / MM - 148) < 1
    text = _text(reader)
    assert OFFICER in text and "13909431234" in text and "0943-3228866" in text
    assert "东山根社区居民委员会" in text and "9:00-17:00" in text
    assert "/public/620422100001/" in text
    assert response["Content-Disposition"].startswith("inline")


def test_a_township_prints_one_card_per_village_in_a_fixed_number_of_queries(
        staffed, client_for, django_assert_max_num_queries):
    client = client_for(staffed.township_officer)
    url = reverse("reports:service_cards", args=[staffed.township.pk])
    with django_assert_max_num_queries(12) as few:
        reader = _pdf(client.get(url))
    assert len(reader.pages) == 2  # 东山根社区 and 高家庄村
    text = _text(reader)
    assert "高家庄村民委员会" in text and "空缺" in text  # 高家庄 has no officer
    for n in range(4):
        village = org_services.unit_create(actor=SYSTEM, parent=staffed.township,
                                           level=Level.VILLAGE, code=f"62042210021{n}",
                                           name=f"新村{n}村民委员会")
        make_officer(unit=village, name=f"王专委{n}", birth=dt.date(1981 + n, 1, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        reader = _pdf(client.get(url))
    assert len(reader.pages) == 6
    assert "王专委3" in _text(reader)


def test_staff_only_and_out_of_scope_is_404(staffed, client, client_for):
    url = reverse("reports:service_card", args=[staffed.community.pk])
    assert client.get(url).status_code == 302  # to the login page
    other = client_for(staffed.other_officer)
    assert other.get(url).status_code == 404
    assert other.get(reverse("reports:service_cards",
                             args=[staffed.township.pk])).status_code == 404
    mine = client_for(staffed.township_officer)
    # A card is a village's, the cards a township's: the other level is not found.
    assert mine.get(reverse("reports:service_card",
                            args=[staffed.township.pk])).status_code == 404
    assert mine.get(reverse("reports:service_cards",
                            args=[staffed.community.pk])).status_code == 404


def test_the_unit_page_leads_to_the_cards(staffed, client_for):
    client = client_for(staffed.township_officer)
    body = client.get(reverse("orgs:unit_detail", args=[staffed.township.pk])).content.decode()
    assert reverse("reports:service_cards", args=[staffed.township.pk]) in body
    body = client.get(reverse("orgs:unit_detail", args=[staffed.community.pk])).content.decode()
    assert reverse("reports:service_card", args=[staffed.community.pk]) in body
    assert reverse("public:unit", args=["620422100001"]) in body


def test_two_officers_and_a_long_address_still_fit_one_card(staffed, client_for):
    make_officer(unit=staffed.community, name="张第二", phone="13800001111",
                 birth=dt.date(1985, 6, 1))
    org_services.profile_update(
        actor=SYSTEM, unit=staffed.township,
        address="会宁县会师镇会师南路一百二十八号人民政府院内便民服务中心一楼残联窗口",
        service_hours="周一至周五上午 8:30-12:00，下午 14:30-18:00；节假日值班电话另行公布")
    response = client_for(staffed.township_officer).get(
        reverse("reports:service_card", args=[staffed.community.pk]))
    reader = _pdf(response)
    assert len(reader.pages) == 1
    text = _text(reader)
    assert OFFICER in text and "张第二" in text and "13800001111" in text
