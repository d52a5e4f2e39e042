"""Reads behind the yearly work report (汇报材料): the template a unit's report follows and
the unit's figures of a year, every one computed from the data by the selectors of the
apps that own it (the summary table, the workforce, the ledgers, the standards). A fixed
number of queries whatever the number of people.

The report is a Chinese government document: the sentences generated here (the
assessment, the reforms, the categories) are Chinese like the template's prose, whatever
the language of the page around the preview.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.snapshots import DataStatus, year_end
from ledgers.models import AssistanceActivity, Petition, VolunteerActivity
from orgs.models import Level, OrgUnit, Reform, ReformStatus
from people.choices import Category, NeedStatus
from people.models import Need, UnitVisitCount, Visit
from standards import indicators
from standards import selectors as standard_selectors
from standards.assessment_selectors import round_for, round_results
from standards.sites_selectors import county_of
from workforce import selectors as workforce_selectors
from workforce.choices import PostKind
from workforce.models import TrainingSession

from . import rules as overview_rules
from . import workreport_default as default
from . import workreport_rules as rules
from .models import WorkReportTemplate
from .overview_selectors import statistics_overview

# GB/T 26341-2010 names of the categories, as the reports write them.
CATEGORY_NAMES = {Category.VISUAL: "视力", Category.HEARING: "听力", Category.SPEECH: "言语",
                  Category.PHYSICAL: "肢体", Category.INTELLECTUAL: "智力",
                  Category.MENTAL: "精神", Category.MULTIPLE: "多重"}
# The levels a report is written for: a province down to a township.
REPORT_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)


@dataclass(frozen=True)
class BuiltInTemplate:
    """The built-in template (reports/workreport_default.py), where no unit has one."""

    title: str = default.TITLE
    subtitle: str = default.SUBTITLE
    signature: str = default.SIGNATURE
    body: str = default.BODY
    unit: OrgUnit | None = None
    pk: None = None
    version: int = 0


def template_for(unit: OrgUnit) -> WorkReportTemplate | BuiltInTemplate:
    """The template ``unit``'s report follows: its own, else the nearest unit's above it,
    else the built-in one. One query. Read above the user's scope on purpose: a township's
    report follows its county's template (a template holds no personal data)."""
    found = list(WorkReportTemplate.objects.filter(unit_id__in=unit.ancestor_ids)
                 .select_related("unit"))
    if not found:
        return BuiltInTemplate()
    return max(found, key=lambda t: len(t.unit.path))


def own_template(*, user, unit: OrgUnit) -> WorkReportTemplate | None:
    """``unit``'s own template (``unit`` read within the user's scope), or None."""
    return (WorkReportTemplate.objects.visible_to(user).filter(unit=unit)
            .select_related("unit", "updated_by").first())


def report_units(*, user):
    """The units ``user`` may write a report for: theirs and two levels beneath it, down to
    the townships, existing today."""
    own = getattr(user, "unit", None)
    deepest = min((own.level if own else Level.PROVINCE) + 2, Level.TOWNSHIP)
    return (OrgUnit.objects.visible_to(user).active().filter(level__lte=deepest)
            .order_by("path"))


@dataclass(frozen=True)
class Source:
    """Where a group of the report's figures comes from: live or frozen, as of when."""

    label: str
    status: DataStatus


@dataclass
class WorkReport:
    unit: OrgUnit
    year: int
    title: str
    subtitle: str
    signature: str
    date: str
    blocks: list
    figures: dict
    sources: list = field(default_factory=list)
    template: object = None

    @property
    def filename_stem(self) -> str:
        return f"{self.unit.name}{self.year}年工作汇报"


def _count(n) -> str:
    return "—" if n is None else str(n)


