"""The yearly work report (汇报材料): its figures match the data, its .docx and PDF are laid
out as GB/T 9704-2012 asks, the template's rules and edit page, the pages' scope, the
queries bounded."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from pypdf import PdfReader

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditLog
from core import pdf
from core.actors import SYSTEM
from ledgers import activities_services
from people import services as people_services
from people.models import Person
from reports import services as report_services
from reports import workreport_rules as rules
from reports import workreport_selectors as selectors
from reports.models import WorkReportTemplate
from reports.tests.conftest import ADULT, register
from reports.workreport_documents import work_report_docx, work_report_pdf
from reports.workreport_services import workreport_template_save
from workforce import services as workforce_services
from workforce.tests.factories import make_officer

TODAY = timezone.localdate()
YEAR = TODAY.year
LAST_YEAR = dt.date(YEAR - 1, 6, 1)


@pytest.fixture
def work(people):
    """A year's work on top of the register of reports/tests/conftest.py: two needs this
    year (one met) and one last year, two visits this year and one last year, a liaison
    officer in post, a training session with one attendance, an assistance activity."""
    t = people.tree
    person = Person.objects.filter(unit=t.community).order_by("pk").first()
    other = Person.objects.filter(unit=t.village).order_by("pk").first()
    met = people_services.need_create(actor=SYSTEM, person=person, type="relief",
                                      registered_on=TODAY)
    people_services.need_update(actor=SYSTEM, need=met, status="met", closed_on=TODAY,
                                outcome="已发放")
    people_services.need_create(actor=SYSTEM, person=other, type="relief", registered_on=TODAY)
    people_services.need_create(actor=SYSTEM, person=other, type="relief",
                                registered_on=LAST_YEAR)
    for who, day in ((person, TODAY), (other, TODAY), (other, LAST_YEAR)):
        people_services.visit_record(actor=SYSTEM, person=who, visited_on=day, mode="home",
                                     worker_name="王专委")
    officer = make_officer(unit=t.community, connection="self")
    session = workforce_services.training_create(
        actor=SYSTEM, unit=t.county, title="专职委员培训", level="county", starts_on=TODAY,
        ends_on=TODAY, hours=4)
    workforce_services.attendance_set(actor=SYSTEM, session=session, workers=[officer.worker])
    activities_services.assistance_create(actor=SYSTEM, unit=t.community, title="送温暖",
                                          kind="visit", held_on=TODAY)
    return people


def _report(user, unit, year=YEAR):
    return selectors.work_report(user=user, unit=unit, year=year, today=TODAY)


def test_the_figures_match_the_data(work):
    t = work.tree
    f = _report(t.county_admin, t.county).figures
    # The register of conftest.py: 16 active people, 6 urban, 10 rural, 12 certified.
    assert (f["残疾人总数"], f["城镇残疾人"], f["农村残疾人"], f["持证人数"]) \
        == ("16", "6", "10", "12")
    assert (f["城镇占比"], f["农村占比"]) == ("37.5%", "62.5%")
    assert f["人口"] == "500000" and f["残疾人占比"] == "0.0%"
    assert (f["乡镇数"], f["村数"], f["社区数"]) == ("2", "4", "1")  # the abolished left out
    assert f["分类情况"].startswith("其中视力残疾2人、听力残疾1人")
    assert "肢体残疾4人" in f["分类情况"]
    assert (f["需求登记"], f["需求满足"], f["需求满足率"]) == ("2", "1", "100.0%")
    assert (f["走访次数"], f["走访人数"]) == ("2", "2")
    assert f["专职委员在岗"] == "1"
    assert (f["培训期数"], f["培训人次"], f["助残活动"]) == ("1", "1", "1")
    assert f["单位名称"] == "会宁县" and f["年度"] == str(YEAR)
    assert f["日期"] == f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"
    # A township's report counts its own area only.
    township = _report(t.county_admin, t.township).figures
    assert (township["残疾人总数"], township["乡镇数"], township["村数"], township["社区数"]) \
        == ("10", "0", "2", "1")
    assert township["助残活动"] == "1" and township["培训期数"] == "0"
    # Last year: only last year's records.
    before = _report(t.county_admin, t.county, year=YEAR - 1).figures
    assert (before["需求登记"], before["走访次数"]) == ("1", "1")


def test_the_text_carries_the_figures_under_numbered_headings(work):
    t = work.tree
    report = _report(t.county_admin, t.county)
    assert report.title == ("加强残疾人基层组织建设 提高服务能力 "
                            "推进会宁县残疾人事业持续健康协调发展")
    assert report.subtitle == f"——会宁县{YEAR}年残疾人基层组织建设汇报材料"
    assert "登记在册残疾人16人" in report.blocks[0].text
    headings = [b.numbered for b in report.blocks if b.is_heading]
    assert headings[0] == f"一、{YEAR}年基层残疾人组织建设的主要做法"
    assert headings[1] == "（一）健全组织机构，强化工作职责"
    assert "二、残疾人基层组织建设存在的主要问题" in headings
    assert headings[headings.index("三、下一步工作打算") + 1].startswith("（一）")
    assert not any("{" in b.text for b in report.blocks)


def test_the_sources_say_live_or_frozen(work):
    t = work.tree
    live = _report(t.county_admin, t.county, year=YEAR - 1)
    assert not live.sources[0].status.frozen
    assert live.sources[0].status.as_of == dt.date(YEAR - 1, 12, 31)
    report_services.summary_tables_freeze(actor=t.county_admin, unit=t.county, year=YEAR - 1)
    frozen = _report(t.county_admin, t.county, year=YEAR - 1)
    assert frozen.sources[0].status.frozen
    assert frozen.figures["残疾人总数"] == live.figures["残疾人总数"]


# ---- the rules ----------------------------------------------------------------------------

def test_shares_are_rounded_to_one_decimal():
    assert rules.percent(136400, 1815000) == "7.5%"
    assert rules.percent(1, 8) == "12.5%"  # half up, never to even
    assert rules.percent(5, None) == "—" and rules.percent(5, 0) == "—"
    assert rules.ten_thousands(1815000) == "181.5"
    assert rules.ten_thousands(136400) == "13.64"
    assert rules.ten_thousands(581300) == "58.13"


def test_headings_are_numbered_by_level():
    body = "# 甲\n## 乙\n### 丙\n#### 丁\n#### 戊\n### 己\n## 庚\n# 辛\n## 壬\n段落{年度}"
    found = [b.numbered for b in rules.blocks(body, {"年度": "2026"})]
    assert found == ["一、甲", "（一）乙", "1.丙", "（1）丁", "（2）戊", "2.己", "（二）庚",
                     "二、辛", "（一）壬", "段落2026"]
    assert [rules.chinese_number(n) for n in (1, 10, 11, 20, 23)] \
        == ["一", "十", "十一", "二十", "二十三"]


def test_the_date_is_written_as_the_standard_asks():
    assert rules.written_date(dt.date(2026, 12, 1)) == "2026年12月1日"
    assert rules.written_date(dt.date(2026, 3, 9)) == "2026年3月9日"


def test_an_unknown_placeholder_is_refused_in_chinese():
    with translation.override("zh-hans"):
        problems = rules.template_problems(title="{单位名称}汇报", body="共有{残疾人数}人")
    assert list(problems) == ["body"]
    assert problems["body"] == ["未知的占位符 {残疾人数}：请使用表单旁列出的占位符。"]


def test_braces_are_placeholders_or_doubled_and_never_run():
    assert rules.template_problems(title="x", body="{{单位名称}} {单位名称}") == {}
    assert rules.fill("{{单位名称}} {单位名称}", {"单位名称": "会宁县"}) == "{单位名称} 会宁县"
    # Django's template syntax is neither a placeholder nor run.
    with translation.override("zh-hans"):
        problems = rules.template_problems(title="x", body="{% load static %}{{ user.password }}")
    assert problems["body"][0].startswith("未知的占位符 {% load static %}")
    assert rules.fill("{{ user.password }}", {}) == "{ user.password }"


def test_headings_may_not_skip_a_level():
    with translation.override("zh-hans"):
        problems = rules.template_problems(title="x", body="# 一\n### 三\n##### 五\n#")
    assert problems["body"] == ["第2行：第3级标题紧跟在第1级标题之后，请补上中间的一级。",
                                "第3行：标题最多四级（# 至 ####）。",
                                "第4行：标题没有文字。"]


# ---- the files ----------------------------------------------------------------------------

def _fonts(paragraph) -> tuple[str, str, float]:
    run = paragraph.runs[0]
    east_asian = run._element.rPr.rFonts.get(qn("w:eastAsia"))
    return run.font.name, east_asian, run.font.size.pt


def test_the_docx_is_laid_out_as_gbt_9704(work):
    t = work.tree
    report = _report(t.county_admin, t.county)
    document = Document(io.BytesIO(work_report_docx(report)))
    section = document.sections[0]
    def mm(length) -> int:
        return round(length / Mm(1))

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.left_margin)) == (37, 28)
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert (mm(text_width), mm(text_height)) == (156, 225)

    paragraphs = [p for p in document.paragraphs if p.text]
    title = paragraphs[0]
    assert title.text == report.title
    assert _fonts(title) == ("方正小标宋简体", "方正小标宋简体", 22)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    profile = paragraphs[2]
    assert "登记在册残疾人16人" in profile.text and "占37.5%" in profile.text
    assert _fonts(profile) == ("仿宋_GB2312", "仿宋_GB2312", 16)
    assert profile.paragraph_format.first_line_indent == Pt(32)
    first = next(p for p in paragraphs if p.text.startswith("一、"))
    assert _fonts(first) == ("黑体", "黑体", 16) and first.style.name == "Heading 1"
    second = next(p for p in paragraphs if p.text.startswith("（一）"))
    assert _fonts(second)[1] == "楷体_GB2312" and second.style.name == "Heading 2"
    signature, date = paragraphs[-2], paragraphs[-1]
    assert signature.text == "会宁县残疾人联合会"
    assert date.text == rules.written_date(TODAY)
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(64)  # four characters
    assert document.core_properties.title == report.title


def test_the_pdf_is_a4_and_carries_the_title(work):
    t = work.tree
    report = _report(t.county_admin, t.county)
    reader = PdfReader(io.BytesIO(work_report_pdf(report)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) \
        == (210, 297)
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert report.title.replace(" ", "") in text.replace(" ", "")
    assert "登记在册残疾人16人" in text
    assert rules.written_date(TODAY) in text


def test_the_fonts_are_named_in_one_place():
    assert pdf.TITLE_FONT.docx == "方正小标宋简体" and pdf.BODY_FONT.docx == "仿宋_GB2312"
    assert pdf.TITLE_FONT.pdf == pdf.BODY_FONT.pdf == pdf.FONT == "WenQuanYi Micro Hei"
    assert (pdf.TITLE_PT, pdf.BODY_PT) == (22, 16)


# ---- the template -------------------------------------------------------------------------

def test_a_county_template_is_followed_beneath_it(work):
    t = work.tree
    assert isinstance(selectors.template_for(t.township), selectors.BuiltInTemplate)
    workreport_template_save(actor=t.county_admin, unit=t.county,
                             title="{单位名称}{年度}年工作总结",
                             body="# 基本情况\n共有残疾人{残疾人总数}人。")
    report = _report(t.county_admin, t.township)
    assert report.title == f"会师镇{YEAR}年工作总结"
    assert [b.numbered for b in report.blocks] == ["一、基本情况", "共有残疾人10人。"]
    entry = AuditLog.objects.filter(action=Action.CREATE,
                                    object_repr__contains="会宁县").latest("id")
    assert entry.changes["body"][1].startswith("# 基本情况")


def test_saving_an_unknown_placeholder_is_refused(work):
    t = work.tree
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        workreport_template_save(actor=t.county_admin, unit=t.county, title="{单位}",
                                 body="正文")
    assert "未知的占位符 {单位}" in caught.value.message_dict["title"][0]
    assert not WorkReportTemplate.objects.exists()


def test_only_administrators_save_a_template(work):
    from django.core.exceptions import PermissionDenied

    t = work.tree
    with pytest.raises(PermissionDenied):
        workreport_template_save(actor=t.leader, unit=t.county, title="x", body="正文")


def _form_page(client, unit):
    response = client.get(reverse("reports:work_report_template", args=[unit.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() for name in form.fields}


def test_the_edit_page_keeps_the_input_on_error(work, client_for):
    t = work.tree
    client = client_for(t.county_admin)
    data = _form_page(client, t.county)
    assert data["body"].startswith("{单位名称}辖")  # the built-in template, to start from
    data["body"] = "# 情况\n这是我写的{不存在}"
    response = client.post(reverse("reports:work_report_template", args=[t.county.pk]), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "未知的占位符 {不存在}" in content and "这是我写的{不存在}" in content
    assert "{残疾人总数}" in content  # the placeholders listed beside the form
    assert not WorkReportTemplate.objects.exists()
    data["body"] = "# 情况\n这是我写的{残疾人总数}"
    response = client.post(reverse("reports:work_report_template", args=[t.county.pk]), data)
    assert response.status_code == 302
    assert WorkReportTemplate.objects.get(unit=t.county).body == "# 情况\n这是我写的{残疾人总数}"


def test_a_stale_edit_is_refused(work, client_for):
    t = work.tree
    workreport_template_save(actor=t.county_admin, unit=t.county, title="标题", body="原文")
    client = client_for(t.county_admin)
    data = _form_page(client, t.county)
    workreport_template_save(actor=SYSTEM, unit=t.county, title="别人改的标题", body="原文",
                             expected_version=1)
    data["body"] = "我的正文"
    response = client.post(reverse("reports:work_report_template", args=[t.county.pk]), data)
    assert response.status_code == 200
    assert "别人改的标题" in response.content.decode()
    assert "我的正文" in response.content.decode()
    saved = WorkReportTemplate.objects.get(unit=t.county)
    assert (saved.title, saved.body, saved.version) == ("别人改的标题", "原文", 2)


def test_a_first_save_racing_another_is_refused(work, client_for):
    t = work.tree
    client = client_for(t.county_admin)
    data = _form_page(client, t.county)  # opened while the county had none
    workreport_template_save(actor=SYSTEM, unit=t.county, title="先存的", body="正文")
    response = client.post(reverse("reports:work_report_template", args=[t.county.pk]), data)
    assert response.status_code == 200
    assert WorkReportTemplate.objects.get(unit=t.county).title == "先存的"


# ---- the pages ----------------------------------------------------------------------------

def test_the_preview_shows_the_report_and_its_sources(work, client_for):
    t = work.tree
    client = client_for(t.county_admin)
    response = client.get(reverse("reports:work_report"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "会宁县" in content and "登记在册残疾人16人" in content
    assert "实时数据" in content
    assert reverse("reports:work_report_docx", args=[t.county.pk]) in content
    response = client.get(reverse("reports:work_report"),
                          {"unit": t.township.pk, "year": YEAR - 1})
    assert response.context["unit"] == t.township and response.context["year"] == YEAR - 1


def test_the_downloads_are_audited(work, client_for):
    t = work.tree
    client = client_for(t.leader)
    response = client.get(reverse("reports:work_report_docx", args=[t.county.pk]),
                          {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    Document(io.BytesIO(response.content))  # a Word document
    response = client.get(reverse("reports:work_report_pdf", args=[t.township.pk]))
    assert response.content.startswith(b"%PDF")
    entries = AuditLog.objects.filter(action=Action.EXPORT, detail__report="work_report")
    assert sorted(e.detail["format"] for e in entries) == ["docx", "pdf"]


@pytest.mark.parametrize("role", ["township_officer", "village_officer", "auditor"])
def test_other_roles_may_not_generate(work, client_for, role):
    t = work.tree
    client = client_for(getattr(t, role))
    unit = getattr(t, role).unit
    for name in ("reports:work_report_unit", "reports:work_report_docx",
                 "reports:work_report_template"):
        assert client.get(reverse(name, args=[unit.pk])).status_code == 403, name


def test_a_leader_reads_but_does_not_edit_the_template(work, client_for):
    t = work.tree
    client = client_for(t.leader)
    assert client.get(reverse("reports:work_report")).status_code == 200
    assert client.get(reverse("reports:work_report_template",
                              args=[t.county.pk])).status_code == 403


def test_out_of_scope_is_404(work, client_for):
    t = work.tree
    leader = UserFactory(username="t_other_leader", unit=t.other_township, role=Role.LEADER)
    client = client_for(leader)
    for name in ("reports:work_report_unit", "reports:work_report_docx",
                 "reports:work_report_pdf"):
        assert client.get(reverse(name, args=[t.township.pk])).status_code == 404, name
    assert client.get(reverse("reports:work_report"), {"unit": t.county.pk}).status_code == 404
    # Villages write no yearly report.
    admin = client_for(t.county_admin)
    for name in ("reports:work_report_unit", "reports:work_report_pdf",
                 "reports:work_report_template"):
        assert admin.get(reverse(name, args=[t.community.pk])).status_code == 404, name


def test_the_queries_do_not_grow_with_the_people(work):
    t = work.tree

    def counted():
        with CaptureQueriesContext(connection) as queries:
            _report(t.county_admin, t.county)
        return len(queries)

    before = counted()
    for n in range(12):
        person = register(t.village, name=f"新{n}", male=bool(n % 2), birth=ADULT,
                          hukou="rural", certificate=(4, 2))
        people_services.visit_record(actor=SYSTEM, person=person, visited_on=TODAY,
                                     mode="home", worker_name="王专委")
        people_services.need_create(actor=SYSTEM, person=person, type="relief")
    assert counted() == before
    assert before <= 65  # the same few queries of each app's selectors, whatever the size
    assert _report(t.county_admin, t.county).figures["残疾人总数"] == "28"


def test_the_confirmed_assessment_is_told(work):
    from standards import assessment_services
    from standards.demo import build_scheme
    from standards.models import AssessmentItem, AssessmentSheet

    t = work.tree
    assert _report(t.county_admin, t.county).figures["考核情况"] == ""
    scheme = build_scheme(actor=SYSTEM, county=t.county, year=YEAR)
    round_ = assessment_services.round_create(actor=SYSTEM, scheme=scheme)
    hand = [i for i in AssessmentItem.objects.filter(category__scheme=scheme) if not i.computed]
    for unit, points in ((t.township, 8), (t.other_township, 6)):
        sheet = AssessmentSheet.objects.get(round=round_, unit=unit)
        sheet = assessment_services.sheet_self_score(actor=SYSTEM, sheet=sheet,
                                                     values={i.pk: points for i in hand})
        assessment_services.sheet_inspect(actor=SYSTEM, sheet=sheet,
                                          values={i.pk: points for i in hand},
                                          reasons={i.pk: "现场查看" for i in hand})
    assert _report(t.county_admin, t.county).figures["考核情况"] == ""  # not confirmed yet
    assessment_services.round_confirm(actor=SYSTEM, round_=round_)
    county = _report(t.county_admin, t.county).figures["考核情况"]
    assert county.startswith(f"{YEAR}年对2个乡镇（街道）进行了百分制目标考核，表彰先进")
    township = _report(t.county_admin, t.township).figures["考核情况"]
    assert township.startswith(f"在会宁县{YEAR}年百分制目标考核中，本单位得分")
    assert township.endswith("在2个乡镇（街道）中排名第1。")
    assert "排名第2。" in _report(t.county_admin, t.other_township).figures["考核情况"]


def test_the_reforms_of_the_year_are_told(work):
    from orgs import reform_services
    from orgs.models import OperationKind

    t = work.tree
    reform = reform_services.reform_create(actor=SYSTEM, unit=t.county, title="高家庄村更名",
                                           effective_on=TODAY)
    reform_services.operation_add(actor=SYSTEM, reform=reform, kind=OperationKind.RENAME,
                                  params={"unit": t.village.pk, "name": "高家新村民委员会"})
    assert _report(t.county_admin, t.county).figures["改革情况"] == ""  # a draft
    reform_services.reform_apply(actor=SYSTEM, reform=reform)
    assert _report(t.county_admin, t.county).figures["改革情况"] \
        == f"{YEAR}年实施机构改革1项：高家庄村更名。"
    assert _report(t.county_admin, t.other_township).figures["改革情况"] == ""
    assert _report(t.county_admin, t.county, year=YEAR - 1).figures["改革情况"] == ""
