"""Standards 规范化建设标准 as data: a checklist (九有, 六有, 三个百分之百…) for the units of a
level, published for a year by a region (or nationally), with its items; and the items a
person confirmed for a unit. Computed items are evaluated by standards/indicators.py."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scope import ScopedManager

from .choices import STANDARD_LEVELS, ItemKind, StandardStatus


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
