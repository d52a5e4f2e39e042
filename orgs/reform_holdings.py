"""What a reform does with the tables of orgs and of the platform beneath it (the others
declare theirs in their own app: people/reforms.py, workforce/reforms.py…): an ended
unit's organisation profile stays with it as its history (its quotas are added to the
successor's: orgs/reform_rules.quotas_after), and so do its audit trail, its import and
export jobs and the reform's own records."""

from django.utils.translation import gettext_lazy as _

from audit.models import AuditLog
from core.models import ExportJob, Snapshot
from imports.models import ImportJob

from . import successors
from .models import (
    OrgProfile,
    OrgUnit,
    Reform,
    SpecialAssociation,
    Succession,
    UnitPeriod,
    WorkCommittee,
)

STAY = successors.STAY

successors.register(
    successors.Holding("orgs.profile", _("organisation profile"), OrgProfile, policy=STAY),
    successors.Holding("orgs.parent", None, OrgUnit, field="parent", policy=STAY),
    successors.Holding("orgs.period", None, UnitPeriod, policy=STAY),
    successors.Holding("orgs.period_parent", None, UnitPeriod, field="parent", policy=STAY),
    successors.Holding("orgs.reform", None, Reform, policy=STAY),
    successors.Holding("orgs.predecessor", None, Succession, field="predecessor",
                       policy=STAY),
    successors.Holding("orgs.successor", None, Succession, field="successor", policy=STAY),
    successors.Holding("audit.log", None, AuditLog, policy=STAY),
    successors.Holding("core.exportjob", None, ExportJob, policy=STAY),
    successors.Holding("core.snapshot", None, Snapshot, policy=STAY),  # frozen: never moves
    successors.Holding("imports.job", None, ImportJob, policy=STAY),
)

# The work committee and the special associations (issue 18). A committee is the ended
# county's government body: it stays with that unit as its history (its departments with
# it), the successor has or sets up its own. The associations move to the successor with
# their members, but for a kind the successor has already (that one stays).
successors.register(
    successors.Holding("orgs.committee", _("work committee"), WorkCommittee, policy=STAY),
    successors.Holding("orgs.association", _("special associations"), SpecialAssociation,
                       unique=("kind",)),
)
