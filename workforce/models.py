"""The workforce: posts of the network and the workers who hold them.

A post (理事长 of a township DPF, 专职委员 of a village…) exists at its unit whether or not
anyone holds it; an appointment fills it for a term and ends with a reason; nothing is
deleted. A vacancy is a post the staffing norms ask for without an active appointment
(computed, see workforce/selectors.py). A worker's ID and bank account numbers are sealed
like the register's (core/crypto.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.scope import ScopedManager, ScopedQuerySet
from core.text import mask_digits
from people.choices import Education, Gender
from people.identity import mask_id

from .choices import (
    Basis,
    Connection,
    Decision,
    EndReason,
    Establishment,
    Funding,
    Grade,
    Holding,
    LineKind,
    NominationDecision,
    PayCycle,
    PoliticalStatus,
    PostKind,
    Relation,
    RunStatus,
    SubsidyKind,
    TrainingLevel,
    post_title,
)

ID_COLUMN = "worker.id_number"
BANK_COLUMN = "worker.bank_account"


def id_lookup(number: str | None) -> str | None:
    return crypto.lookup(number, column=ID_COLUMN)


class WorkerQuerySet(ScopedQuerySet):
    def with_id(self, number: str | None):
        """The worker holding the (normalised) ID ``number``, as a queryset (0 or 1 rows)."""
        if not number:
            return self.none()
        return self.filter(id_hash=id_lookup(number))


class Worker(models.Model):
    """Someone who serves in the network (残疾人工作者), kept by the unit that appointed
    them first; they may hold several posts, in that unit or beneath it."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="workers",
                             verbose_name=_("unit"))
    name = models.CharField(_("full name"), max_length=50)
    id_cipher = models.CharField(max_length=80, editable=False)
    id_hash = models.CharField(max_length=crypto.HASH_LENGTH, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices,
                                 blank=True)
    political_status = models.CharField(_("political status"), max_length=12,
                                        choices=PoliticalStatus.choices, blank=True)
    connection = models.CharField(_("tie to disability"), max_length=10,
                                  choices=Connection.choices, default=Connection.NONE)
    # Their own register entry when disabled; their disabled relative's when a relative.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="workers",
                               verbose_name=_("register entry"))
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices,
                                blank=True)
    # 持证上岗: the work certificate.
    certificate_number = models.CharField(_("work certificate number"), max_length=40,
                                          blank=True)
    certificate_issued_on = models.DateField(_("certificate issued on"), null=True, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True,
                                               blank=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_cipher = models.CharField(max_length=120, blank=True, default="", editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="worker",
                                verbose_name=_("login"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["unit_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], name="worker_id_hash_unique"),
            models.CheckConstraint(
                condition=~models.Q(connection="none") | models.Q(person__isnull=True),
                name="worker_register_entry_needs_a_tie"),
            models.CheckConstraint(
                condition=~models.Q(connection="relative") | ~models.Q(relation=""),
                name="worker_relative_names_relation"),
        ]
        indexes = [models.Index(fields=["unit", "name"], name="worker_unit_name_idx")]
        permissions = [("export_worker", "Can export the workers"),
                       ("view_bank_account", "Can see bank account numbers")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workforce:worker_detail", args=[self.pk])

    @property
    def id_number(self) -> str:
        cipher = self.id_cipher
        opened = self.__dict__.get("_id_opened")
        if opened is None or opened[0] != cipher:
            opened = (cipher, crypto.unseal(cipher, column=ID_COLUMN) if cipher else "")
            self.__dict__["_id_opened"] = opened
        return opened[1]

    @id_number.setter
    def id_number(self, number: str) -> None:
        self.id_cipher = crypto.seal(number, column=ID_COLUMN) if number else ""
        self.id_hash = id_lookup(number) if number else ""
        self.__dict__["_id_opened"] = (self.id_cipher, number)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def bank_account(self) -> str:
        return crypto.unseal(self.bank_cipher, column=BANK_COLUMN) if self.bank_cipher else ""

    @bank_account.setter
    def bank_account(self, number: str) -> None:
        self.bank_cipher = crypto.seal(number, column=BANK_COLUMN) if number else ""

    @property
    def masked_bank_account(self) -> str:
        return mask_digits(self.bank_account)

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("_id_opened", None)


class Post(models.Model):
    """A post of a unit's organisation, held by one appointment at a time. Posts the
    staffing norms ask for are made when first needed; a reform ends a post by ``valid_to``."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="posts",
                             verbose_name=_("unit"))
    kind = models.CharField(_("post"), max_length=12, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=60, blank=True,
                             help_text=_("Only when the post's usual name is not enough, "
                                         "e.g. second liaison officer."))
    establishment = models.CharField(_("quota"), max_length=16, choices=Establishment.choices,
                                     blank=True, default=Establishment.NONE)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["unit_id", "kind", "id"]
        indexes = [models.Index(fields=["unit", "kind"], name="post_unit_kind_idx")]

    def __str__(self):
        return self.display_title()

    def display_title(self, level: int | None = None) -> str:
        if self.title:
            return self.title
        if level is None:
            level = self.unit.level
        return post_title(self.kind, level)


class AppointmentQuerySet(ScopedQuerySet):
    def current(self, on=None):
        """The appointments in force on ``on`` (today by default)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))


class Appointment(models.Model):
    """A worker in a post for a term (聘任制): kept when it ends, with the day and why."""

    scope_field = "post__unit"

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("post"))
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="appointments",
                               verbose_name=_("worker"))
    starts_on = models.DateField(_("starts on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)
    document_number = models.CharField(_("appointing document"), max_length=60, blank=True,
                                       help_text=_("e.g. 会残联发〔2012〕14号"))
    holding = models.CharField(_("held"), max_length=16, choices=Holding.choices,
                               default=Holding.FULL_TIME)
    grids = models.ManyToManyField("orgs.OrgUnit", blank=True, related_name="grid_duties",
                                   verbose_name=_("grids answered for"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=12, choices=EndReason.choices,
                                  blank=True)
    end_note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            # One holder per post at a time.
            models.UniqueConstraint(fields=["post"], condition=models.Q(ended_on__isnull=True),
                                    name="appointment_one_open_per_post"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F(
                    "starts_on")), name="appointment_ends_after_start"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True, end_reason="")
                | models.Q(ended_on__isnull=False) & ~models.Q(end_reason=""),
                name="appointment_end_has_reason"),
        ]
        indexes = [
            models.Index(fields=["post", "ended_on"], name="appointment_post_end_idx"),
            models.Index(fields=["term_ends_on"], name="appointment_term_idx",
                         condition=models.Q(ended_on__isnull=True)),
        ]

    def __str__(self):
        return f"{self.worker} · {self.post}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class StaffingNorm(models.Model):
    """How many of a kind of post a unit of a level must have (``count``), and a second
    one allowed, or asked for, where it has at least ``extra_threshold`` registered people
    (or certificate holders). ``unit``: the region it applies in (everything beneath it;
    empty: everywhere); the nearest region's norm wins. Defaults from the reports: one
    chair and one liaison officer per township DPF and per village association (doc3,
    doc4); a second liaison officer allowed at 100 people (Beijing)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("region"))
    level = models.PositiveSmallIntegerField(_("level"), choices=[
        (4, _("Township / street")), (5, _("Village / community"))])
    kind = models.CharField(_("post"), max_length=12, choices=PostKind.choices)
    count = models.PositiveSmallIntegerField(_("required"), default=1)
    extra_threshold = models.PositiveIntegerField(_("a second one from"), null=True,
                                                  blank=True)
    extra_basis = models.CharField(_("counting"), max_length=12, choices=Basis.choices,
                                   default=Basis.PEOPLE)
    extra_required = models.BooleanField(
        _("the second one is required"), default=False,
        help_text=_("Unticked: allowed, not counted as a vacancy."))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("staffing norm")
        verbose_name_plural = _("staffing norms")
        ordering = ["level", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level", "kind"],
                                    name="staffingnorm_one_per_region"),
            models.UniqueConstraint(fields=["level", "kind"],
                                    condition=models.Q(unit__isnull=True),
                                    name="staffingnorm_one_everywhere"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} · {self.get_kind_display()} × {self.count}"


class SelectionRule(models.Model):
    """A county's conditions for hiring a liaison officer (or another post): an age limit
    at hiring and the least schooling. Appointments that break them are listed as
    warnings, never refused (research.md: provinces publish such limits)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("county or district"))
    kind = models.CharField(_("post"), max_length=12, choices=PostKind.choices,
                            default=PostKind.LIAISON)
    max_age_at_hiring = models.PositiveSmallIntegerField(_("oldest age at hiring"), null=True,
                                                         blank=True)
    min_education = models.CharField(_("least schooling"), max_length=12,
                                     choices=Education.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("selection condition")
        verbose_name_plural = _("selection conditions")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"],
                                               name="selectionrule_one_per_county")]

    def __str__(self):
        return f"{self.unit} · {self.get_kind_display()}"


