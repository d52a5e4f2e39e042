"""The per-township summary of a county as a workbook: a line per township, standard and
missing item (in Chinese, like every export)."""

from django.utils.translation import override

from core.exports import XlsxColumn
from core.views import ListExport

COLUMNS = [XlsxColumn("乡镇（街道）", 16), XlsxColumn("区划代码", 12, "id"),
           XlsxColumn("标准", 14), XlsxColumn("单位数", 8, "number"),
           XlsxColumn("达标数", 8, "number"), XlsxColumn("达标率（%）", 10, "number"),
           XlsxColumn("未达标项目", 30), XlsxColumn("未达标单位数", 10, "number"),
           XlsxColumn("未达标单位", 60)]


def _lines(summary):
    for row, cells in summary.cells():
        for _name, cell in cells:
            if cell is None:
                continue
            head = [row.township.name, row.township.code, cell.name, cell.total,
                    cell.attained, cell.percent]
            missing = cell.missing_items
            if not missing:
                yield [*head, None, 0, None]
            for m in missing:
                yield [*head, m.text, len(m.units), "、".join(u.name for u in m.units)]


def township_summary_export(*, summary, county, year, filters) -> ListExport:
    with override("zh-hans"):
        lines = list(_lines(summary))
    return ListExport(name=f"{year}年各乡镇规范化建设达标情况", columns=COLUMNS,
                      queryset=lines, rows=iter, filters=filters,
                      title=f"{county.name}{year}年各乡镇规范化建设达标情况")
