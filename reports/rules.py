"""Rules of the reports: pure functions over values, the one place a figure of the
statistics overview (统计概况) is rounded or worded — the page, the workbook, the PDF and
the yearly work report all print what these return.

- **Shares** are computed and rounded once, here: ``share(part, whole)`` is the percentage
  rounded half up to one decimal (136 400 disabled people of 1 815 000 people are 7.5 %),
  None when the whole is unknown or nought; ``share_text`` writes it ("7.5%", "—").
- **Divisions** are told apart by the unit's kind (orgs.models.Kind, from the division
  code's digits): a township-level unit is a street office (街道) when its kind is
  ``street``, a township or town (乡镇) otherwise; a village-level one a community (社区)
  when its kind is ``community``, an administrative village (行政村) otherwise. A unit of
  no known kind falls back on its urban or rural mark (an urban one is a street office or
  a community).
- **The paragraph** is written in Chinese whatever the user's language, in the words of
  the reports it replaces (doc5: "全市辖4个县区，93个乡镇、7个街道办事处……"): it goes
  into a Chinese document, like the workbooks' fixed headers (reports/exports.py).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from orgs.models import Kind, Level, UrbanRural

DASH = "—"
ONE_DECIMAL = Decimal("0.1")


def share(part: int | None, whole: int | None) -> Decimal | None:
    """``part`` as a percentage of ``whole``, rounded half up to one decimal; None when
    the whole is unknown or nought (a share of nothing is not 0 %)."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def share_text(value: Decimal | None) -> str:
    """A share as printed: "7.5%", or "—" when there is none."""
    return DASH if value is None else f"{value}%"


# ---- the divisions -------------------------------------------------------------------------

CITY, COUNTY, TOWNSHIP, STREET, VILLAGE, COMMUNITY = (
    "city", "county", "township", "street", "village", "community")
# The divisions in the order the reports name them, with the level each is of.
DIVISION_KEYS = (CITY, COUNTY, TOWNSHIP, STREET, VILLAGE, COMMUNITY)
DIVISION_LEVEL = {CITY: Level.CITY, COUNTY: Level.COUNTY, TOWNSHIP: Level.TOWNSHIP,
                  STREET: Level.TOWNSHIP, VILLAGE: Level.VILLAGE, COMMUNITY: Level.VILLAGE}
# How a Chinese report counts each: "4个县区", "7个街道办事处".
DIVISION_ZH = {CITY: "市州", COUNTY: "县区", TOWNSHIP: "乡镇", STREET: "街道办事处",
               VILLAGE: "行政村", COMMUNITY: "社区"}


def division_key(level: int, kind: str = "", urban_rural: str = "") -> str | None:
    """What a unit of ``level`` and ``kind`` counts as among the divisions (a key of
    DIVISION_KEYS); None for the levels that are no division of another (province, grid)."""
    if level == Level.CITY:
        return CITY
    if level == Level.COUNTY:
        return COUNTY
    urban = urban_rural == UrbanRural.URBAN and not kind
    if level == Level.TOWNSHIP:
        return STREET if kind == Kind.STREET or urban else TOWNSHIP
    if level == Level.VILLAGE:
        return COMMUNITY if kind == Kind.COMMUNITY or urban else VILLAGE
    return None


def division_keys_below(level: int) -> tuple[str, ...]:
    """The divisions a unit of ``level`` has beneath it (a county: townships, streets,
    villages, communities; a village: none)."""
    return tuple(k for k in DIVISION_KEYS if DIVISION_LEVEL[k] > level)


def region_word(level: int, kind: str = "", name: str = "") -> str:
    """How a report names the whole of a unit: 全市, 全县 or 全区 (by the county's own
    name), 全镇, 全街道, 全村, 全社区, 全网格."""
    last = name[-1:] if name else ""
    if level == Level.PROVINCE:
        return "全区" if name.endswith("自治区") else "全省"
    if level == Level.CITY:
        return f"全{last}" if last in ("州", "盟") else "全市"
    if level == Level.COUNTY:
        return f"全{last}" if last in ("县", "区", "市", "旗") else "全县"
    if level == Level.TOWNSHIP:
        return {Kind.STREET: "全街道", Kind.TOWN: "全镇", Kind.TOWNSHIP: "全乡"}.get(kind, "全乡镇")
    if level == Level.GRID:
        return "全网格"
    return "全社区" if kind == Kind.COMMUNITY else "全村"


# ---- the paragraph -------------------------------------------------------------------------

@dataclass(frozen=True)
class ParagraphFigures:
    """What the paragraph says, as plain values (reports.overview_selectors fills it)."""

    region: str  # 全市
    divisions: tuple[tuple[str, int], ...]  # (key, number) in DIVISION_KEYS order
    population: int | None
    # "own": the unit's own; "sum": the sum of its children's (of ``population_rows`` of
    # ``rows``, the share set against their people only); "": none recorded.
    population_source: str
    population_rows: int
    rows: int
    people: int
    certified: int
    people_share: Decimal | None
    urban: int
    urban_share: Decimal | None
    rural: int
    rural_share: Decimal | None


def population_text(n: int) -> str:
    """A population as reports write it: 181.5万人 from ten thousand on (up to two
    decimals, as doc5's 13.64万), else the number of people."""
    if n < 10_000:
        return f"{n}人"
    wan = (Decimal(n) / 10_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{wan.normalize():f}万人"


def _divisions_text(divisions) -> str:
    """"4个县区，93个乡镇、7个街道办事处，1125个行政村、63个社区": a level's kinds joined by
    "、", the levels by "，"; a kind of none left out."""
    groups: dict[int, list[str]] = {}
    for key, n in divisions:
        if n:
            groups.setdefault(DIVISION_LEVEL[key], []).append(f"{n}个{DIVISION_ZH[key]}")
    return "，".join("、".join(parts) for _level, parts in sorted(groups.items()))


def overview_paragraph(f: ParagraphFigures) -> str:
    """The statistics overview in the words of doc5: "全市辖4个县区，93个乡镇、7个街道
    办事处，1125个行政村、63个社区，总人口181.5万人，残疾人136400人，占总人口的7.5%，
    其中持证残疾人120000人。城镇残疾人15800人，占11.6%；农村残疾人120600人，占88.4%。"
    (the urban and rural shares are of the disabled people). A population not recorded is
    said so; one summed from only some of the units below says of how many."""
    parts = []
    divisions = _divisions_text(f.divisions)
    if divisions:
        parts.append(f"{f.region}辖{divisions}")
    if f.population_source == "sum" and f.population_rows < f.rows:
        population = (f"下级{f.rows}个单位中{f.population_rows}个登记了人口，"
                      f"合计{population_text(f.population)}")
        of_population = "占这些单位人口的"
    elif f.population:
        population = f"总人口{population_text(f.population)}"
        of_population = "占总人口的"
    else:
        population, of_population = "总人口未登记", ""
    people = f"残疾人{f.people}人"
    if of_population and f.people_share is not None:
        people += f"，{of_population}{share_text(f.people_share)}"
    people += f"，其中持证残疾人{f.certified}人"
    head = "，".join([*parts, population, people])
    if not parts:
        head = f"{f.region}{head}"
    if not f.people:
        return head + "。"
    return (f"{head}。城镇残疾人{f.urban}人，占{share_text(f.urban_share)}；"
            f"农村残疾人{f.rural}人，占{share_text(f.rural_share)}。")
