"""The dashboard of a unit (工作看板): the figures of the unit and everything beneath it on one
page — the people by category, grade and household registration and their share of the
population, the needs open and met, the visit rate against its target, the liaison officers
in post and the posts vacant, the training of the year, the attainment of the standards and
the unit's place in its latest assessment.

Every figure is read by the selector that already computes it for its own page (the summary
table, the home page's figures, the workforce's vacancies and training, the standards'
attainment, the assessment's ranking), and carries the URL of the list behind it, filtered
so that the list shows the same number. The whole dashboard costs a fixed number of grouped
queries, whatever the number of people or units beneath (tests/test_dashboard.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import snapshots
from core.snapshots import DataStatus
from orgs.models import Level, OrgUnit
from people.choices import Category, Grade, Hukou, NeedStatus, NeedType
from people.filters import OPEN_NEED
from people.models import Need

from . import rules, selectors

VISIT_TARGET = 0.95  # 入户走访率: every disabled person visited in the year (doc1–doc3: 95 %)


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard and the list that shows the same rows."""

    label: str
    value: int | float | None
    url: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        return str(self.value)


@dataclass(frozen=True)
class Share:
    """A share (0–1, or None when there is nothing to divide by) of ``part`` in ``whole``."""

    part: int
    whole: int

    @property
    def value(self) -> float | None:
        return self.part / self.whole if self.whole else None

    @property
    def percent(self) -> float | None:
        return None if self.value is None else self.value * 100

    @property
    def text(self) -> str:
        """As every report prints a share: one decimal, half up ("7.5%", "—"; reports.rules)."""
        return rules.share_text(rules.share(self.part, self.whole))


@dataclass
class NeedLine:
    type: str
    label: str
    open: int
    met: int
    open_url: str
    met_url: str


@dataclass
class StandardLine:
    """One standard over the unit's subtree: the units that attain every item, of all."""

    code: str
    name: str
    level: int
    attained: int
    total: int
    url: str

    @property
    def share(self) -> Share:
        return Share(self.attained, self.total)


@dataclass
class AssessmentLine:
    """The unit's latest assessment: its rank among the round's ranked units, its score and
    grade (``rank`` None: not inspected yet), or — for the county that holds the rounds —
    the round and how many units it assesses (``own`` False)."""

    title: str
    year: int
    confirmed: bool
    units: int
    url: str
    own: bool = True
    rank: int | None = None
    total: object = None  # a Decimal score
    grade: str = ""


@dataclass
class Dashboard:
    unit: OrgUnit
    today: dt.date
    status: DataStatus
    people: Figure
    population: int | None
    population_source: str
    population_rows: int
    population_share: Share | None
    certified: Figure
    by_category: list[Figure]
    by_grade: list[Figure]
    by_hukou: list[Figure]
    needs: list[NeedLine]
    visits: dict
    table: object = None  # the summary table the people figures come from
    workforce: dict | None = None  # None: the user may not read the workforce
    training: dict | None = None
    standards: list[StandardLine] | None = None
    standards_status: DataStatus | None = None  # None with no lines: not computed here
    assessment: AssessmentLine | None = None
    may_assess: bool = False
    frozen: list = field(default_factory=list)  # (label, year, url) of the unit's frozen sets

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def visit_target(self) -> float:
        return VISIT_TARGET

    @property
    def visit_target_percent(self) -> int:
        return round(VISIT_TARGET * 100)

    @property
    def needs_open(self) -> int:
        return sum(n.open for n in self.needs)

    @property
    def needs_met(self) -> int:
        return sum(n.met for n in self.needs)


def _url(name: str, *args, **query) -> str:
    base = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def dashboard_unit(*, user, pk=None) -> OrgUnit:
    """The unit asked for (the user's own by default; the top of a superuser's tree), in the
    user's scope, or 404. A grid has no dashboard: people are registered in its village."""
    from orgs import selectors as org_selectors

    if pk is None:
        pk = user.unit_id
    if pk is None:
        root = org_selectors.unit_roots(user=user).order_by("path").first()
        if root is None:
            raise Http404
        pk = root.pk
    unit = org_selectors.unit_get(user=user, pk=pk)
    if unit.level >= Level.GRID:
        raise Http404
    return unit


def _people(unit: OrgUnit, table) -> dict:
    """The people figures from the summary table's total row: certified people by category
    and by grade (as the paper form counts them), everyone by household registration."""
    row = table.total
    people = _url("people:person_list", unit=unit.pk, status="active")

    def person_url(**query):
        return _url("people:person_list", unit=unit.pk, status="active", **query)

    return {
        "people": Figure(_("Disabled people"), row.total, people),
        "certified": Figure(_("With certificate"), row.counts["certificate.yes"],
                            person_url(certificate="yes")),
        "by_category": [Figure(c.label, row.counts[f"category.{c.value}"],
                               person_url(category=c.value, certificate="yes"))
                        for c in Category],
        "by_grade": [Figure(g.label, row.counts[f"grade.{g.value}"],
                            person_url(grade=g.value, certificate="yes")) for g in Grade],
        "by_hukou": [Figure(h.label, row.counts[f"hukou.{h.value}"], person_url(hukou=h.value))
                     for h in Hukou],
        "population": row.population,
        "population_source": row.population_source,
        "population_rows": row.population_rows,
        "population_share": (Share(row.people_with_population, row.population)
                             if row.population else None),
    }


