"""Standards 规范化建设标准 as data: a checklist (九有, 六有, 三个百分之百…) for the units of a
level, published for a year by a region (or nationally), with its items; and the items a
person confirmed for a unit. Computed items are evaluated by standards/indicators.py."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager

from .choices import STANDARD_LEVELS, ItemKind, SiteKind, StandardStatus


class Standard(models.Model):
    """A checklist for the units of ``level`` in ``year``. ``region``: the unit that published
    it (it applies beneath it; the nearest region's wins), empty for the national default.
    Edited while a draft; published, it is what the pages measure against."""

    scope_field = "region"

    code = models.SlugField(_("code"), max_length=30,
                            help_text=_("The same for every year's copy, e.g. jiuyou."))
    name = models.CharField(_("name"), max_length=60)
    level = models.PositiveSmallIntegerField(_("applies to units of"), choices=STANDARD_LEVELS)
    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("published by"))
    status = models.CharField(_("status"), max_length=10, choices=StandardStatus.choices,
                              default=StandardStatus.DRAFT)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("copied from"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["-year", "level", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["code", "year", "region"],
                                    name="standard_one_per_region_year"),
            models.UniqueConstraint(fields=["code", "year"],
                                    condition=models.Q(region__isnull=True),
                                    name="standard_one_national_per_year"),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self):
        return reverse("standards:standard_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == StandardStatus.DRAFT


class StandardItem(models.Model):
    """One item of a standard: computed from the data by an indicator (its key in
    standards/indicators.py), or confirmed by a person with evidence."""

    scope_field = "standard__region"

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("standard"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("standard item")
        verbose_name_plural = _("standard items")
        ordering = ["standard", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="computed") & ~models.Q(indicator="")
                | models.Q(kind="confirmed", indicator=""),
                name="standarditem_indicator_iff_computed"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("standards:item_edit", args=[self.pk])


class ItemConfirmation(models.Model):
    """A person confirmed that ``unit`` meets ``item`` in ``year`` (the plaque is up, the
    rules are on the wall…), on a day, with photos or documents attached
    (ledgers.services.attach)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    item = models.ForeignKey(StandardItem, on_delete=models.PROTECT,
                             related_name="confirmations", verbose_name=_("item"))
    year = models.PositiveSmallIntegerField(_("year"))
    confirmed_on = models.DateField(_("confirmed on"))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("item confirmation")
        verbose_name_plural = _("item confirmations")
        ordering = ["-confirmed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "item", "year"],
                                    name="itemconfirmation_one_per_unit_item_year"),
        ]

    def __str__(self):
        return f"{self.item} · {self.unit}"

    def get_absolute_url(self):
        return reverse("standards:confirmation_detail", args=[self.pk])


# ---- responsibility agreements 目标责任书 (issue 16) --------------------------------------------

from core.scope import ScopedQuerySet, subtree_filter  # noqa: E402

from .agreements_choices import (  # noqa: E402
    AgreementStatus,
    Finding,
    Grade,
    TaskResult,
)


class AgreementQuerySet(ScopedQuerySet):
    """An agreement is seen from both parties: the unit above (甲方) and the unit beneath
    (乙方); an agreement with a department (乙方 named by text) from 甲方 only."""

    party_prefix = ""

    def scope_q(self, path: str) -> models.Q:
        prefix = self.party_prefix
        return (subtree_filter(path, f"{prefix}party_a__path")
                | subtree_filter(path, f"{prefix}party_b__path"))


class AgreementPartQuerySet(AgreementQuerySet):
    """A task or an inspection: seen by whoever sees its agreement."""

    party_prefix = "agreement__"


class FindingQuerySet(AgreementQuerySet):
    party_prefix = "inspection__agreement__"


