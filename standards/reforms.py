"""What a reform does with the standards (orgs/successors.py): a confirmation says that one
unit met an item in a year, so it stays with that unit as its history (the successor is
confirmed afresh); a standard a unit published for its region goes on for the successor's,
unless the successor published its own of that code for that year. A responsibility
agreement was signed by its two parties for a year, so it stays theirs (the successor signs
its own; the acceptance of the year says what the ended unit did). An assessment scored the
units of its year: their sheets stay theirs; a scheme a region published goes on for its
successor's units. A demonstration site and a rules document belong to the unit designated
or governed (they stay with it); a county's targets for its sites go on for its successor.
"""

from django.utils.translation import gettext_lazy as _

from orgs import successors

from .models import (
    Agreement,
    AssessmentScheme,
    AssessmentSheet,
    DemoSite,
    DemoSiteTarget,
    ItemConfirmation,
    RulesDocument,
    Standard,
)

successors.register(
    successors.Holding("standards.standard", _("standards published"), Standard,
                       field="region", unique=("code", "year")),
    successors.Holding("standards.confirmation", _("confirmed standard items"),
                       ItemConfirmation, policy=successors.STAY),
    successors.Holding("standards.agreement_a", _("responsibility agreements (party A)"),
                       Agreement, field="party_a", policy=successors.STAY),
    successors.Holding("standards.agreement_b", _("responsibility agreements (party B)"),
                       Agreement, field="party_b", policy=successors.STAY),
    successors.Holding("standards.scheme", _("assessment schemes"), AssessmentScheme,
                       field="region", unique=("year", "level")),
    successors.Holding("standards.sheet", _("assessment score sheets"), AssessmentSheet,
                       policy=successors.STAY),
    successors.Holding("standards.site_target", _("targets for demonstration sites"),
                       DemoSiteTarget, field="county", unique=("year", "kind")),
    successors.Holding("standards.site_county", _("demonstration sites designated"),
                       DemoSite, field="county"),
    successors.Holding("standards.site", _("demonstration sites"), DemoSite,
                       policy=successors.STAY),
    successors.Holding("standards.rules", _("rules documents"), RulesDocument,
                       policy=successors.STAY),
)