def _needs(user, unit: OrgUnit) -> list[NeedLine]:
    """Open (open or in progress) and met needs by type: one grouped query."""
    needs = selectors._in_unit(Need.objects.visible_to(user), user, unit).order_by()
    found = {r["type"]: r for r in needs.values("type").annotate(
        open=Count("id", filter=OPEN_NEED), met=Count("id", filter=Q(status=NeedStatus.MET)))}
    lines = []
    for t in NeedType:
        r = found.get(t.value, {})
        lines.append(NeedLine(
            t.value, t.label, r.get("open", 0), r.get("met", 0),
            _url("people:need_list", unit=unit.pk, type=t.value, status="open"),
            _url("people:need_list", unit=unit.pk, type=t.value, status=NeedStatus.MET)))
    return lines


def _visits(user, unit: OrgUnit) -> dict:
    f = selectors.unit_figures(user=user, unit=unit)
    return {
        "people": f.people, "visited": f.visited, "due": f.due,
        "share": Share(f.visited, f.people),
        "reached": f.visited_share is not None and f.visited_share >= VISIT_TARGET,
        "coverage_url": _url("people:visit_coverage_unit", unit.pk),
        "not_visited": Figure(_("Not visited this year"), f.not_visited,
                              _url("people:person_list", unit=unit.pk, status="active",
                                   not_visited_this_year="on")),
        "due_figure": Figure(_("Due a visit"), f.due,
                             _url("people:person_list", unit=unit.pk, status="active",
                                  visit_due="on")),
        "open_needs": f.open_needs, "overdue_needs": f.overdue_needs,
    }


def _workforce(user, unit: OrgUnit) -> dict:
    """Liaison officers in post (as the worker list counts them: workers of the subtree
    holding a liaison post now), the liaison posts the norms ask for that nobody holds, and
    every vacant post (workforce.selectors.vacancies)."""
    from workforce import selectors as workforce
    from workforce.choices import PostKind
    from workforce.models import Appointment, Worker

    liaison = PostKind.LIAISON
    in_post = (Worker.objects.visible_to(user).within(unit).filter(Exists(
        Appointment.objects.current().filter(worker=OuterRef("pk"), post__kind=liaison)))
        .order_by().count())
    lines = workforce.vacancies(user=user, unit=unit)
    vacant_liaison = sum(s.vacant for s in lines if s.kind == liaison)
    found = {
        "in_post": Figure(_("Liaison officers in post"), in_post,
                          _url("workforce:worker_list", unit=unit.pk, kind=liaison)),
        "vacant_liaison": Figure(_("Liaison posts vacant"), vacant_liaison,
                                 _url("workforce:vacancy_list", unit=unit.pk, kind=liaison)),
        "vacant": Figure(_("Posts vacant, all kinds"), sum(s.vacant for s in lines),
                         _url("workforce:vacancy_list", unit=unit.pk)),
        "board_url": _url("workforce:board_unit", unit.pk),
    }
    found["figures"] = [found["in_post"], found["vacant_liaison"], found["vacant"]]
    return found


def _training(user, unit: OrgUnit, year: int) -> dict:
    """The year's training: sessions organised in the subtree, the attendances of its
    workers, the officers whose post asks for a yearly minimum and those short of it."""
    from workforce import selectors as workforce
    from workforce.models import Attendance, TrainingSession

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sessions = (TrainingSession.objects.visible_to(user).within(unit)
                .filter(starts_on__gte=first, starts_on__lte=last).order_by().count())
    attendances = (Attendance.objects.visible_to(user).within(unit)
                   .filter(session__starts_on__gte=first, session__starts_on__lte=last)
                   .order_by().count())
    needs = workforce.training_needs(user=user, year=year, unit=unit)
    short = [n for n in needs if n.missing]
    found = {
        "sessions": Figure(_("Training sessions held"), sessions,
                           _url("workforce:training_list", unit=unit.pk, year=year)),
        "attendances": Figure(_("Attendances of the unit's workers"), attendances,
                              _url("workforce:training_list", unit=unit.pk, year=year)),
        "officers": len(needs),
        "trained": Share(len(needs) - len(short), len(needs)),
        "short": Figure(_("Officers short of their training"), len(short),
                        _url("workforce:training_shortfalls", unit=unit.pk, year=year)),
        "missing": sum(n.missing for n in short),
    }
    found["figures"] = [found["sessions"], found["attendances"], found["short"]]
    return found