class Agreement(models.Model):
    """A responsibility agreement 目标责任书 for ``year`` between ``party_a`` (甲方, the unit
    above) and ``party_b`` (乙方, a unit in its subtree) or, for the county, a member
    department of the work committee named by ``party_b_name`` (e.g. 县民政局). A draft is
    edited; signed, its tasks are frozen; after the year-end acceptance it is closed."""

    scope_field = "party_a"

    title = models.CharField(_("title"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    party_a = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("party A"))
    party_b = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                null=True, blank=True, verbose_name=_("party B (a unit)"))
    party_b_name = models.CharField(_("party B (a department)"), max_length=60, blank=True)
    department = models.ForeignKey(
        "orgs.CommitteeDepartment", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("member department of the work committee"))
    signatory_a = models.CharField(_("signatory of party A"), max_length=60, blank=True)
    signatory_b = models.CharField(_("signatory of party B"), max_length=60, blank=True)
    signed_a_on = models.DateField(_("signed by party A on"), null=True, blank=True)
    signed_b_on = models.DateField(_("signed by party B on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    accepted_by = models.CharField(_("accepted by"), max_length=120, blank=True)
    grade = models.CharField(_("overall result"), max_length=10, choices=Grade.choices,
                             blank=True)
    acceptance_note = models.CharField(_("acceptance note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = models.Manager.from_queryset(AgreementQuerySet)()

    class Meta:
        verbose_name = _("responsibility agreement")
        verbose_name_plural = _("responsibility agreements")
        permissions = [("accept_agreement", "Can record the year-end acceptance")]
        ordering = ["-year", "party_a__path", "party_b__path", "party_b_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(party_b__isnull=False, party_b_name="")
                | models.Q(party_b__isnull=True) & ~models.Q(party_b_name=""),
                name="agreement_one_party_b"),
            models.UniqueConstraint(fields=["party_a", "party_b", "year"],
                                    condition=models.Q(party_b__isnull=False),
                                    name="agreement_one_per_unit_year"),
            models.UniqueConstraint(fields=["party_a", "party_b_name", "year"],
                                    condition=models.Q(party_b__isnull=True),
                                    name="agreement_one_per_department_year"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("standards:agreement_detail", args=[self.pk])

    @property
    def party_b_label(self) -> str:
        return self.party_b.name if self.party_b_id else self.party_b_name

    @property
    def unit_id(self):
        """The unit an inspection's files are kept under (ledgers' attachments)."""
        return self.party_b_id or self.party_a_id


class AgreementTask(models.Model):
    """One task of an agreement, with its measurable target (a number and its unit, or a
    text), optionally computed by an indicator (standards/indicators.py) for 乙方; and its
    result at the year-end acceptance."""

    scope_field = "agreement__party_a"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tasks",
                                  verbose_name=_("agreement"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("task"), max_length=300)
    target_value = models.DecimalField(_("target"), max_digits=10, decimal_places=2,
                                       null=True, blank=True)
    target_unit = models.CharField(_("unit of the target"), max_length=10, blank=True,
                                   help_text=_("e.g. %, 次, 人"))
    target_text = models.CharField(_("target in words"), max_length=200, blank=True)
    indicator = models.CharField(_("indicator"), max_length=40, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=TaskResult.choices,
                              blank=True)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1, null=True,
                                 blank=True)
    result_note = models.CharField(_("result note"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(AgreementPartQuerySet)()

    class Meta:
        verbose_name = _("agreement task")
        verbose_name_plural = _("agreement tasks")
        ordering = ["agreement", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=False) | ~models.Q(target_text=""),
                name="agreementtask_has_target"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.agreement.get_absolute_url()


class AgreementInspection(models.Model):
    """A quarter's inspection 督查 of a signed agreement: the day, the inspectors, the
    findings per task (AgreementFinding) and photos or documents (ledgers' attachments,
    kept under 乙方's unit, or 甲方's for a department)."""

    scope_field = "agreement__party_a"

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT,
                                  related_name="inspections", verbose_name=_("agreement"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(_("inspectors"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = models.Manager.from_queryset(AgreementPartQuerySet)()

    class Meta:
        verbose_name = _("agreement inspection")
        verbose_name_plural = _("agreement inspections")
        ordering = ["agreement", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "quarter"],
                                    name="agreementinspection_one_per_quarter"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4),
                                   name="agreementinspection_quarter_1_4"),
        ]

    def __str__(self):
        return f"{self.agreement} · Q{self.quarter}"

    def get_absolute_url(self):
        return reverse("standards:agreement_inspection_detail", args=[self.pk])

    @property
    def unit_id(self):
        return self.agreement.unit_id


class AgreementFinding(models.Model):
    """What an inspection found for one task."""

    scope_field = "inspection__agreement__party_a"

    inspection = models.ForeignKey(AgreementInspection, on_delete=models.CASCADE,
                                   related_name="findings")
    task = models.ForeignKey(AgreementTask, on_delete=models.PROTECT, related_name="findings")
    finding = models.CharField(_("finding"), max_length=10, choices=Finding.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = models.Manager.from_queryset(FindingQuerySet)()

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["inspection", "task__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "task"],
                                    name="agreementfinding_one_per_task"),
        ]

    def __str__(self):
        return f"{self.task} · {self.get_finding_display()}"


# ---- the 100-point assessment 百分制目标考核 (issue 16) --------------------------------

from decimal import Decimal  # noqa: E402

from .choices import (  # noqa: E402
    SCHEME_LEVELS,
    EvidenceKind,
    Grade,
    RoundStatus,
    ScoringMethod,
)


class AssessmentScheme(models.Model):
    """A county's scoring scheme for the units of ``level`` in ``year``: categories → items
    → criteria, the items' maxima summing to 100 (checked when published); bonus points up
    to ``bonus_cap`` above the 100; its own grade bands."""

    scope_field = "region"

    name = models.CharField(_("name"), max_length=80)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.PositiveSmallIntegerField(_("assesses units of"), choices=SCHEME_LEVELS)
    region = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("county"))
    status = models.CharField(_("status"), max_length=10, choices=StandardStatus.choices,
                              default=StandardStatus.DRAFT)
    bonus_cap = models.DecimalField(_("bonus points at most"), max_digits=4, decimal_places=1,
                                    default=Decimal("0"),
                                    help_text=_("0: no bonus points above the 100."))
    excellent_from = models.DecimalField(_("excellent from"), max_digits=4, decimal_places=1,
                                         default=Decimal("90"))
    good_from = models.DecimalField(_("good from"), max_digits=4, decimal_places=1,
                                    default=Decimal("80"))
    pass_from = models.DecimalField(_("pass from"), max_digits=4, decimal_places=1,
                                    default=Decimal("60"))
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("copied from"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "level", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year", "level"],
                                    name="assessmentscheme_one_per_region_year_level"),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self):
        return reverse("standards:scheme_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == StandardStatus.DRAFT


class AssessmentCategory(models.Model):
    """A category of a scheme (组织建设, 工作开展…), holding its items."""

    scope_field = "scheme__region"

    scheme = models.ForeignKey(AssessmentScheme, on_delete=models.CASCADE,
                               related_name="categories", verbose_name=_("scheme"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("category"), max_length=60)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment category")
        verbose_name_plural = _("assessment categories")
        ordering = ["scheme", "order", "id"]

    def __str__(self):
        return self.name


class AssessmentItem(models.Model):
    """An item of a category: what is assessed, its criteria, its maximum points and how it
    is scored (standards/assessment_rules.py), computed from a measure
    (standards/assessment_measures.py) or given by hand, and the kind of evidence."""

    scope_field = "category__scheme__region"

    category = models.ForeignKey(AssessmentCategory, on_delete=models.CASCADE,
                                 related_name="items", verbose_name=_("category"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.CharField(_("item"), max_length=200)
    criteria = models.TextField(_("criteria"), blank=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=4, decimal_places=1)
    method = models.CharField(_("scoring method"), max_length=10,
                              choices=ScoringMethod.choices)
    measure = models.CharField(_("computed from"), max_length=40, blank=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=1, null=True,
                                 blank=True)
    per_miss = models.DecimalField(_("points per miss"), max_digits=4, decimal_places=1,
                                   null=True, blank=True)
    bonus_max = models.DecimalField(_("bonus points at most"), max_digits=4, decimal_places=1,
                                    default=Decimal("0"))
    veto_cap = models.DecimalField(_("total capped at"), max_digits=4, decimal_places=1,
                                   null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=10, choices=EvidenceKind.choices,
                                default=EvidenceKind.RECORDS)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment item")
        verbose_name_plural = _("assessment items")
        ordering = ["category__order", "order", "id"]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return reverse("standards:scheme_item_edit", args=[self.pk])

    @property
    def computed(self) -> bool:
        return bool(self.measure)


class AssessmentRound(models.Model):
    """The round 考核 of a published scheme: a score sheet for each unit of its level in the
    county; the units score themselves, the inspectors score them, the county confirms
    (then frozen). The top ``commend_percent`` are commended, the lowest
    ``criticise_count`` criticised."""

    scope_field = "scheme__region"

    scheme = models.OneToOneField(AssessmentScheme, on_delete=models.PROTECT,
                                  related_name="round", verbose_name=_("scheme"))
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices,
                              default=RoundStatus.OPEN)
    commend_percent = models.DecimalField(_("share commended (%)"), max_digits=4,
                                          decimal_places=1, default=Decimal("35"))
    criticise_count = models.PositiveSmallIntegerField(_("units criticised"), default=1)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-scheme__year", "id"]
        permissions = [("confirm_assessmentround", "Can confirm an assessment round")]

    def __str__(self):
        return str(self.scheme)

    def get_absolute_url(self):
        return reverse("standards:round_detail", args=[self.pk])

    @property
    def confirmed(self) -> bool:
        return self.status == RoundStatus.CONFIRMED


class AssessmentSheet(models.Model):
    """One unit's score sheet in a round: when it scored itself and when the inspectors
    did; once confirmed, its total, rank and grade are kept (frozen)."""

    scope_field = "unit"

    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE,
                              related_name="sheets", verbose_name=_("round"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    self_scored_at = models.DateTimeField(_("scored itself at"), null=True, blank=True)
    inspected_at = models.DateTimeField(_("inspected at"), null=True, blank=True)
    inspected_by = models.CharField(_("inspectors"), max_length=150, blank=True)
    total = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True,
                                blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    commended = models.BooleanField(_("commended"), default=False)
    criticised = models.BooleanField(_("criticised"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["round", "unit__path"]
        permissions = [("selfscore_assessmentsheet", "Can score its own unit"),
                       ("inspect_assessmentsheet", "Can score a unit as an inspector")]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"],
                                    name="assessmentsheet_one_per_round_unit"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.round}"

    def get_absolute_url(self):
        return reverse("standards:sheet_detail", args=[self.pk])


class AssessmentScore(models.Model):
    """An item's values on a sheet: typed by the unit (self) and by the inspectors with
    their reason (hand-scored items); for every item, once the round is confirmed, the
    value it was computed or scored with, its points and its evidence (frozen)."""

    scope_field = "sheet__unit"

    sheet = models.ForeignKey(AssessmentSheet, on_delete=models.CASCADE,
                              related_name="scores", verbose_name=_("score sheet"))
    item = models.ForeignKey(AssessmentItem, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("item"))
    self_value = models.DecimalField(_("self-score"), max_digits=8, decimal_places=1,
                                     null=True, blank=True)
    inspector_value = models.DecimalField(_("inspectors' score"), max_digits=8,
                                          decimal_places=1, null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    final_value = models.DecimalField(_("value"), max_digits=8, decimal_places=3, null=True,
                                      blank=True)
    final_points = models.DecimalField(_("points"), max_digits=5, decimal_places=1,
                                       null=True, blank=True)
    evidence_text = models.CharField(_("evidence"), max_length=300, blank=True)
    evidence_url = models.CharField(_("evidence link"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["sheet", "item"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"],
                                    name="assessmentscore_one_per_sheet_item"),
        ]

    def __str__(self):
        return f"{self.item} · {self.sheet}"


# ---- demonstration sites 示范点 and rules documents (issue 16) ---------------------------------

class DemoSiteTarget(models.Model):
    """How many demonstration sites of ``kind`` a county is to designate in ``year``."""

    scope_field = "county"

    county = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("county"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    number = models.PositiveSmallIntegerField(_("target"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("demonstration site target")
        verbose_name_plural = _("demonstration site targets")
        ordering = ["county", "-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year", "kind"],
                                    name="demositetarget_one_per_county_year_kind"),
        ]

    def __str__(self):
        return f"{self.county} · {self.year} · {self.get_kind_display()}"


class DemoSite(models.Model):
    """A township, community or village a county designated as a demonstration site for
    ``year`` (by a document, on a day); withdrawn, it stays with the day and document of
    the withdrawal."""

    scope_field = "unit"

    county = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("designated by"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=SiteKind.choices)
    designated_on = models.DateField(_("designated on"))
    document_number = models.CharField(_("document number"), max_length=60)
    note = models.CharField(_("note"), max_length=300, blank=True)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("designated by"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_document = models.CharField(_("withdrawal document"), max_length=60,
                                           blank=True)
    withdrawal_note = models.CharField(_("reason for the withdrawal"), max_length=300,
                                       blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("demonstration site")
        verbose_name_plural = _("demonstration sites")
        ordering = ["county", "-year", "kind", "unit__path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"],
                                    condition=models.Q(withdrawn_on__isnull=True),
                                    name="demosite_one_per_unit_year"),
        ]
        indexes = [models.Index(fields=["county", "year"], name="site_county_year_idx")]

    def __str__(self):
        return f"{self.unit} · {self.year} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("standards:site_detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class RulesDocument(models.Model):
    """A unit's rules 工作制度 for a year, as a document attached to it (ledgers'
    attachments): the ``rules_attached`` indicator counts it when a file is attached."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    adopted_on = models.DateField(_("adopted on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("rules document")
        verbose_name_plural = _("rules documents")
        ordering = ["-year", "-adopted_on", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="rulesdocument_unit_year_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("standards:rules_detail", args=[self.pk])