def _profile(user, unit: OrgUnit, year: int) -> tuple[dict[str, str], Source]:
    """The unit's profile: its divisions, population, disabled people and their shares, as
    the statistics overview of the year gives them (frozen when the year was frozen), so
    the report and the overview never disagree; the categories from the same summary
    table. The one place the report reads the profile."""
    overview = statistics_overview(user=user, unit=unit, year=year)
    total = overview.total
    counts = overview.table.total.counts
    divisions = dict(total.divisions)
    categories = "、".join(f"{name}残疾{counts[f'category.{c.value}']}人"
                          for c, name in CATEGORY_NAMES.items())
    figures = {
        "截至日期": rules.written_date(overview.as_of),
        "乡镇数": str(divisions.get(overview_rules.TOWNSHIP, 0)
                   + divisions.get(overview_rules.STREET, 0)),
        "村数": str(divisions.get(overview_rules.VILLAGE, 0)),
        "社区数": str(divisions.get(overview_rules.COMMUNITY, 0)),
        "人口": _count(total.population),
        "人口万": rules.ten_thousands(total.population),
        "残疾人总数": str(total.people),
        "残疾人万": rules.ten_thousands(total.people),
        "残疾人占比": overview_rules.share_text(total.people_share),
        "持证人数": str(total.certified),
        "城镇残疾人": str(total.urban),
        "城镇占比": overview_rules.share_text(total.urban_share),
        "农村残疾人": str(total.rural),
        "农村占比": overview_rules.share_text(total.rural_share),
        "分类情况": f"其中{categories}",
        "统计概况": overview.paragraph,
    }
    return figures, Source(str(_("Disabled people and population")), overview.status)


def _work(user, unit: OrgUnit, year: int, as_of: dt.date) -> dict[str, str]:
    """What was done in the year: needs, visits, officers, training, activities, letters
    and visits, reforms — counted from the dated records of the year (live)."""
    start, end = dt.date(year, 1, 1), year_end(year)
    needs = Need.objects.visible_to(user).within(unit).order_by().aggregate(
        registered=Count("id", filter=Q(registered_on__range=(start, end))),
        met=Count("id", filter=Q(status=NeedStatus.MET, closed_on__range=(start, end))),
        closed=Count("id", filter=Q(status__in=[NeedStatus.MET, NeedStatus.UNMET],
                                    closed_on__range=(start, end))))
    visits = (Visit.objects.visible_to(user).within(unit)
              .filter(visited_on__range=(start, end)).order_by().count())
    visited = sum(UnitVisitCount.objects.visible_to(user).within(unit).filter(year=year)
                  .values_list("visited", flat=True))
    officers = workforce_selectors.liaison_officers(user=user, unit=unit, on=as_of).count()
    vacant = sum(line.vacant for line in workforce_selectors.vacancies(
        user=user, unit=unit, kind=PostKind.LIAISON, on=as_of))
    training = (TrainingSession.objects.visible_to(user).within(unit)
                .filter(starts_on__range=(start, end)).order_by()
                .aggregate(sessions=Count("id", distinct=True), attendances=Count("attendances")))

    def held(model):
        return (model.objects.visible_to(user).within(unit)
                .filter(held_on__range=(start, end)).order_by().count())

    petitions = Petition.objects.visible_to(user).within(unit).order_by().aggregate(
        received=Count("id", filter=Q(received_on__range=(start, end))),
        closed=Count("id", filter=Q(closed_on__range=(start, end))))
    return {
        "需求登记": str(needs["registered"]),
        "需求满足": str(needs["met"]),
        "需求满足率": rules.percent(needs["met"], needs["closed"]),
        "走访次数": str(visits),
        "走访人数": str(visited),
        "专职委员在岗": str(officers),
        "专职委员空缺": str(vacant),
        "培训期数": str(training["sessions"]),
        "培训人次": str(training["attendances"]),
        "助残活动": str(held(AssistanceActivity)),
        "志愿者活动": str(held(VolunteerActivity)),
        "信访件数": str(petitions["received"]),
        "信访办结": str(petitions["closed"]),
        "改革情况": _reforms(user, unit, start, end),
    }