def _standards(user, unit: OrgUnit, year: int) -> tuple[list[StandardLine], DataStatus | None]:
    """Each standard that applies in the subtree (三个百分之百 for a county, 九有 for its
    townships, 六有 for its villages): how many units attain every item, frozen when the
    year's attainment was frozen (standards.selectors.attainment_of_year). Above the
    county only a frozen attainment (status None and no lines when there is none)."""
    from standards import selectors as standards

    if unit.level < Level.COUNTY:
        # A city's or a province's: thousands of units' items are not computed on every
        # view — the frozen attainment of this year or the last, if there is one.
        for shown in (year, year - 1):
            snapshot = snapshots.snapshot_get(user=user, kind=standards.ATTAINMENT_KIND,
                                              unit=unit, year=shown)
            if snapshot is not None:
                found, status = standards.frozen_attainment(snapshot), DataStatus.of(snapshot)
                url = _url("standards:attainment", unit.pk, year=shown, all=1)
                break
        else:
            return [], None
    elif unit.level <= Level.TOWNSHIP:
        found, status = standards.attainment_of_year(user=user, region=unit, year=year)
        url = _url("standards:attainment", unit.pk, year=year, all=1)
    else:  # a village's own standard
        found = standards.attainment(user=user, region=unit, year=year)
        status = DataStatus.live(timezone.localdate())
        url = _url("standards:unit", unit.pk, year=year)
    lines = []
    for a in found:
        line_url = url
        if a.level == Level.COUNTY and unit.level == Level.COUNTY:
            line_url = _url("standards:coverage", unit.pk, year=year)
        lines.append(StandardLine(a.code, a.name, a.level, a.attained, a.total, line_url))
    return lines, status


def _assessment(user, unit: OrgUnit) -> AssessmentLine | None:
    """The latest round that assesses the unit, with its rank; for a unit that is assessed
    by none (a county), the latest round it holds. A confirmed round reads the ranks it
    kept; an open one computes them (standards.assessment_selectors.round_results: fixed
    queries)."""
    from standards import assessment_selectors as assessment
    from standards.models import AssessmentRound, AssessmentSheet

    sheet = (AssessmentSheet.objects.visible_to(user).filter(unit=unit)
             .select_related("round__scheme").order_by("-round__scheme__year", "-round_id")
             .first())
    if sheet is not None:
        round_ = sheet.round
        line = AssessmentLine(round_.scheme.name, round_.scheme.year, round_.confirmed, 0,
                              _url("standards:sheet_detail", sheet.pk))
        if round_.confirmed:
            line.units = (AssessmentSheet.objects.filter(round=round_, rank__isnull=False)
                          .order_by().count())
            line.rank, line.total, line.grade = sheet.rank, sheet.total, sheet.get_grade_display()
        else:
            results = assessment.round_results(round_)
            line.units = sum(1 for r in results if r.rank is not None)
            mine = next((r for r in results if r.sheet.pk == sheet.pk), None)
            if mine is not None:
                line.rank, line.total, line.grade = mine.rank, mine.final_total, mine.grade_label
        return line
    held = (AssessmentRound.objects.visible_to(user).filter(scheme__region=unit)
            .select_related("scheme").annotate(n=Count("sheets"))
            .order_by("-scheme__year", "-id").first())
    if held is None:
        return None
    return AssessmentLine(held.scheme.name, held.scheme.year, held.confirmed, held.n,
                          _url("standards:round_detail", held.pk), own=False)


def _frozen(user, unit: OrgUnit) -> list[tuple[str, int, str]]:
    found = []
    for s in snapshots.snapshot_list(user=user, unit=unit)[:10]:
        label, url = selectors.snapshot_link(s)
        found.append((label, s.year, url))
    return found


def dashboard(*, user, unit: OrgUnit, today: dt.date | None = None) -> Dashboard:
    """The dashboard of ``unit`` (read within ``user``'s scope), live as of today. The
    sections a user's role cannot read (the workforce, the standards, the assessment) are
    left out (None)."""
    today = today or timezone.localdate()
    table = selectors.summary_table(user=user, unit=unit)
    people = _people(unit, table)
    board = Dashboard(unit=unit, today=today, status=DataStatus.live(today), table=table,
                      needs=_needs(user, unit), visits=_visits(user, unit), **people)
    if user.has_perm("workforce.view_worker"):
        board.workforce = _workforce(user, unit)
    if user.has_perm("workforce.view_trainingsession"):
        board.training = _training(user, unit, today.year)
    if user.has_perm("standards.view_standard"):
        board.standards, board.standards_status = _standards(user, unit, today.year)
    if user.has_perm("standards.view_assessmentsheet"):
        board.may_assess = True
        board.assessment = _assessment(user, unit)
    if user.has_perm(snapshots.VIEW):
        board.frozen = _frozen(user, unit)
    return board
