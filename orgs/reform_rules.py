"""Rules of the reforms, over plain values: what an operation's parameters must say, and how
the organisation profiles and quotas follow the units (shown by the preview, applied by
orgs/reform_services.py).

An operation names units by id, and units made by an earlier operation of the same reform
by a reference "new:<order>" (a merge's or a creation's new unit) or "new:<order>.<part>"
(a split's part, counted from 1).
"""

import re

from django.utils.translation import gettext as _

from .models import OperationKind

NEW_REF = re.compile(r"^new:(?P<order>\d+)(?:\.(?P<part>\d+))?$")
USERS_CHOICES = ("move", "disable")


def is_new_ref(value) -> bool:
    return isinstance(value, str) and bool(NEW_REF.match(value))


def ref(value):
    """A unit reference as stored: an int id, a "new:…" string, or None."""
    if value in (None, ""):
        return None
    if is_new_ref(value):
        return value
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    raise ValueError(value)


def _refs(values) -> list:
    return [ref(v) for v in values if v not in (None, "")]


def _text(params, name) -> str:
    return str(params.get(name) or "").strip()


def operation_problems(kind: str, params: dict) -> tuple[dict, dict[str, str]]:
    """The operation's parameters cleaned, and what is wrong with them ({field: message}).
    Only what the values themselves say; whether the units exist, fit and lie in the
    reform's unit is the service's check."""
    problems: dict[str, str] = {}
    clean: dict = {}
    try:
        if kind == OperationKind.MERGE:
            clean["sources"] = list(dict.fromkeys(_refs(params.get("sources") or [])))
            clean["into"] = ref(params.get("into"))
            clean["name"], clean["code"] = _text(params, "name"), _text(params, "code")
            clean["parent"] = ref(params.get("parent"))
            needed = 1 if clean["into"] is not None else 2
            if len(clean["sources"]) < needed:
                problems["sources"] = (_("Name the units to merge into it.") if needed == 1
                                       else _("Name at least two units to merge."))
            if clean["into"] is None and not clean["name"]:
                problems["name"] = _("Name the merged unit, or merge into an existing one.")
            if clean["into"] is not None and clean["into"] in clean["sources"]:
                problems["into"] = _("A unit cannot be merged into itself.")
        elif kind == OperationKind.SPLIT:
            clean["source"] = ref(params.get("source"))
            parts = []
            for part in params.get("parts") or []:
                into = ref(part.get("into"))
                name, code = _text(part, "name"), _text(part, "code")
                if into is None and not name:
                    continue
                parts.append({"into": into, "name": name, "code": code,
                              "parent": ref(part.get("parent"))})
            clean["parts"] = parts
            clean["children"] = {int(k): int(v) for k, v in
                                 (params.get("children") or {}).items() if str(v).strip()}
            clean["main"] = int(params.get("main") or 1)
            if clean["source"] is None:
                problems["source"] = _("Choose the unit to split.")
            if len(parts) < 2:
                problems["parts"] = _("A split makes at least two units: name them.")
            elif not 1 <= clean["main"] <= len(parts):
                problems["main"] = _("Choose which part keeps the rest.")
            bad = [v for v in clean["children"].values() if not 1 <= v <= len(parts)]
            if bad and "parts" not in problems:
                problems["children"] = _("Each unit beneath goes to one of the parts.")
        elif kind == OperationKind.ABOLISH:
            clean["unit"] = ref(params.get("unit"))
            clean["children_to"] = ref(params.get("children_to"))
            clean["work_to"] = ref(params.get("work_to"))
            if clean["unit"] is None:
                problems["unit"] = _("Choose the unit to abolish.")
        elif kind == OperationKind.MOVE:
            clean["unit"], clean["parent"] = ref(params.get("unit")), ref(params.get("parent"))
            if clean["unit"] is None:
                problems["unit"] = _("Choose the unit to move.")
            if clean["parent"] is None:
                problems["parent"] = _("Choose where it goes.")
        elif kind == OperationKind.RENAME:
            clean["unit"] = ref(params.get("unit"))
            clean["name"], clean["code"] = _text(params, "name"), _text(params, "code")
            if clean["unit"] is None:
                problems["unit"] = _("Choose the unit to rename.")
            if not clean["name"] and not clean["code"]:
                problems["name"] = _("Give the new name (or the new code).")
        elif kind == OperationKind.CREATE:
            clean["parent"] = ref(params.get("parent"))
            clean["name"], clean["code"] = _text(params, "name"), _text(params, "code")
            clean["level"] = int(params["level"]) if params.get("level") else None
            clean["kind"] = _text(params, "kind")
            if clean["parent"] is None:
                problems["parent"] = _("Choose the unit it belongs to.")
            if not clean["name"]:
                problems["name"] = _("Name the new unit.")
        else:
            problems["kind"] = _("Choose an operation.")
    except (TypeError, ValueError, AttributeError):
        problems.setdefault("params", _("The operation's units are not given correctly."))
    users = params.get("users") or "move"
    if users not in USERS_CHOICES:
        problems["users"] = _("Choose what becomes of the users of the units that end.")
    clean["users"] = users
    try:
        clean["end_appointments"] = sorted({int(v) for v in params.get("end_appointments") or []})
    except (TypeError, ValueError):
        problems["end_appointments"] = _("Choose the appointments that end.")
    return clean, problems


def unit_ids(params: dict) -> list[int]:
    """The ids of the existing units an operation's parameters name."""
    found = []
    for name in ("sources", "into", "parent", "source", "unit", "children_to", "work_to"):
        value = params.get(name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, int):
                found.append(v)
    for part in params.get("parts") or []:
        found += [v for v in (part.get("into"), part.get("parent")) if isinstance(v, int)]
    return found + [int(k) for k in params.get("children") or {}]


def new_refs(params: dict) -> list[str]:
    """The references to units made by earlier operations that the parameters hold."""
    values = [params.get(n) for n in ("into", "parent", "source", "unit", "children_to",
                                      "work_to")]
    values += list(params.get("sources") or [])
    values += [p.get(n) for p in params.get("parts") or [] for n in ("into", "parent")]
    return [v for v in values if is_new_ref(v)]


def quotas_after(target: tuple[int, int] | None, sources: list[tuple[int, int]]
                 ) -> tuple[int, int]:
    """The quotas (administrative, institutional posts) of the unit that takes over from
    ``sources``: its own (none for a new unit) plus theirs — the posts follow the work
    (编随事转). A split leaves them with the part that keeps the rest."""
    admin, inst = target or (0, 0)
    for a, i in sources:
        admin, inst = admin + a, inst + i
    return admin, inst
