"""A round's results as a workbook: one line per unit, its total, rank, grade and what
follows, then each item's points (in Chinese, like every export)."""

from django.utils.translation import override

from core.exports import XlsxColumn
from core.views import ListExport


def _number(value):
    return float(value) if value is not None else None


def results_export(*, round_, results, items) -> ListExport:
    """What the round's results table shows, with each item's final points."""
    scheme = round_.scheme
    columns = [XlsxColumn("名次", 6, "number"), XlsxColumn("单位", 24),
               XlsxColumn("区划代码", 16, "id"), XlsxColumn("自评分", 8, "number"),
               XlsxColumn("考核得分", 8, "number"), XlsxColumn("等次", 8),
               XlsxColumn("表彰", 6), XlsxColumn("通报批评", 8),
               *[XlsxColumn(f"{i.text}（{i.max_points}分）", 12, "number") for i in items]]
    with override("zh-hans"):
        lines = [[r.rank, r.unit.name, r.unit.code, _number(r.self_total),
                  _number(r.final_total), str(r.grade_label) or None,
                  "是" if r.commended else None, "是" if r.criticised else None,
                  *[_number(line.points) if r.final_total is not None else None
                    for line in r.lines]]
                 for r in results]
    return ListExport(name=f"{scheme.year}年{scheme.name}结果", columns=columns,
                      queryset=lines, rows=iter, filters={"round": round_.pk},
                      title=f"{scheme.region.name}{scheme.year}年{scheme.name}结果")
