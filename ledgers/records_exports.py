"""The work record book, the meetings and the annual plans as workbooks in their paper
books' layout: a title row naming the book ("东山根社区残协工作记录册", "会师镇残联会议记录",
"东山根社区残协2026年度工作计划"), then the book's columns — the importer's own first
(ledgers/records_imports.py), so a book taken out can be brought back in."""


from django.utils.translation import override

from core.exports import XlsxColumn, write_xlsx

from . import rules
from .models import MeetingKind, PlanItemKind
from .records_imports import MEETING_COLUMNS, PLAN_ITEM_COLUMNS, WORK_COLUMNS

CHUNK = 1000


def book_title(unit, book: str, year: int | None = None, *, year_first: bool = False) -> str:
    """"东山根社区残协工作记录册（2026年）", or with ``year_first`` "…残协2026年度工作计划"."""
    keeper = rules.keeper_name(unit.name, unit.level) if unit is not None else ""
    if year_first:
        return f"{keeper}{year or ''}{'年度' if year else ''}{book}"
    return f"{keeper}{book}" + (f"（{year}年）" if year else "")


def _words(choices) -> dict:
    with override("zh-hans"):
        return {value: str(label) for value, label in choices}


def _unit_cell(unit) -> str:
    return unit.code or unit.name


def _columns(import_columns, widths: dict, extra=()) -> list[XlsxColumn]:
    return [XlsxColumn(c.label, widths.get(c.field, 14),
                       "date" if c.kind == "date" else "number"
                       if c.field in ("expected_count", "present_count", "year",
                                      "target_number") else "text")
            for c in import_columns] + list(extra)


def workbook_columns() -> list[XlsxColumn]:
    return _columns(WORK_COLUMNS, {"unit": 14, "written_on": 12, "subject": 20, "content": 60},
                    [XlsxColumn("记录人", 10), XlsxColumn("批注", 40)])


def workbook_rows(queryset):
    from .models import WorkEntryNote

    for chunk in _chunks(queryset.select_related(None).select_related("unit", "created_by")):
        notes: dict = {}
        for note in WorkEntryNote.objects.filter(entry__in=[e.pk for e in chunk]).order_by(
                "entry_id", "written_at", "id"):
            notes.setdefault(note.entry_id, []).append(
                f"{note.written_at:%Y-%m-%d} {note.written_by_name}：{note.text}")
        for entry in chunk:
            yield [_unit_cell(entry.unit), entry.written_on, entry.subject or None,
                   entry.content, str(entry.created_by) if entry.created_by else None,
                   "\n".join(notes.get(entry.pk, [])) or None]


def _chunks(queryset):
    chunk = []
    for row in queryset.iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def meeting_columns() -> list[XlsxColumn]:
    return _columns(MEETING_COLUMNS, {"held_on": 12, "title": 20, "attendee_names": 30,
                                      "minutes": 50, "decisions": 30, "absent": 20,
                                      "expected_count": 8, "present_count": 8})


def meeting_rows(queryset):
    kinds = _words(MeetingKind.choices)
    for meeting in queryset.iterator(chunk_size=CHUNK):
        values = {"unit": _unit_cell(meeting.unit), "kind": kinds.get(meeting.kind),
                  "expected_count": meeting.expected_count,
                  "present_count": meeting.present_count}
        yield [values[c.field] if c.field in values else getattr(meeting, c.field) or None
               for c in MEETING_COLUMNS]


def plan_columns() -> list[XlsxColumn]:
    return _columns(PLAN_ITEM_COLUMNS, {"year": 8, "kind": 10, "influential": 10, "title": 30,
                                        "target": 30, "due_on": 12},
                    [XlsxColumn("完成情况", 30)])


def _done(item, today) -> str:
    from .records_selectors import item_state

    if item.fulfilled_n:
        return f"已完成（{item.fulfilled_n}条记录）"
    reason = rules.item_unfulfilled(item_state(item), year=item.plan.year, today=today)
    return "未完成" if reason else "进行中"


def plan_rows(queryset):
    from django.utils import timezone

    today = timezone.localdate()
    kinds = _words(PlanItemKind.choices)
    for plan in queryset:
        for item in plan.items.all():
            item.plan = plan
            yield [_unit_cell(plan.unit), plan.year, kinds.get(item.kind),
                   "是" if item.influential else None, item.title, item.target or None,
                   item.target_number, item.due_on, _done(item, today)]


def plan_workbook(plan, *, today) -> bytes:
    """One plan as its paper page: "东山根社区残协2026年度工作计划", its items."""
    title = book_title(plan.unit, "工作计划", plan.year, year_first=True)
    with override("zh-hans"):
        return write_xlsx(title=title, columns=plan_columns()[1:], sheet_title="年度工作计划",
                          rows=(row[1:] for row in plan_rows([plan])))
