"""The list of letters and visits as a workbook in the paper ledger's layout
(XX镇残疾人来信来访登记表): 序号, 日期, 来访人, 联系电话, 方式, 反映问题, 类别, 办理情况, 答复日期,
是否满意, 备注 — then the unit and the ID number, so the ledger comes back in through the
import (ledgers/petitions_imports.py). Names, phones and the content in full: the export
is for those who may export petitions, and is audited."""

from django.utils import timezone
from django.utils.translation import override

from core.exports import XlsxColumn

from . import rules
from .petitions_choices import PetitionStatus, ReceivedHow, Satisfaction

CHUNK = 1000
LEDGER_NAME = "残疾人来信来访登记表"


def petition_columns() -> list[XlsxColumn]:
    return [XlsxColumn("序号", 6, "number"), XlsxColumn("日期", 12, "date"),
            XlsxColumn("来访人", 10), XlsxColumn("联系电话", 14, "id"), XlsxColumn("方式", 10),
            XlsxColumn("反映问题", 40), XlsxColumn("类别", 12), XlsxColumn("办理情况", 40),
            XlsxColumn("答复日期", 12, "date"), XlsxColumn("是否满意", 10),
            XlsxColumn("备注", 24), XlsxColumn("登记单位", 20), XlsxColumn("身份证号", 22, "id")]


def _words(choices) -> dict:
    with override("zh-hans"):
        return {value: str(label) for value, label in choices}


def _handling(petition, status: dict) -> str:
    if petition.status == PetitionStatus.NOT_ACCEPTED:
        return f"{status[petition.status]}：{petition.not_accepted_reason}"
    if petition.reply:
        return petition.reply
    return status[petition.status]


def _remarks(petition, today, status: dict) -> str:
    parts = []
    if petition.notes:
        parts.append(petition.notes)
    if rules.petition_overdue(status=petition.status, deadline=petition.deadline, today=today):
        parts.append(f"已超期（应于{petition.deadline:%Y-%m-%d}前答复）")
    if petition.status == PetitionStatus.REOPENED:
        parts.append(status[petition.status])
    if petition.earlier_id:
        parts.append(f"重复信访（前次第{petition.earlier_id}号）")
    return "；".join(parts)


def petition_rows(queryset):
    status, how = _words(PetitionStatus.choices), _words(ReceivedHow.choices)
    satisfaction = _words(Satisfaction.choices)
    today = timezone.localdate()
    rows = queryset.select_related("unit", "category", "person").iterator(chunk_size=CHUNK)
    for n, petition in enumerate(rows, start=1):
        number = petition.person.id_number if petition.person_id else petition.id_number
        yield [n, petition.received_on, petition.petitioner_name, petition.petitioner_phone,
               how.get(petition.received_how, ""), petition.content, petition.category.name,
               _handling(petition, status), petition.replied_on,
               satisfaction.get(petition.satisfaction, ""),
               _remarks(petition, today, status), petition.unit.name, number or ""]