# ---- training, appraisal and awards (issue 13, second part) ---------------------------------

class TrainingSession(models.Model):
    """A training session (培训) organised by a city's, a county's or a township's DPF for
    the workers of its area; who came is recorded as Attendance, one row per worker."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT,
                             related_name="training_sessions",
                             verbose_name=_("organising unit"))
    title = models.CharField(_("title"), max_length=120)
    level = models.CharField(_("level"), max_length=10, choices=TrainingLevel.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    content = models.TextField(_("content"), blank=True)
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="training_ends_after_start"),
            models.CheckConstraint(condition=models.Q(hours__gt=0),
                                   name="training_hours_positive"),
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="training_unit_start_idx"),
                   models.Index(fields=["starts_on"], name="training_start_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("workforce:training_detail", args=[self.pk])


class Attendance(models.Model):
    """A worker came to a training session: once, never twice."""

    scope_field = "worker__unit"

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="attendances", verbose_name=_("training session"))
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="attendances",
                               verbose_name=_("worker"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session_id", "worker_id"]
        constraints = [models.UniqueConstraint(fields=["session", "worker"],
                                               name="attendance_once_per_session")]
        indexes = [models.Index(fields=["worker", "session"], name="attendance_worker_idx")]

    def __str__(self):
        return f"{self.worker} · {self.session}"


class Appraisal(models.Model):
    """The yearly appraisal of an officer in a post (per appointment and year). A decision
    not to renew (which 不称职 asks for) is a proposal until an administrator confirms it;
    confirming ends the appointment (services.appraisal_confirm)."""

    scope_field = "appointment__post__unit"

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT,
                                    related_name="appraisals", verbose_name=_("appointment"))
    year = models.PositiveSmallIntegerField(_("year"))
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices)
    comments = models.TextField(_("comments"), blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    confirmed_on = models.DateField(_("non-renewal confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-year", "appointment_id"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "year"],
                                    name="appraisal_once_a_year"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100),
                                   name="appraisal_score_0_100"),
        ]
        indexes = [models.Index(fields=["year", "appointment"], name="appraisal_year_idx")]
        permissions = [("confirm_appraisal", "Can confirm a non-renewal after appraisal")]

    def __str__(self):
        return f"{self.appointment.worker} · {self.year}"

    @property
    def proposes_non_renewal(self) -> bool:
        return self.decision == Decision.NOT_RENEW

    @property
    def awaiting_confirmation(self) -> bool:
        return self.proposes_non_renewal and self.confirmed_on is None


class AwardRound(models.Model):
    """A yearly selection such as 全县优秀残疾人工作专职委员 (doc4): the units beneath the
    organising unit nominate workers; the organiser decides and publishes the list."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("organising unit"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("award round")
        verbose_name_plural = _("award rounds")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "title"],
                                               name="awardround_unique")]

    def __str__(self):
        return f"{self.year} {self.title}"

    def get_absolute_url(self):
        return reverse("workforce:award_detail", args=[self.pk])


