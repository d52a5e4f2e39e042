"""The user list and the audit log as workbooks: Chinese headers, choices in Chinese, times as
real Excel times (local, without a zone: Excel has none). Each function takes the list's
queryset and streams it; the view records the export."""

import json
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import override

from audit.services import change_text, entry_text
from core.exports import XlsxColumn

CHUNK = 2000


def _local(moment):
    """A naive local datetime, which openpyxl writes as a date and time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _stream(qs, build) -> Iterator[list]:
    for obj in qs.iterator(chunk_size=CHUNK):
        with override("zh-hans"):
            row = [None if value in (None, "") else value for value in build(obj)]
        yield row


# ---- users ---------------------------------------------------------------------------------------

USER_COLUMNS = [
    XlsxColumn("登录名", 14), XlsxColumn("姓名", 10), XlsxColumn("单位", 22),
    XlsxColumn("单位代码", 16, "id"), XlsxColumn("角色", 14), XlsxColumn("联系电话", 14),
    XlsxColumn("状态", 8), XlsxColumn("创建日期", 12, "date"),
    XlsxColumn("最近登录", 18),  # a date and time, formatted by openpyxl
]


def user_rows(users) -> Iterator[list]:
    """One row per user of ``users`` (a user_list queryset). No passwords, of course."""
    def build(user):
        unit = user.unit
        return (
            user.username, user.full_name, unit.name if unit else None,
            unit.code if unit else None, user.role_label, user.phone,
            "启用" if user.is_active else "停用", timezone.localdate(user.date_joined),
            _local(user.last_login),
        )

    return _stream(users.select_related("unit"), build)


# ---- the audit log -------------------------------------------------------------------------------

AUDIT_COLUMNS = [
    XlsxColumn("时间", 18),  # a date and time, formatted by openpyxl
    XlsxColumn("用户", 12), XlsxColumn("操作", 8), XlsxColumn("对象类型", 12),
    XlsxColumn("对象", 24), XlsxColumn("对象编号", 10, "id"), XlsxColumn("单位", 20),
    XlsxColumn("IP地址", 16), XlsxColumn("变更", 40), XlsxColumn("详情", 40),
]


def _change(value) -> str:
    old, new = change_text(value)
    return f"{old} → {new}"


def _changes(changes) -> str:
    """{"name": ["甲", "乙"]} as 「name：甲 → 乙」, one change after another in the order of
    the field names (PostgreSQL's JSON keeps no order of its own); a unit recorded by id
    and name (audit_ref) by its name."""
    if not isinstance(changes, dict):
        return entry_text(changes)
    return "；".join(f"{field}：{_change(changes[field])}" for field in sorted(changes))


def audit_rows(entries) -> Iterator[list]:
    """One row per entry of ``entries`` (an audit_list queryset), newest first as listed.
    The actions' words are read once, and each kind of object's name once (get_FOO_display
    per row rebuilt and hashed the translated choices every time)."""
    with override("zh-hans"):
        actions = {value: str(label) for value, label in
                   entries.model._meta.get_field("action").flatchoices}
    kinds: dict[int, str] = {}

    def kind(entry):
        if not entry.content_type_id:
            return None
        if entry.content_type_id not in kinds:
            kinds[entry.content_type_id] = str(entry.content_type.name)
        return kinds[entry.content_type_id]

    def build(entry):
        return (
            _local(entry.at), entry.actor_name, actions.get(entry.action, entry.action),
            kind(entry), entry.object_repr,
            entry.object_id, entry.unit.name if entry.unit_id else None, entry.ip_address,
            _changes(entry.changes) if entry.changes else None,
            json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            if entry.detail else None,
        )

    return _stream(entries.select_related("unit", "content_type"), build)
