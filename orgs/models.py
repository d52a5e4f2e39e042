import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager, ScopedQuerySet


class Level(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County / district")
    TOWNSHIP = 4, _("Township / street")
    VILLAGE = 5, _("Village / community")
    GRID = 6, _("Grid")


# Length of the national statistical division code at each level; a grid's own code
# is its village's code followed by three digits.
CODE_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GRID: 15,
}
LEVEL_BY_CODE_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


class Kind(models.TextChoices):
    STREET = "street", _("Street (jiedao)")
    TOWN = "town", _("Town (zhen)")
    TOWNSHIP = "township", _("Township (xiang)")
    COMMUNITY = "community", _("Community (shequ)")
    VILLAGE = "village", _("Village (cun)")
    OTHER = "other", _("Other")


class UrbanRural(models.TextChoices):
    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


def active_q(on: dt.date | None = None, prefix: str = "") -> models.Q:
    """The condition "the unit exists on ``on``" (today by default): begun on or before it
    (or with no known beginning), not yet ended — a reform ends a unit by its valid_to.
    ``prefix`` reaches the unit through a relation ("children__")."""
    on = on or timezone.localdate()
    return ((models.Q(**{f"{prefix}valid_from__isnull": True})
             | models.Q(**{f"{prefix}valid_from__lte": on}))
            & (models.Q(**{f"{prefix}valid_to__isnull": True})
               | models.Q(**{f"{prefix}valid_to__gt": on})))


class OrgUnitQuerySet(ScopedQuerySet):
    def active(self, on: dt.date | None = None) -> "OrgUnitQuerySet":
        """The units that exist on ``on`` (today by default): see ``active_q``."""
        return self.filter(active_q(on))


