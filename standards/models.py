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
