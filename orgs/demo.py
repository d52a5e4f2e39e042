"""The network's part of the demo (``manage.py load_demo`` loads every app's in order):
会宁县 (Huining county, Gansu; code 620422) from the real 2023 division list, with
organisation profiles and grids in a few communities. Loading it twice changes nothing."""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from core.actors import SYSTEM
from core.tabular import read_table

from .divisions import divisions_import
from .models import Kind, Level, OrgProfile, OrgUnit
from .services import grid_create, profile_update, unit_update

DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "divisions-2023-sample.csv"
COUNTY_CODE = "620422"
TOWNSHIP_CODE = "620422100"  # 会师镇
VILLAGE_CODE = "620422100001"  # 东山根社区居民委员会
GRID_COMMUNITIES = ["620422100001", "620422100002", "620422100003", "620422100004"]


def _huining_rows():
    """The rows of the division list from 甘肃省 down through 会宁县."""
    for number, cells in read_table(DIVISIONS_FILE.read_bytes(), DIVISIONS_FILE.name):
        code = cells[0]
        if number == 1 or code in ("62", "6204") or code.startswith(COUNTY_CODE):
            yield number, cells


def demo_county() -> OrgUnit | None:
    return OrgUnit.objects.active().filter(code=COUNTY_CODE).first()


@transaction.atomic
def load() -> list[str]:
    """Load (or top up) the network of the demo county; what to tell the user."""
    result = divisions_import(actor=SYSTEM, table=_huining_rows(), source="demo")
    if result.errors:
        raise RuntimeError(f"demo divisions did not import: {result.errors[:3]}")
    county = OrgUnit.objects.active().get(code=COUNTY_CODE)
    _profiles(county)
    populations_fill(county)
    _grids()
    _reform(county)
    return [f"{county.name}: {OrgUnit.objects.within(county).count()} units"]


REFORM_TITLE = "会师镇村委会撤并（演示草案）"


def _reform(county: OrgUnit) -> None:
    """A reform planned but not applied: two villages of a township merged into one, for
    the county's staff to preview (and, in the demo, to apply)."""
    from . import reform_services  # noqa: PLC0415 - the demo's own late import
    from .models import OperationKind, Reform

    if Reform.objects.filter(unit=county, title=REFORM_TITLE).exists():
        return
    township = OrgUnit.objects.active().filter(parent=county, level=Level.TOWNSHIP).order_by(
        "code").first()
    villages = list(OrgUnit.objects.active().filter(parent=township, level=Level.VILLAGE)
                    .order_by("-code")[:2])
    if township is None or len(villages) < 2:
        return
    reform = reform_services.reform_create(
        actor=SYSTEM, unit=county, title=REFORM_TITLE, document_number="会政发〔2026〕8号",
        effective_on=dt.date.today(), note="演示：预览改革将移交的人员、任职与台账。")
    reform_services.operation_add(
        actor=SYSTEM, reform=reform, kind=OperationKind.MERGE,
        params={"sources": [v.pk for v in villages], "into": None,
                "name": f"{villages[0].name[:2]}联合村民委员会", "parent": township.pk})


def _profiles(county: OrgUnit) -> None:
    rng = random.Random(620422)  # noqa: S311 - synthetic demo data
    have = set(OrgProfile.objects.within(county).values_list("unit_id", flat=True))
    units = OrgUnit.objects.within(county).filter(level__lte=Level.VILLAGE).exclude(pk__in=have)
    for unit in units.order_by("path"):
        if unit.level == Level.COUNTY:
            fields = dict(
                established_on=dt.date(1989, 6, 1), independence="independent",
                has_party_group=True, address="会宁县会师镇会师南路残联办公楼",
                phone="0943-3221234", service_hours="周一至周五 8:30-12:00，14:30-18:00",
                has_plaque=True, quota_administrative=5, quota_institutional=3,
                office_funds_per_year=Decimal("90000"),
            )
        elif unit.level == Level.TOWNSHIP:
            fields = dict(
                established_on=dt.date(2012, rng.randint(3, 11), rng.randint(1, 28)),
                independence="co_located", co_located_with="乡镇社会事务服务中心",
                has_party_group=False, address=f"{unit.name}人民政府院内",
                phone=f"0943-32{rng.randint(10000, 99999)}",
                service_hours="周一至周五 9:00-17:00", has_plaque=True,
                quota_administrative=0, quota_institutional=rng.choice([0, 1]),
                office_funds_per_year=Decimal(rng.choice([3000, 5000, 8000])),
            )
        else:
            fields = dict(
                established_on=dt.date(2012, rng.randint(6, 12), rng.randint(1, 28)),
                independence="co_located", co_located_with="村（居）民委员会",
                address=f"{unit.name.replace('居民委员会', '').replace('村民委员会', '')}办公室",
                has_plaque=rng.random() < 0.9, service_hours="每周一、三、五上午",
            )
        profile_update(actor=SYSTEM, unit=unit, **fields)


def populations_fill(county: OrgUnit) -> int:
    """Give every village and community of ``county`` that records no population one
    (villages 900–2 600 people, communities 1 500–5 000, drawn from each unit's code, so
    the same every time), then each township and the county the sum of the units below
    when they record none: the statistics overview and the summary table's shares of the
    population have something to set the register against. Through the service, as a
    user editing the unit would; a unit that records a population is left as it is, so
    loading twice changes nothing. How many units it gave a population."""
    units = list(OrgUnit.objects.within(county).active().filter(level__lte=Level.VILLAGE)
                 .order_by("-level", "path"))
    given, totals = 0, {}
    for unit in units:  # villages first, then townships, then the county
        population = unit.population
        if population is None:
            if unit.level == Level.VILLAGE:
                rng = random.Random(int(unit.code or unit.pk))  # noqa: S311 - synthetic data
                low, high = (1500, 5000) if unit.kind == Kind.COMMUNITY else (900, 2600)
                population = rng.randint(low, high)
            else:
                population = totals.get(unit.pk)
            if population:
                unit_update(actor=SYSTEM, unit=unit, population=population)
                given += 1
        if population and unit.parent_id:
            totals[unit.parent_id] = totals.get(unit.parent_id, 0) + population
    return given


def _grids() -> None:
    for code in GRID_COMMUNITIES:
        village = OrgUnit.objects.active().get(code=code)
        if village.children.exists():
            continue
        for n in range(1, 4):
            grid_create(actor=SYSTEM, village=village, name=f"第{n}网格", households=280 + n * 7,
                        buildings=f"{n}号楼至{n + 4}号楼")
