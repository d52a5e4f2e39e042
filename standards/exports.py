"""The attainment of a region as a workbook: one line per unit and standard."""

from django.utils.translation import override

from core.exports import XlsxColumn
from core.views import ListExport

COLUMNS = [XlsxColumn("标准", 14), XlsxColumn("乡镇（街道）", 16), XlsxColumn("单位", 24),
           XlsxColumn("区划代码", 16, "id"), XlsxColumn("达标项", 8, "number"),
           XlsxColumn("总项数", 8, "number"), XlsxColumn("达标", 6),
           XlsxColumn("未达标项目", 60)]


def attainment_export(*, attainments, region, year, filters) -> ListExport:
    """What the attainment page shows, as a workbook (in Chinese, like every export)."""
    with override("zh-hans"):
        lines = [[a.name, line.township or None, line.unit.name, line.unit.code,
                  line.result.met, line.result.total, "是" if line.result.attained else "否",
                  "；".join(r.item.text for r in line.result.missing)]
                 for a in attainments for line in a.lines]
    return ListExport(name=f"{year}年规范化建设达标情况", columns=COLUMNS, queryset=lines,
                      rows=iter, filters=filters,
                      title=f"{region.name}{year}年规范化建设达标情况")
