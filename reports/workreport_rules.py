"""The yearly work report (汇报材料), the pure part: the template language an administrator
writes in, what is wrong with a template, and filling it with a unit's figures.

A template is plain text. A line starting with ``#`` is a heading, its level the number of
``#`` (1–4: 一、 （一） 1. （1）, numbered here, never typed); every other line is a
paragraph of the section above it. ``{name}`` stands for a figure (PLACEHOLDERS lists
them); ``{{`` and ``}}`` are literal braces. Nothing else is special: the text is never
run as a Django template, so an editor can only place figures, never run code.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rules import share, share_text

MAX_LEVEL = 4

# The figures a template may name, in the order the edit page lists them. The names are
# the template language (written in Chinese, as the reports are); the descriptions are
# translated.
PLACEHOLDERS: dict[str, object] = {
    "单位名称": gettext_lazy("The unit's name"),
    "年度": gettext_lazy("The year reported on"),
    "日期": gettext_lazy("The day the report is dated, written out (2026年12月1日)"),
    "截至日期": gettext_lazy("The day the register's figures are as of"),
    "统计概况": gettext_lazy("The statistics overview's paragraph (divisions, population, "
                         "disabled people and their shares)"),
    "乡镇数": gettext_lazy("Townships and streets beneath the unit"),
    "村数": gettext_lazy("Villages beneath the unit"),
    "社区数": gettext_lazy("Communities beneath the unit"),
    "人口": gettext_lazy("Population (people)"),
    "人口万": gettext_lazy("Population in ten thousands (181.5)"),
    "残疾人总数": gettext_lazy("Disabled people registered"),
    "残疾人万": gettext_lazy("Disabled people in ten thousands (13.64)"),
    "残疾人占比": gettext_lazy("Disabled people as a share of the population (7.5%)"),
    "持证人数": gettext_lazy("Disabled people holding a certificate"),
    "城镇残疾人": gettext_lazy("Disabled people with an urban household registration"),
    "城镇占比": gettext_lazy("Their share of the disabled people"),
    "农村残疾人": gettext_lazy("Disabled people with a rural household registration"),
    "农村占比": gettext_lazy("Their share of the disabled people"),
    "分类情况": gettext_lazy("A sentence: the certified people by category"),
    "需求登记": gettext_lazy("Service needs registered in the year"),
    "需求满足": gettext_lazy("Service needs met in the year"),
    "需求满足率": gettext_lazy("Needs met as a share of the needs closed in the year"),
    "走访次数": gettext_lazy("Home visits in the year"),
    "走访人数": gettext_lazy("People visited in the year"),
    "专职委员在岗": gettext_lazy("Liaison officers in post"),
    "专职委员空缺": gettext_lazy("Liaison officer posts vacant"),
    "培训期数": gettext_lazy("Training sessions held in the year"),
    "培训人次": gettext_lazy("Attendances at those sessions"),
    "助残活动": gettext_lazy("Assistance activities in the year"),
    "志愿者活动": gettext_lazy("Volunteer activities in the year"),
    "信访件数": gettext_lazy("Letters and visits received in the year"),
    "信访办结": gettext_lazy("Letters and visits closed in the year"),
    "九有达标": gettext_lazy("Townships attaining 九有"),
    "九有总数": gettext_lazy("Townships the 九有 standard applies to"),
    "九有达标率": gettext_lazy("Share of those townships attaining it"),
    "六有达标": gettext_lazy("Villages and communities attaining 六有"),
    "六有总数": gettext_lazy("Villages and communities the 六有 standard applies to"),
    "六有达标率": gettext_lazy("Share of those attaining it"),
    "乡镇残联覆盖率": gettext_lazy("三个百分之百: townships with a DPF"),
    "村社区残协覆盖率": gettext_lazy("三个百分之百: villages and communities with an association"),
    "专职委员覆盖率": gettext_lazy("三个百分之百: units with a liaison officer in post"),
    "考核情况": gettext_lazy("A sentence: the year's 100-point assessment"),
    "改革情况": gettext_lazy("A sentence: the reforms of the network that took effect in the year"),
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")
_HEADING = re.compile(r"^(#+)\s*(.*)$")


@dataclass(frozen=True)
class Block:
    """One line of a document: a heading (``level`` 1–4, ``number`` generated) or a
    paragraph (level 0)."""

    text: str
    level: int = 0
    number: str = ""

    @property
    def is_heading(self) -> bool:
        return self.level > 0

    @property
    def html_tag(self) -> str:
        """h2–h5 for the headings (the title is the page's h1)."""
        return f"h{self.level + 1}"

    @property
    def numbered(self) -> str:
        return f"{self.number}{self.text}"


def placeholder_problems(text: str) -> list[str]:
    """What is wrong with the placeholders of ``text``: a name not in PLACEHOLDERS, a
    brace never closed. Each message once, in the order found."""
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        if match.group(1) is None:
            problem = _("A brace “%(brace)s” is not part of a placeholder: write a figure as "
                        "{name}, or a brace itself as %(double)s.") \
                % {"brace": token, "double": token * 2}
        elif match.group(1).strip() not in PLACEHOLDERS:
            problem = _("Unknown placeholder {%(name)s}: use one of the placeholders listed "
                        "beside the form.") % {"name": match.group(1)}
        else:
            continue
        if problem not in problems:
            problems.append(problem)
    return problems


def heading_problems(body: str) -> list[str]:
    """What is wrong with the headings of ``body``: deeper than 4, or skipping a level."""
    problems, previous = [], 0
    for number, line in enumerate(body.splitlines(), start=1):
        match = _HEADING.match(line.strip())
        if match is None:
            continue
        level = len(match.group(1))
        if level > MAX_LEVEL:
            problems.append(_("Line %(line)s: a heading has at most four levels (# to ####).")
                            % {"line": number})
        elif level > previous + 1:
            problems.append(_("Line %(line)s: a heading of level %(level)s follows one of "
                              "level %(previous)s: add the level between.")
                            % {"line": number, "level": level, "previous": previous})
        elif not match.group(2).strip():
            problems.append(_("Line %(line)s: the heading has no text.") % {"line": number})
        previous = level
    return problems


def template_problems(*, title: str, subtitle: str = "", signature: str = "",
                      body: str) -> dict[str, list[str]]:
    """{field: messages} of what is wrong with a template (empty when it may be saved)."""
    problems: dict[str, list[str]] = {}
    for name, text in (("title", title), ("subtitle", subtitle), ("signature", signature),
                       ("body", body)):
        found = placeholder_problems(text)
        if name == "body":
            found += heading_problems(text)
        if found:
            problems[name] = found
    if not body.strip() and "body" not in problems:
        problems["body"] = [_("The report has no text.")]
    return problems


def fill(text: str, figures: dict[str, str]) -> str:
    """``text`` with every placeholder replaced by its figure (a name without a figure,
    which template_problems refuses, is left as it was typed)."""

    def replace(match):
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        if name is None:
            return token
        return figures.get(name.strip(), token)

    return _TOKEN.sub(replace, text)


_DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (the numbers of headings)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    """The number of the ``n``-th heading of ``level`` (GB/T 9704-2012 7.3.3)."""
    if level == 1:
        return f"{chinese_number(n)}、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def blocks(body: str, figures: dict[str, str]) -> list[Block]:
    """The filled ``body`` as numbered headings and paragraphs: a heading's number counts
    its level since the last heading above it; empty lines are left out."""
    counters = [0] * (MAX_LEVEL + 1)
    out = []
    for line in body.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _HEADING.match(line)
        if match is None:
            out.append(Block(fill(line, figures)))
            continue
        level = min(len(match.group(1)), MAX_LEVEL)
        counters[level] += 1
        for deeper in range(level + 1, MAX_LEVEL + 1):
            counters[deeper] = 0
        out.append(Block(fill(match.group(2).strip(), figures), level,
                         heading_number(level, counters[level])))
    return out


def written_date(day: dt.date) -> str:
    """A document's date as GB/T 9704-2012 7.3.5.3 writes it: Arabic numerals, the year in
    full, no leading zero (2026年12月1日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def percent(part: int | None, whole: int | None) -> str:
    """``part`` of ``whole`` as a percentage with one decimal, half up (136400 of 1815000
    → "7.5%"); "—" when the whole is not known: the statistics overview's rule."""
    return share_text(share(part, whole))


def ten_thousands(n: int | None, places: int = 2) -> str:
    """``n`` in ten thousands (万), trailing zeros dropped: 1815000 → "181.5"."""
    if n is None:
        return "—"
    value = (Decimal(n) / 10000).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
