"""The activities' lists as workbooks in the paper books' layout: a title row naming the
unit ("东山根社区残疾人扶残助残活动登记表"), then the book's columns, numbered rows."""


from django.utils.translation import override

from core.exports import XlsxColumn

from .activities_choices import AssistanceKind
from .activities_selectors import with_export_relations

CHUNK = 500
ASSISTANCE_BOOK = "残疾人扶残助残活动登记表"
VOLUNTEER_BOOK = "志愿者助残活动登记表"
ROSTER_BOOK = "志愿者花名册"


def _kinds() -> dict:
    with override("zh-hans"):
        return {value: str(label) for value, label in AssistanceKind.choices}


def assistance_columns() -> list[XlsxColumn]:
    return [XlsxColumn("序号", 6, "number"), XlsxColumn("日期", 12, "date"),
            XlsxColumn("活动名称", 28), XlsxColumn("类别", 12), XlsxColumn("组织单位", 18),
            XlsxColumn("合作部门", 18), XlsxColumn("地点", 16),
            XlsxColumn("参加人数", 10, "number"), XlsxColumn("受助残疾人", 30),
            XlsxColumn("受助人数", 10, "number"), XlsxColumn("捐助款（元）", 12, "number"),
            XlsxColumn("捐助物品", 20), XlsxColumn("活动内容", 40),
            XlsxColumn("有影响活动", 10), XlsxColumn("登记单位", 18)]


def assistance_rows(queryset):
    kinds = _kinds()
    rows = with_export_relations(queryset).iterator(chunk_size=CHUNK)
    for number, entry in enumerate(rows, start=1):
        names = [p.name for p in entry.people.all()]
        yield [number, entry.held_on, entry.title, kinds.get(entry.kind, entry.kind),
               entry.organiser or None, entry.partners or None, entry.place or None,
               entry.participants, "、".join(names) or None, len(names), entry.money,
               entry.goods or None, entry.description or None,
               "是" if entry.influential else "否", entry.unit.name]


def volunteer_activity_columns() -> list[XlsxColumn]:
    return [XlsxColumn("序号", 6, "number"), XlsxColumn("日期", 12, "date"),
            XlsxColumn("活动名称", 28), XlsxColumn("地点", 16),
            XlsxColumn("参加志愿者及服务时长", 36), XlsxColumn("志愿者人数", 10, "number"),
            XlsxColumn("服务时长合计（小时）", 12, "number"),
            XlsxColumn("服务对象", 30), XlsxColumn("活动内容", 40), XlsxColumn("登记单位", 18)]


def volunteer_activity_rows(queryset):
    rows = with_export_relations(queryset, services=True).iterator(chunk_size=CHUNK)
    for number, entry in enumerate(rows, start=1):
        services = list(entry.services.all())
        yield [number, entry.held_on, entry.title, entry.place or None,
               "、".join(f"{s.volunteer.name}（{s.hours}小时）" for s in services) or None,
               len(services), sum((s.hours for s in services), 0) if services else None,
               "、".join(p.name for p in entry.people.all()) or None,
               entry.content or None, entry.unit.name]


def volunteer_columns() -> list[XlsxColumn]:
    return [XlsxColumn("序号", 6, "number"), XlsxColumn("姓名", 10),
            XlsxColumn("联系电话", 14, "id"), XlsxColumn("工作单位", 20),
            XlsxColumn("特长", 20), XlsxColumn("在册", 6),
            XlsxColumn("累计服务时长（小时）", 12, "number"), XlsxColumn("登记单位", 18)]


def volunteer_rows(queryset):
    for number, volunteer in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        yield [number, volunteer.name, volunteer.phone or None,
               volunteer.organisation or None, volunteer.skills or None,
               "是" if volunteer.active else "否", volunteer.total_hours or 0,
               volunteer.unit.name]
