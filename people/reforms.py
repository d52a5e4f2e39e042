"""What a reform does with the register (orgs/successors.py): the people of a unit that
ends go to its successor — a split's part takes the people of its grids — each with a
moved-out and a moved-in event on the reform's day (so the register's history replays to
the counts' history), the history of the active ones written in the database
(people.counts.people_handed_over), the open transfer requests following them; the kept
counts of every village the reform touched are recounted once at the end. Needs, visits and
job seeking belong to the person and follow them. Past transfers stay as they were."""

from django.db.models import CharField, DateField, DateTimeField, F, IntegerField, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.actors import user_of
from core.bulk import insert_select
from orgs import successors
from orgs.models import Level, OrgUnit

from . import counts
from .choices import TransferStatus
from .models import CountChange, Person, PersonEvent, Transfer, UnitCount, UnitVisitCount


def _events(people, kind: str, unit, note: str, on, by) -> None:
    rows = people.order_by().annotate(
        k=Value(kind, output_field=CharField()), d=Value(on, output_field=DateField()),
        u=unit, n=Value(note, output_field=CharField()),
        b=Value(by.pk if by else None, output_field=IntegerField()),
        t=Value(timezone.now(), output_field=DateTimeField()))
    insert_select(PersonEvent, ("person_id", "kind", "on", "unit_id", "note", "by_id", "at"),
                  rows.values_list("id", "k", "d", "u", "n", "b", "t"))


def hand_over_people(handover: successors.Handover) -> None:
    people = Person.objects.filter(unit_id__in=handover.source_ids)
    if handover.grids is not None:
        if not handover.grids:
            return
        people = people.filter(grid_id__in=handover.grids)
    target, on = handover.target, handover.on
    reform = handover.reform
    note = str(_("Reform: %(reform)s") % {"reform": reform.document_number or reform.title})
    by = user_of(handover.actor)
    handover.counted("people.active", counts.people_handed_over(
        people, to_unit_id=target.pk, on=on))
    _events(people, PersonEvent.Kind.MOVED_OUT, F("unit_id"), note[:200], on, by)
    _events(people, PersonEvent.Kind.MOVED_IN, Value(target.pk, output_field=IntegerField()),
            note[:200], on, by)
    moved = list(people.values_list("pk", flat=True)) if handover.grids else None
    Transfer.objects.filter(from_unit_id__in=handover.source_ids,
                            status=TransferStatus.REQUESTED,
                            **({"person_id__in": moved} if moved is not None else {})
                            ).update(from_unit=target)
    if handover.whole:
        Transfer.objects.filter(to_unit_id__in=handover.source_ids,
                                status=TransferStatus.REQUESTED).update(to_unit=target)
    handover.counted("people.person", people.update(
        unit_id=target.pk, version=F("version") + 1, updated_at=timezone.now()))


def recount(unit_ids: list[int]) -> None:
    counts.units_recount(OrgUnit.objects.filter(pk__in=unit_ids, level=Level.VILLAGE))


successors.register(
    successors.Holding("people.person", _("people registered"), Person,
                       hand_over=hand_over_people, finish=recount),
    successors.Holding("people.person_grid", _("people of a grid"), Person, field="grid",
                       policy=successors.STAY),
    successors.Holding("people.event", _("status changes"), PersonEvent,
                       policy=successors.STAY),
    successors.Holding("people.transfer_from", _("transfers from"), Transfer,
                       field="from_unit", policy=successors.STAY),
    successors.Holding("people.transfer_to", _("transfers to"), Transfer, field="to_unit",
                       policy=successors.STAY),
    successors.Holding("people.unitcount", _("kept counts"), UnitCount,
                       policy=successors.STAY),
    successors.Holding("people.countchange", _("count history"), CountChange,
                       policy=successors.STAY),
    successors.Holding("people.unitvisitcount", _("kept visit counts"), UnitVisitCount,
                       policy=successors.STAY),
)
