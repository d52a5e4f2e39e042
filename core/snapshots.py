"""Frozen figures (冻结数据): a report's figures of a year, kept as they were published.

The platform keeps the sets (core.models.Snapshot) and says, for every report, whether a
page shows live or frozen figures and as of when (DataStatus). What a set holds — the
payload — is the report's own business: each app computes its figures, turns them into
plain JSON and renders them again from it (reports: the summary table, standards: the
attainment). A set is never edited; freezing a report, unit and year again is refused, so a
published figure can never be rewritten by a later freeze either.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Action
from audit.services import audit_record

from .actors import require, user_of
from .models import Snapshot

FREEZE = "core.add_snapshot"
VIEW = "core.view_snapshot"


@dataclass(frozen=True)
class DataStatus:
    """What a report's page and export say about its figures: live (computed now from the
    register) or frozen (kept since ``frozen_at``), and the day they are as of."""

    frozen: bool
    as_of: dt.date
    frozen_at: dt.datetime | None = None
    frozen_by: str = ""
    note: str = ""

    @classmethod
    def live(cls, as_of: dt.date) -> "DataStatus":
        return cls(frozen=False, as_of=as_of)

    @classmethod
    def of(cls, snapshot: Snapshot) -> "DataStatus":
        return cls(frozen=True, as_of=snapshot.as_of, frozen_at=snapshot.frozen_at,
                   frozen_by=snapshot.frozen_by_name, note=snapshot.note)

    def statement_zh(self) -> str:
        """The statement in Chinese, for a workbook's row under its title."""
        day = f"{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日"
        if not self.frozen:
            return f"实时数据 · 截至{day}"
        at = timezone.localtime(self.frozen_at)
        return (f"冻结数据 · 截至{day} · 冻结于{at.year}年{at.month}月{at.day}日"
                f"{at:%H:%M} · {self.frozen_by}")


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def freeze_problems(*, year: int, as_of: dt.date, today: dt.date) -> dict[str, str]:
    """What is wrong with freezing ``year``'s figures as of ``as_of`` ({field: message}): the
    day must lie in the year and be over."""
    problems = {}
    if as_of.year != year:
        problems["as_of"] = _("The day must lie in the year frozen.")
    elif as_of >= today:
        problems["as_of"] = _("Only a day that is over can be frozen: choose a day before "
                              "today.")
    return problems


class FreezeForm(forms.Form):
    """Freezing a year's figures: the year, the day they are as of (the year's last day
    unless another is chosen) and a note. The service checks the day (core.snapshots)."""

    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label=gettext_lazy("As of"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Leave empty for the year's last day, 31 December."))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, data=None, *, year: int, **kwargs):
        super().__init__(data, initial={"year": year}, **kwargs)


def snapshot_get(*, user, kind: str, unit, year: int) -> Snapshot | None:
    """The frozen set of ``kind`` for ``unit`` and ``year`` that ``user`` may see, or None."""
    return (Snapshot.objects.visible_to(user).filter(kind=kind, unit=unit, year=year)
            .select_related("unit").first())


def snapshot_list(*, user, unit):
    """The frozen sets of ``unit`` itself (not of the units beneath it), the newest year
    first."""
    return (Snapshot.objects.visible_to(user).filter(unit=unit)
            .select_related("unit").order_by("-year", "kind", "id"))


def frozen_units(*, kind: str, year: int, units) -> set[int]:
    """The ids of ``units`` that have a frozen set of ``kind`` for ``year`` (one query)."""
    return set(Snapshot.objects.filter(kind=kind, year=year, unit__in=units)
               .values_list("unit_id", flat=True))


@transaction.atomic
def snapshots_freeze(*, actor, kind: str, unit, year: int, as_of: dt.date,
                     payloads: dict, note: str = "", report: str = "") -> list[Snapshot]:
    """Freeze ``kind``'s figures of ``year`` as of ``as_of``: one set per unit of
    ``payloads`` ({unit: payload}, ``unit`` and units beneath it), in one transaction and
    one audit entry on ``unit``. Refused when a day is wrong, or when any of the units
    has a set of that kind and year already (nothing is frozen then). A fixed number of
    queries however many units."""
    require(actor, FREEZE, unit)
    problems = freeze_problems(year=year, as_of=as_of, today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    units = list(payloads)
    # Serialise two freezes of one unit: the second waits here, then sees the first's rows.
    type(unit)._base_manager.select_for_update().filter(pk=unit.pk).first()
    if frozen_units(kind=kind, year=year, units=units):
        raise ValidationError({"year": _("The figures of %(year)s are frozen already: a "
                                         "frozen set is never changed.") % {"year": year}})
    user = user_of(actor)
    name = (getattr(user, "full_name", "") or actor.get_username()) if actor else ""
    now = timezone.now()
    rows = [Snapshot(kind=kind, unit=u, year=year, as_of=as_of, payload=payloads[u],
                     frozen_at=now, frozen_by=user, frozen_by_name=name, note=note)
            for u in units]
    for row in rows:  # the fields' own checks; the unit and user were read already
        row.full_clean(exclude=["unit", "frozen_by"], validate_unique=False,
                       validate_constraints=False)
    Snapshot.objects.bulk_create(rows)
    audit_record(actor=actor, action=Action.CREATE, obj=unit, unit=unit,
                 object_repr=f"{unit.name} {year} {report or kind}",
                 detail={"snapshot": kind, "year": year, "as_of": as_of.isoformat(),
                         "units": len(rows), "note": note})
    return rows
