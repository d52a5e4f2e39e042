"""A responsibility agreement 目标责任书 with a member department of the work committee
(issue 18): the agreement (the higher layer) names the department, never the other way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import require
from core.versions import link_set
from orgs.models import CommitteeDepartment

from .models import Agreement


@transaction.atomic
def agreement_link_department(*, actor, agreement: Agreement,
                              department: CommitteeDepartment | None) -> Agreement:
    """``agreement`` is (None: is no longer) the agreement of ``department``: an agreement
    whose 甲方 is the committee's unit and whose 乙方 is a department (named by text)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    require(actor, "standards.change_agreement", agreement)
    if department is not None:
        require(actor, "orgs.view_workcommittee", department.committee)
        if agreement.party_b_id is not None \
                or agreement.party_a_id != department.committee.unit_id:
            raise ValidationError({"agreement": _(
                "Only an agreement of the committee's unit with a department can be linked "
                "to a member department.")})
    return link_set(actor=actor, obj=agreement, field="department", target=department)
