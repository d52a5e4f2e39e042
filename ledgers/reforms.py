"""What a reform does with the ledgers (orgs/successors.py): a unit that ends hands its
ledgers' entries, its volunteers and its petition categories to its successor, so the
successor's ledger book holds its predecessors' work (each entry keeps its date and who
wrote it; the audit log says it moved); an annual plan for a year the successor has one
for already stays with the ended unit. Attachments follow their entry, wherever it went;
an issued certificate stays with the unit that issued it."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from orgs import successors

from .models import (
    AnnualPlan,
    AssistanceActivity,
    Attachment,
    FundEntry,
    Meeting,
    Petition,
    PetitionCategory,
    Volunteer,
    VolunteerActivity,
    VolunteerCertificate,
    WorkEntry,
)


def hand_over_attachments(handover: successors.Handover) -> None:
    """Each attachment of the sources to the unit its owner now has (the owner moved, or
    stayed), or to the successor when its owner has no unit of its own."""
    if not handover.whole:
        return
    files = Attachment.objects.filter(unit_id__in=handover.source_ids)
    moved = 0
    for owner_type in ContentType.objects.filter(
            pk__in=files.values("owner_type").order_by().distinct()):
        model = owner_type.model_class()
        rows = files.filter(owner_type=owner_type)
        if model is not None and any(f.name == "unit" for f in model._meta.fields):
            unit = model._base_manager.filter(pk=OuterRef("owner_id")).values("unit_id")[:1]
            moved += rows.exclude(unit_id=Subquery(unit)).count()
            rows.update(unit_id=Subquery(unit))
        else:
            moved += rows.update(unit_id=handover.target.pk)
    handover.counted("ledgers.attachment", moved)


successors.register(
    successors.Holding("ledgers.work", _("work record entries"), WorkEntry),
    successors.Holding("ledgers.meeting", _("meetings"), Meeting),
    successors.Holding("ledgers.plan", _("annual plans"), AnnualPlan, unique=("year",)),
    successors.Holding("ledgers.assistance", _("assistance activities"), AssistanceActivity),
    successors.Holding("ledgers.volunteer_activity", _("volunteer activities"),
                       VolunteerActivity),
    successors.Holding("ledgers.petition", _("letters and visits"), Petition),
    successors.Holding("ledgers.volunteer", _("volunteers"), Volunteer),
    successors.Holding("ledgers.category", _("petition categories"), PetitionCategory),
    successors.Holding("ledgers.certificate", _("volunteer certificates"),
                       VolunteerCertificate, policy=successors.STAY),
    # Funds (issue 18): a merged unit's entries, and the transfers it received, move to
    # its successor.
    successors.Holding("ledgers.funds", _("funds entries"), FundEntry),
    successors.Holding("ledgers.funds_received", _("funds transferred in"), FundEntry,
                       field="counterpart"),
    successors.Holding("ledgers.attachment", _("attachments"), Attachment,
                       hand_over=hand_over_attachments, last=True),
)
