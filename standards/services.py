"""The standards' writes: keyword-only, audited, in one transaction each."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import audit_record, diff_fields
from core.actors import SYSTEM, is_system, require, user_of
from core.versions import check_version
from orgs.models import OrgUnit

from . import indicators, rules
from .choices import ItemKind, StandardStatus
from .defaults import DEFAULT_STANDARDS
from .models import ItemConfirmation, Standard, StandardItem


def _indicator_levels() -> dict:
    return {i.key: i.levels for i in indicators.indicators()}


@transaction.atomic
def defaults_ensure(*, year: int, actor=SYSTEM) -> list[Standard]:
    """The national default standards of ``year`` (九有, 六有, 三个百分之百), published;
    written once, the same every time it is called."""
    made = []
    for code, name, level, items in DEFAULT_STANDARDS:
        standard, created = Standard.objects.get_or_create(
            code=code, year=year, region=None,
            defaults={"name": name, "level": level, "status": StandardStatus.PUBLISHED})
        if created:
            StandardItem.objects.bulk_create([
                StandardItem(standard=standard, order=n, text=text,
                             kind=ItemKind.COMPUTED if key else ItemKind.CONFIRMED,
                             indicator=key)
                for n, (text, key) in enumerate(items, start=1)])
            audit_record(actor=actor, action=Action.CREATE, obj=standard,
                         detail={"defaults": True, "items": len(items)})
        made.append(standard)
    return made


def _require_region(actor, region: OrgUnit | None) -> None:
    require(actor, "standards.add_standard")
    if region is None:
        if not is_system(actor) and actor.unit is not None and actor.unit.parent_id is not None:
            raise PermissionDenied
    else:
        require(actor, "standards.add_standard", region)


@transaction.atomic
def standard_copy(*, actor, standard: Standard, year: int, region: OrgUnit | None,
                  name: str = "") -> Standard:
    """A draft copy of ``standard`` for ``year``, published by ``region`` (the acting
    administrator's unit or one beneath it), with the same items."""
    _require_region(actor, region)
    exists = Standard.objects.filter(code=standard.code, year=year, region=region).exists() \
        if year else False
    problems = rules.copy_problems(year=year, exists=exists)
    if problems:
        raise ValidationError(problems)
    copy = Standard.objects.create(code=standard.code, name=name or standard.name,
                                   level=standard.level, year=year, region=region,
                                   status=StandardStatus.DRAFT, copied_from=standard)
    StandardItem.objects.bulk_create([
        StandardItem(standard=copy, order=item.order, text=item.text, kind=item.kind,
                     indicator=item.indicator)
        for item in standard.items.order_by("order", "id")])
    audit_record(actor=actor, action=Action.CREATE, obj=copy, unit=region,
                 detail={"copied_from": standard.pk, "year": year})
    return copy


def _require_change(actor, standard: Standard) -> None:
    _require_region(actor, standard.region)
    problem = rules.change_problem(standard.status)
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def standard_update(*, actor, standard: Standard, name: str,
                    expected_version: int | None = None,
                    started_from: dict | None = None) -> Standard:
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_change(actor, standard)
    check_version(standard, expected_version=expected_version, started_from=started_from)
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the standard a name.")})
    changes = diff_fields({"name": standard.name}, {"name": name.strip()})
    if changes:
        standard.name = name.strip()
        standard.version += 1
        standard.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=standard, unit=standard.region,
                     changes=changes)
    return standard


@transaction.atomic
def standard_publish(*, actor, standard: Standard) -> Standard:
    """Publish a draft: from now on the pages measure the region's units against it."""
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_change(actor, standard)
    problem = rules.publish_problem(standard.items.count())
    if problem:
        raise ValidationError(problem)
    standard.status = StandardStatus.PUBLISHED
    standard.version += 1
    standard.save()
    audit_record(actor=actor, action=Action.UPDATE, obj=standard, unit=standard.region,
                 changes={"status": [StandardStatus.DRAFT, StandardStatus.PUBLISHED]})
    return standard


def _item_values(standard: Standard, *, text: str, kind: str, indicator: str) -> dict:
    problems = rules.item_problems(text=text, kind=kind, indicator=indicator,
                                   level=standard.level, indicator_levels=_indicator_levels())
    if problems:
        raise ValidationError(problems)
    return {"text": text.strip(), "kind": kind,
            "indicator": rules.item_indicator(kind, indicator)}


@transaction.atomic
def item_add(*, actor, standard: Standard, text: str, kind: str, indicator: str = "",
             order: int | None = None) -> StandardItem:
    standard = Standard.objects.select_for_update().get(pk=standard.pk)
    _require_change(actor, standard)
    values = _item_values(standard, text=text, kind=kind, indicator=indicator)
    if order is None:
        last = standard.items.order_by("-order").values_list("order", flat=True).first()
        order = (last or 0) + 1
    item = StandardItem.objects.create(standard=standard, order=order, **values)
    audit_record(actor=actor, action=Action.CREATE, obj=item, unit=standard.region,
                 detail={"standard": standard.pk, **values})
    return item


