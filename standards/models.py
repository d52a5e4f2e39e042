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
