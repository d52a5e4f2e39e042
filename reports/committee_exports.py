"""The work committee's member list and an association's members as workbooks (in
Chinese, like every export): no ID numbers, only what the pages show."""

from django.utils.translation import override

from core.exports import XlsxColumn
from core.views import ListExport

COMMITTEE_COLUMNS = [XlsxColumn("序号", 6, "number"), XlsxColumn("职务", 12),
                     XlsxColumn("姓名或成员单位", 20), XlsxColumn("职务或工作职责", 60),
                     XlsxColumn("联系人", 12), XlsxColumn("联系电话", 16, "id")]
MEMBER_COLUMNS = [XlsxColumn("序号", 6, "number"), XlsxColumn("姓名", 12),
                  XlsxColumn("协会职务", 10), XlsxColumn("所在村（社区）", 24),
                  XlsxColumn("入会日期", 12, "date")]


def _committee_rows(committee, departments):
    n = 0
    with override("zh-hans"):
        n += 1
        yield [n, "主任", committee.chair_name, committee.chair_post, None, None]
        for line in committee.vice_chair_lines:
            name, _sep, post = line.replace("\u3000", " ").partition(" ")
            n += 1
            yield [n, "副主任", name, post.strip(), None, None]
        for department in departments:
            n += 1
            yield [n, "成员单位", department.name, department.duties,
                   department.contact_person, department.phone]


def committee_export(*, committee, departments) -> ListExport:
    name = f"{committee.name}组成人员及成员单位名单"
    return ListExport(name=name, columns=COMMITTEE_COLUMNS,
                      queryset=list(_committee_rows(committee, departments)), rows=iter,
                      filters={"committee": committee.pk},
                      title=f"{committee.unit.name}{name}")


def _member_rows(members):
    with override("zh-hans"):
        for n, member in enumerate(members, 1):
            yield [n, member.person.name, str(member.get_role_display()),
                   member.person.unit.name, member.joined_on]


def members_export(*, association, members) -> ListExport:
    with override("zh-hans"):
        name = f"{association.get_kind_display()}会员名单"
    return ListExport(name=name, columns=MEMBER_COLUMNS, queryset=list(_member_rows(members)),
                      rows=iter, filters={"association": association.pk},
                      title=f"{association.unit.name}{name}")