@transaction.atomic
def item_update(*, actor, item: StandardItem, text: str, kind: str, indicator: str = "",
                order: int, expected_version: int | None = None,
                started_from: dict | None = None) -> StandardItem:
    item = StandardItem.objects.select_for_update().select_related("standard").get(pk=item.pk)
    _require_change(actor, item.standard)
    check_version(item, expected_version=expected_version, started_from=started_from)
    values = {**_item_values(item.standard, text=text, kind=kind, indicator=indicator),
              "order": order}
    before = {name: getattr(item, name) for name in values}
    changes = diff_fields(before, values)
    if changes:
        for name, value in values.items():
            setattr(item, name, value)
        item.version += 1
        item.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=item, unit=item.standard.region,
                     changes=changes)
    return item


@transaction.atomic
def item_remove(*, actor, item: StandardItem) -> Standard:
    item = StandardItem.objects.select_for_update().select_related("standard").get(pk=item.pk)
    _require_change(actor, item.standard)
    standard = item.standard
    audit_record(actor=actor, action=Action.DELETE, obj=item, unit=standard.region,
                 detail={"standard": standard.pk, "text": item.text})
    item.delete()
    return standard


@transaction.atomic
def confirmation_record(*, actor, unit: OrgUnit, item: StandardItem, year: int,
                        confirmed_on, note: str = "", files=(),
                        by_name: str = "") -> ItemConfirmation:
    """``actor`` confirms that ``unit`` meets ``item`` in ``year`` (a confirmed item), with
    ``files`` (ledgers' (CleanFile, name) pairs) as the evidence. A second confirmation of the
    same item replaces the first's day, note and confirmer; the files add up. ``by_name``: who
    confirmed it, when not the acting user (the demo, an import)."""
    from ledgers.services import attach

    require(actor, "standards.add_itemconfirmation", unit)
    problems = rules.confirmation_problems(kind=item.kind, confirmed_on=confirmed_on,
                                           year=year, today=timezone.localdate(),
                                           item_level=item.standard.level,
                                           unit_level=unit.level)
    if problems:
        raise ValidationError(problems)
    user = user_of(actor)
    who = by_name or ((user.get_full_name() or user.username) if user is not None
                      else str(actor))
    confirmation = ItemConfirmation.objects.select_for_update().filter(
        unit=unit, item=item, year=year).first()
    if confirmation is None:
        confirmation = ItemConfirmation.objects.create(
            unit=unit, item=item, year=year, confirmed_on=confirmed_on, confirmed_by=user,
            confirmed_by_name=who, note=note)
        audit_record(actor=actor, action=Action.CREATE, obj=confirmation,
                     detail={"item": item.pk, "year": year, "files": len(files)})
    else:
        before = {"confirmed_on": confirmation.confirmed_on, "note": confirmation.note,
                  "confirmed_by_name": confirmation.confirmed_by_name}
        confirmation.confirmed_on, confirmation.note = confirmed_on, note
        confirmation.confirmed_by, confirmation.confirmed_by_name = user, who
        confirmation.version += 1
        confirmation.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=confirmation,
                     changes=diff_fields(before, {
                         "confirmed_on": confirmed_on, "note": note,
                         "confirmed_by_name": who}),
                     detail={"files": len(files)})
    if files:
        attach(actor=actor, owner=confirmation, files=files)
    return confirmation


@transaction.atomic
def confirmation_withdraw(*, actor, confirmation: ItemConfirmation) -> None:
    """Take a confirmation back (its files go with it): the item is then not met."""
    from ledgers.selectors import attachments_of
    from ledgers.services import detach

    require(actor, "standards.delete_itemconfirmation", confirmation)
    for attachment in attachments_of(confirmation):
        detach(actor=actor, attachment=attachment)
    audit_record(actor=actor, action=Action.DELETE, obj=confirmation,
                 detail={"item": confirmation.item_id, "year": confirmation.year})
    confirmation.delete()


# ---- frozen year-end attainment (issue 17) ----------------------------------------------------

@transaction.atomic
def attainment_freeze(*, actor, region, year: int, as_of=None, note: str = "") -> list:
    """Freeze the attainment of ``year`` of ``region`` and of every county and township
    beneath it (core.snapshots): later confirmations, withdrawals and changes never change
    it. Refused when any of them is frozen for that year already. The attainment is judged
    as of the year's last day (standards.indicators.as_of), so ``as_of`` must be it."""
    from core import snapshots

    from .selectors import ATTAINMENT_KIND, attainment_payload, attainments_of_subtree

    require(actor, snapshots.FREEZE, region)
    year_end = snapshots.year_end(year)
    if as_of is not None and as_of != year_end:
        raise ValidationError({"as_of": _("The attainment of a year is judged on its last "
                                          "day: leave the day empty.")})
    problems = snapshots.freeze_problems(year=year, as_of=year_end,
                                         today=timezone.localdate())
    if problems:
        raise ValidationError(problems)
    found = attainments_of_subtree(user=actor, region=region, year=year)
    return snapshots.snapshots_freeze(
        actor=actor, kind=ATTAINMENT_KIND, unit=region, year=year, as_of=year_end, note=note,
        payloads={u: attainment_payload(a) for u, a in found.items()},
        report="规范化建设达标情况")