class Nomination(models.Model):
    """A unit's nomination of a worker in an award round, and the organiser's decision."""

    scope_field = "unit"

    round = models.ForeignKey(AwardRound, on_delete=models.PROTECT,
                              related_name="nominations", verbose_name=_("award round"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("nominating unit"))
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="nominations",
                               verbose_name=_("worker"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=12, blank=True,
                                choices=NominationDecision.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round_id", "unit_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "worker"],
                                               name="nomination_once_per_round")]

    def __str__(self):
        return f"{self.worker} · {self.round}"


# ---- subsidies and payroll -------------------------------------------------------------------

class SubsidyPolicy(models.Model):
    """A subsidy as the county's document sets it: which posts (kind, the level of the
    post's unit, and optionally town or community only), where (``unit``: everywhere
    beneath it), from and to which day, how much a month, what kind of subsidy, who pays
    it and how often. Several policies may apply to one post: different kinds add up; of
    one kind the nearest region's wins (workforce/rules.py, "Payroll")."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=100)
    post_kind = models.CharField(_("post"), max_length=12, choices=PostKind.choices)
    unit_level = models.PositiveSmallIntegerField(_("level of the post's unit"), choices=[
        (4, _("Township / street")), (5, _("Village / community"))])
    unit_kind = models.CharField(_("only units of the kind"), max_length=12, blank=True,
                                 help_text=_("Empty: every unit of that level."))
    kind = models.CharField(_("kind of subsidy"), max_length=16, choices=SubsidyKind.choices)
    funding = models.CharField(_("paid from"), max_length=16, choices=Funding.choices)
    cycle = models.CharField(_("paid"), max_length=12, choices=PayCycle.choices,
                             default=PayCycle.MONTHLY)
    monthly_amount = models.DecimalField(_("yuan a month"), max_digits=9, decimal_places=2)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to (inclusive)"), null=True, blank=True)
    document_number = models.CharField(_("document"), max_length=60, blank=True,
                                       help_text=_("e.g. 会残联发〔2012〕14号"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["post_kind", "unit_level", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(monthly_amount__gt=0),
                                   name="subsidypolicy_amount_positive"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="subsidypolicy_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("workforce:policy_edit", args=[self.pk])

    @property
    def unit_kind_label(self) -> str:
        from orgs.models import Kind

        return str(Kind(self.unit_kind).label) if self.unit_kind in Kind.values else ""


class PayrollRun(models.Model):
    """The subsidies of a period (a month, or a half-year for half-yearly policies) for a
    unit's subtree: computed as a preview, then confirmed, and locked once confirmed — a
    correction is an adjustment line. One confirmed run per unit, cycle and period (and
    none for an overlapping subtree: payroll_services)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    cycle = models.CharField(_("paid"), max_length=12, choices=PayCycle.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.DRAFT)
    batch = models.CharField(_("batch"), max_length=20, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "cycle", "period_start"],
                                    condition=models.Q(status="confirmed"),
                                    name="payrollrun_one_confirmed_per_period"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="payrollrun_period_ordered"),
        ]
        permissions = [("confirm_payrollrun", "Can confirm a payroll run")]

    def __str__(self):
        return f"{self.unit} · {self.period_label}"

    def get_absolute_url(self):
        return reverse("workforce:payroll_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == RunStatus.CONFIRMED

    @property
    def period_label(self) -> str:
        if self.cycle == PayCycle.HALF_YEARLY:
            half = "上半年" if self.period_start.month == 1 else "下半年"
            return f"{self.period_start.year}年{half}"
        return f"{self.period_start.year}年{self.period_start.month}月"


class PayrollLine(models.Model):
    """One worker's amount under one policy for one appointment in a run (computed), or a
    correction with its reason (an adjustment, paid in its own batch)."""

    scope_field = "unit"

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="lines",
                            verbose_name=_("payroll run"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit"))
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="payroll_lines",
                               verbose_name=_("worker"))
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")
    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+", verbose_name=_("policy"))
    line_kind = models.CharField(_("line"), max_length=12, choices=LineKind.choices,
                                 default=LineKind.COMPUTED)
    subsidy_kind = models.CharField(_("kind of subsidy"), max_length=16,
                                    choices=SubsidyKind.choices)
    post_title = models.CharField(_("post"), max_length=60, blank=True)
    monthly_amount = models.DecimalField(_("yuan a month"), max_digits=9, decimal_places=2,
                                         null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    basis = models.CharField(_("calculation"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=11, decimal_places=2)
    batch = models.PositiveSmallIntegerField(_("batch"), default=1)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ["run_id", "batch", "unit_id", "worker_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(line_kind="adjustment") | ~models.Q(reason=""),
                name="payrollline_adjustment_has_reason"),
        ]
        indexes = [models.Index(fields=["worker", "run"], name="payrollline_worker_idx")]

    def __str__(self):
        return f"{self.worker} · {self.amount}"