def _reforms(user, unit: OrgUnit, start: dt.date, end: dt.date) -> str:
    reforms = list(Reform.objects.visible_to(user).within(unit)
                   .filter(status=ReformStatus.APPLIED, effective_on__range=(start, end))
                   .order_by("effective_on", "id").values_list("title", flat=True))
    if not reforms:
        return ""
    return f"{start.year}年实施机构改革{len(reforms)}项：{'；'.join(reforms)}。"


def _standards(user, unit: OrgUnit, year: int) -> tuple[dict[str, str], Source]:
    """九有, 六有 (frozen when the year's attainment was frozen) and 三个百分之百."""
    attainments, status = standard_selectors.attainment_of_year(user=user, region=unit,
                                                                year=year)
    by_code = {a.code: a for a in attainments}
    figures = {}
    for code, prefix in (("jiuyou", "九有"), ("liuyou", "六有")):
        found = by_code.get(code)
        attained, total = (found.attained, found.total) if found else (0, 0)
        figures[f"{prefix}达标"] = str(attained)
        figures[f"{prefix}总数"] = str(total)
        figures[f"{prefix}达标率"] = rules.percent(attained, total)
    coverage = indicators.coverage([unit], indicators.as_of(year))[unit.pk]
    figures["乡镇残联覆盖率"] = rules.percent(coverage.townships.met, coverage.townships.total)
    figures["村社区残协覆盖率"] = rules.percent(coverage.villages.met, coverage.villages.total)
    figures["专职委员覆盖率"] = rules.percent(coverage.liaison.met, coverage.liaison.total)
    return figures, Source(str(_("Attainment of the standards")), status)


def _assessment(unit: OrgUnit, year: int) -> str:
    """A sentence on the county's confirmed 100-point assessment of its townships of the
    year: for a county, how many were assessed, commended and criticised; for a township,
    its score and rank. Empty when there is none (or it is not confirmed yet)."""
    county = county_of(unit)
    if county is None or unit.level > Level.TOWNSHIP:
        return ""
    round_ = round_for(county=county, level=Level.TOWNSHIP, year=year)
    if round_ is None or not round_.confirmed:
        return ""
    results = [r for r in round_results(round_) if r.rank is not None]
    if unit.level == Level.COUNTY:
        commended = sum(1 for r in results if r.commended)
        criticised = sum(1 for r in results if r.criticised)
        return (f"{year}年对{len(results)}个乡镇（街道）进行了百分制目标考核，"
                f"表彰先进{commended}个，通报批评{criticised}个。")
    own = next((r for r in results if r.unit.pk == unit.pk), None)
    if own is None:
        return ""
    return (f"在{county.name}{year}年百分制目标考核中，本单位得分{own.final_total}分，"
            f"在{len(results)}个乡镇（街道）中排名第{own.rank}。")


def work_report(*, user, unit: OrgUnit, year: int, today: dt.date | None = None) -> WorkReport:
    """The yearly work report of ``unit`` (read within the user's scope) for ``year``: the
    template it follows filled with the year's figures, headings numbered, dated
    ``today``. A fixed number of queries whatever the number of people."""
    today = today or timezone.localdate()
    template = template_for(unit)
    figures = {"单位名称": unit.name, "年度": str(year), "日期": rules.written_date(today)}
    profile, people_source = _profile(user, unit, year)
    figures.update(profile)
    figures.update(_work(user, unit, year, people_source.status.as_of))
    standards, standards_source = _standards(user, unit, year)
    figures.update(standards)
    figures["考核情况"] = _assessment(unit, year)
    work_source = Source(str(_("Needs, visits, workers, training, activities, letters and "
                               "visits, reforms")),
                         DataStatus.live(min(year_end(year), today)))
    return WorkReport(
        unit=unit, year=year,
        title=rules.fill(template.title, figures),
        subtitle=rules.fill(template.subtitle, figures),
        signature=rules.fill(template.signature, figures),
        date=figures["日期"],
        blocks=rules.blocks(template.body, figures),
        figures=figures,
        sources=[people_source, standards_source, work_source],
        template=template,
    )