class OrgUnit(models.Model):
    """One node of the network, from province down to grid.

    ``path`` is the materialised path (see core.scope); it is written only by
    orgs.services, never typed.
    """

    scope_field = ""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=96, db_index=True, editable=False, blank=True, default="")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    code = models.CharField(
        _("division code"), max_length=15, null=True, blank=True,
        help_text=_("National statistical division code; grids get a code under their village."),
    )
    name = models.CharField(_("name"), max_length=100)
    # The pinyin of the name and its initials (orgs.rules.unit_search_key), written with the
    # name by the services, the reforms and the division import: the public search.
    search_key = models.CharField(max_length=200, blank=True, default="", editable=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    urban_rural = models.CharField(
        _("urban or rural"), max_length=5, choices=UrbanRural.choices, blank=True
    )
    buildings = models.TextField(
        _("buildings covered"), blank=True,
        help_text=_("For a grid: the buildings, streets or groups it covers."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = models.Manager.from_queryset(OrgUnitQuerySet)()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(valid_to__isnull=True),
                name="orgunit_active_code_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=6), name="orgunit_level_valid"
            ),
        ]
        permissions = [("import_divisions", "Can import division lists")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("orgs:unit_detail", args=[self.pk])

    @property
    def depth(self) -> int:
        from core.scope import SEGMENT_WIDTH

        return len(self.path) // SEGMENT_WIDTH

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this unit, read off the path (no query)."""
        from core.scope import SEGMENT_WIDTH

        return [
            int(self.path[i : i + SEGMENT_WIDTH]) for i in range(0, len(self.path), SEGMENT_WIDTH)
        ]

    @property
    def is_grid(self) -> bool:
        return self.level == Level.GRID

    @property
    def can_have_grids(self) -> bool:
        return self.level == Level.VILLAGE

    @property
    def has_organisation(self) -> bool:
        return self.level != Level.GRID


class Independence(models.TextChoices):
    INDEPENDENT = "independent", _("Independent")
    CO_LOCATED = "co_located", _("Co-located with another department")


class OrgProfile(models.Model):
    """The organisation at a unit: the DPF (county, township) or the association (village)."""

    scope_field = "unit"

    unit = models.OneToOneField(
        OrgUnit, on_delete=models.PROTECT, related_name="profile", verbose_name=_("unit")
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    independence = models.CharField(
        _("independence"), max_length=12, choices=Independence.choices,
        default=Independence.INDEPENDENT,
    )
    co_located_with = models.CharField(
        _("co-located with"), max_length=100, blank=True,
        help_text=_("The department it shares offices with, e.g. the civil-affairs bureau."),
    )
    has_party_group = models.BooleanField(_("has a party group"), default=False)
    address = models.CharField(_("office address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=40, blank=True)
    service_hours = models.CharField(_("service window hours"), max_length=200, blank=True)
    has_plaque = models.BooleanField(_("plaque displayed"), default=False)
    quota_administrative = models.PositiveSmallIntegerField(
        _("administrative posts (quota)"), default=0
    )
    quota_institutional = models.PositiveSmallIntegerField(
        _("institutional posts (quota)"), default=0
    )
    office_funds_per_year = models.DecimalField(
        _("office funds per year (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(independence="co_located") | ~models.Q(co_located_with=""),
                name="orgprofile_co_located_names_department",
            ),
        ]

    def __str__(self):
        return str(self.unit)

    @property
    def quota_total(self) -> int:
        return self.quota_administrative + self.quota_institutional


# ---- reforms of the network 机构改革 (orgs/reform_*.py) ------------------------------------

class ReformStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")


class OperationKind(models.TextChoices):
    MERGE = "merge", _("Merge units into one")
    SPLIT = "split", _("Split a unit")
    ABOLISH = "abolish", _("Abolish a unit")
    MOVE = "move", _("Move a unit to another parent")
    RENAME = "rename", _("Rename a unit")
    CREATE = "create", _("Create a unit")


class Reform(models.Model):
    """A dated, documented change of the network beneath ``unit`` (a county's, usually):
    planned as operations while a draft, previewed, then applied in one transaction. Its
    units are never deleted: they end on ``effective_on`` and name their successors."""

    scope_field = "unit"

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("reformed unit"))
    title = models.CharField(_("title"), max_length=200)
    document_number = models.CharField(_("document number"), max_length=60, blank=True,
                                       help_text=_("e.g. 黄发〔2008〕12号"))
    effective_on = models.DateField(_("effective on"),
                                    help_text=_("The first day of the new network."))
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ReformStatus.choices,
                              default=ReformStatus.DRAFT)
    result = models.JSONField(_("what it moved"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reform")
        verbose_name_plural = _("reforms")
        ordering = ["-effective_on", "-id"]
        permissions = [("apply_reform", "Can apply a reform of the network")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("orgs:reform_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == ReformStatus.DRAFT


class ReformOperation(models.Model):
    """One step of a reform: its kind and its parameters (orgs/reform_rules.py reads and
    checks them: which units, into what, where their children and belongings go)."""

    scope_field = "reform__unit"

    reform = models.ForeignKey(Reform, on_delete=models.CASCADE, related_name="operations",
                               verbose_name=_("reform"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("operation"), max_length=8, choices=OperationKind.choices)
    params = models.JSONField(_("parameters"), default=dict)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("reform operation")
        verbose_name_plural = _("reform operations")
        ordering = ["reform_id", "order", "id"]

    def __str__(self):
        return f"{self.order}. {self.get_kind_display()}"


class UnitPeriod(models.Model):
    """What a unit was before a reform changed it — its name, code, parent and path from
    ``valid_from`` (None: from its beginning) until ``valid_to`` (exclusive). Today's state
    is the unit's own row; these rows are the tree as it stood before (orgs/reform_selectors
    .py reads the tree on any date from them)."""

    scope_field = "unit"

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="periods",
                             verbose_name=_("unit"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"))
    parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("parent unit"))
    path = models.CharField(max_length=96)
    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("division code"), max_length=15, null=True, blank=True)
    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("reform"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("earlier state of a unit")
        verbose_name_plural = _("earlier states of units")
        ordering = ["unit_id", "valid_to"]
        indexes = [models.Index(fields=["unit", "valid_to"], name="unitperiod_unit_to_idx"),
                   models.Index(fields=["valid_to"], name="unitperiod_to_idx")]

    def __str__(self):
        return f"{self.name} → {self.valid_to}"


class SuccessionKind(models.TextChoices):
    MERGED = "merged", _("Merged into")
    SPLIT = "split", _("Split into")
    ABOLISHED = "abolished", _("Abolished; its work went to")


class SuccessionQuerySet(ScopedQuerySet):
    def scope_q(self, path: str) -> models.Q:
        """A succession is seen from both ends: the unit that ended and its successor."""
        from core.scope import subtree_filter

        return (subtree_filter(path, "predecessor__path")
                | subtree_filter(path, "successor__path"))


class Succession(models.Model):
    """A unit that ended by a reform and a unit that took over from it."""

    scope_field = "successor"

    reform = models.ForeignKey(Reform, on_delete=models.PROTECT, related_name="successions",
                               verbose_name=_("reform"))
    predecessor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("successor"))
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    on = models.DateField(_("date"))

    objects = models.Manager.from_queryset(SuccessionQuerySet)()

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["on", "id"]
        constraints = [models.UniqueConstraint(fields=["reform", "predecessor", "successor"],
                                               name="succession_once")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


# ---- the work committee 残疾人工作委员会 and the special associations 专门协会 (issue 18) -------

COMMITTEE_LEVELS = (Level.CITY, Level.COUNTY)


class WorkCommittee(models.Model):
    """A county's or a city's work committee for disabled people 残疾人工作委员会 (残工委):
    the government's committee led by a chair (the leader in charge, 政府分管领导) and vice
    chairs (the government office's deputy, the DPF's chair), of member departments with
    their duties (doc4, doc5: 31 departments). The chairs are officials, not registered
    people: their names and posts are plain text."""

    scope_field = "unit"

    unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="committee",
                                verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100, default="残疾人工作委员会")
    chair_name = models.CharField(_("chair of the committee"), max_length=60)
    chair_post = models.CharField(_("chair's post"), max_length=100, blank=True,
                                  help_text=_("e.g. deputy county head in charge"))
    vice_chairs = models.TextField(
        _("vice chairs of the committee"), blank=True,
        help_text=_("One a line: the name, then the post (e.g. 王明 县政府办公室副主任)."))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    office = models.CharField(_("office"), max_length=100, blank=True,
                              help_text=_("Where the committee's office sits, e.g. the DPF."))
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("work committee")
        verbose_name_plural = _("work committees")
        ordering = ["unit__path"]

    def __str__(self):
        return f"{self.unit.name}{self.name}"

    def get_absolute_url(self):
        return reverse("reports:committee_detail", args=[self.pk])

    @property
    def vice_chair_lines(self) -> list[str]:
        return [line.strip() for line in self.vice_chairs.splitlines() if line.strip()]


class CommitteeDepartment(models.Model):
    """A member department 成员单位 of a work committee (民政局, 教育局…): its duties for
    disabled people and whom to call there."""

    scope_field = "committee__unit"

    committee = models.ForeignKey(WorkCommittee, on_delete=models.CASCADE,
                                  related_name="departments", verbose_name=_("work committee"))
    name = models.CharField(_("department"), max_length=60)
    duties = models.TextField(_("duties"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("member department")
        verbose_name_plural = _("member departments")
        ordering = ["committee_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"],
                                               name="committeedepartment_name_once")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reports:committee_detail", args=[self.committee_id])


class AssociationKind(models.TextChoices):
    BLIND = "blind", _("Association of the blind")
    DEAF = "deaf", _("Association of the deaf")
    PHYSICAL = "physical", _("Association of the physically disabled")
    MENTAL = "mental", _("Association of relatives of people with mental illness")
    INTELLECTUAL = "intellectual", _(
        "Association of relatives of people with intellectual disability")


class SpecialAssociation(models.Model):
    """One of the five special associations 专门协会 of a county or a city DPF (doc4, doc5):
    the blind, the deaf, the physically disabled, and the relatives of people with mental
    illness or intellectual disability. Its members (and a chair who is a member) are kept
    in ledgers (AssociationMember: orgs does not reach the register); a chair who is not
    registered is named here."""

    scope_field = "unit"

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    kind = models.CharField(_("association"), max_length=12, choices=AssociationKind.choices)
    chair_name = models.CharField(
        _("chair (if not registered)"), max_length=60, blank=True,
        help_text=_("Only when the chair is not among the registered members."))
    established_on = models.DateField(_("established on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("special association")
        verbose_name_plural = _("special associations")
        ordering = ["unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "kind"],
                                               name="specialassociation_one_kind_per_unit")]

    def __str__(self):
        return f"{self.unit.name}{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("reports:association_detail", args=[self.pk])
