from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import crypto
from core.scope import ScopedManager, ScopedQuerySet, subtree_filter

from .choices import (
    ETHNICITY_CHOICES,
    Category,
    Education,
    Employment,
    Gender,
    Grade,
    Hukou,
    JobStatus,
    Living,
    Marital,
    MoveKind,
    NeedStatus,
    NeedType,
    Status,
    TransferStatus,
    VisitMode,
    WorkAbility,
)
from .identity import mask_id

# The ID number's column name in the cipher's associated data and the lookup hash: a value
# sealed for it opens nowhere else.
ID_COLUMN = "person.id_number"


TAIL_COLUMN = "person.id_number.tail"
TAIL = 4  # the characters a search by the end of the number reads: what a masked ID shows


def sealed_id(number: str | None) -> dict:
    """The stored columns of an ID number (already normalised and checked): encrypted, its
    lookup hash, and the lookup hash of its last 4 characters (a search by the end of the
    number, as a masked list shows it). None or "" gives empty columns.

    No part of the number is stored as itself, not even the masked form a list shows
    (620422********1234): with the birth date beside it, that form is the whole number."""
    if not number:
        return {"id_cipher": None, "id_hash": None, "id_tail": None}
    return {"id_cipher": crypto.seal(number, column=ID_COLUMN),
            "id_hash": crypto.lookup(number, column=ID_COLUMN),
            "id_tail": tail_lookup(number[-TAIL:])}


def tail_lookup(tail: str) -> str:
    """The lookup hash of an ID number's last 4 characters (16 hex characters: a search
    key, not unique)."""
    return crypto.lookup(tail, column=TAIL_COLUMN)[:16]


def id_lookup(number: str | None) -> str | None:
    """The lookup hash of a (normalised) ID number: ``Person.objects.filter(id_hash=...)``."""
    return crypto.lookup(number, column=ID_COLUMN)


class PersonQuerySet(ScopedQuerySet):
    def with_id(self, number: str | None):
        """The person holding the (normalised) ID ``number``, as a queryset (0 or 1 rows)."""
        if not number:
            return self.none()
        return self.filter(id_hash=id_lookup(number))

    def with_id_ending(self, tail: str):
        """The people whose ID number ends with the 4 characters ``tail`` (normalised)."""
        return self.filter(id_tail=tail_lookup(tail))


class Person(models.Model):
    """A registered disabled person (个人登记表, 建档立卡), with their certificate.

    Never deleted: leaving the register is a status (moved out, deceased, cancelled)."""

    scope_field = "unit"

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="people",
        verbose_name=_("village or community"),
    )
    grid = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("grid"),
    )
    name = models.CharField(_("full name"), max_length=50)
    search_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    # The ID number is never stored as itself (core/crypto.py): ``id_number`` below reads
    # and writes these three. A whole number is found by its hash, its end by the tail's.
    id_cipher = models.CharField(max_length=80, null=True, blank=True, editable=False)
    id_hash = models.CharField(max_length=crypto.HASH_LENGTH, null=True, blank=True,
                               editable=False)
    id_tail = models.CharField(max_length=16, null=True, blank=True, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    ethnicity = models.CharField(_("ethnicity"), max_length=10, choices=ETHNICITY_CHOICES,
                                 default="汉族")
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("home address"), max_length=200, blank=True)
    hukou = models.CharField(_("household registration"), max_length=5, choices=Hukou.choices)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices,
                                 blank=True)
    marital_status = models.CharField(_("marital status"), max_length=10,
                                      choices=Marital.choices, blank=True)
    living = models.CharField(_("living arrangement"), max_length=12, choices=Living.choices,
                              blank=True)
    guardian_name = models.CharField(_("guardian or contact"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=40, blank=True)
    guardian_relation = models.CharField(_("relation"), max_length=20, blank=True)
    dibao = models.BooleanField(_("minimum living allowance (dibao)"), default=False)
    tekun = models.BooleanField(_("support for the extremely poor (tekun)"), default=False)
    living_subsidy = models.BooleanField(_("living subsidy for the disabled in need"),
                                         default=False)
    care_subsidy = models.BooleanField(_("nursing subsidy for the severely disabled"),
                                       default=False)
    employment = models.CharField(_("employment"), max_length=14, choices=Employment.choices,
                                  blank=True)
    notes = models.TextField(_("notes"), blank=True)

    # The disability certificate (第二代残疾人证); all empty for someone awaiting assessment.
    # Its number is the holder's ID number, the category digit and the grade digit (the
    # rules check it), so it is not stored again: ``certificate_number`` below spells it.
    has_certificate = models.BooleanField(_("certificate holder"), default=False)
    certificate_issued_on = models.DateField(_("issued on"), null=True, blank=True)
    certificate_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    category = models.PositiveSmallIntegerField(_("category"), choices=Category.choices,
                                                null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices, null=True,
                                             blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ACTIVE, db_index=True)
    status_date = models.DateField(_("status since"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+")
    import_job = models.ForeignKey("imports.ImportJob", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("imported with"))
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # Kept facts of the person's visits (not typed, not versioned): the date of the latest
    # visit and the next visit it set, the latest being the last by (visited_on, id). Kept
    # in the same transaction by every write of visits (services.visit_facts_refresh), and
    # rebuilt by ``manage.py rebuild_visit_facts``; the due list, the coverage table and the
    # list's visit filters read them through an index instead of the visits themselves.
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True,
                                       editable=False)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True,
                                      editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit_id", "name", "id"]
        constraints = [
            # One person per ID number (and so per certificate number, which holds it).
            models.UniqueConstraint(fields=["id_hash"], name="person_id_hash_unique"),
            models.CheckConstraint(
                condition=models.Q(id_cipher__isnull=True, id_hash__isnull=True,
                                   id_tail__isnull=True)
                | models.Q(id_cipher__isnull=False, id_hash__isnull=False,
                           id_tail__isnull=False),
                name="person_id_sealed_whole",
            ),
            # 第二代残疾人证号 is the holder's ID number, the category and the grade.
            models.CheckConstraint(
                condition=models.Q(has_certificate=False)
                | models.Q(id_hash__isnull=False, category__isnull=False, grade__isnull=False),
                name="person_certificate_has_id_category_and_grade",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="person_unit_status_idx"),
            models.Index(fields=["name"], name="person_name_idx"),
            models.Index(fields=["id_tail"], name="person_id_tail_idx"),
            # The due list: active people by the date their next visit is due; with their
            # unit, so the counts of the due per unit are read from the index alone.
            models.Index(fields=["next_visit_due", "unit"], name="person_visit_due_idx",
                         condition=models.Q(status="active", next_visit_due__isnull=False)),
            # The coverage table: active people per unit with their kept visit facts, read
            # from the index alone.
            models.Index(fields=["status", "unit", "last_visited_on", "next_visit_due"],
                         name="person_visit_facts_idx"),
            # The kept counts' age bands are corrected by the birthdays in a few days: the
            # active people born on them and their unit, read from the index alone.
            models.Index(fields=["birth_date", "status", "unit"], name="person_birth_date_idx"),
        ]
        permissions = [("export_person", "Can export the register")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("people:person_detail", args=[self.pk])

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("_id_opened", None)
        self.__dict__.pop("_certificate_typed", None)

    @property
    def id_number(self) -> str | None:
        """The ID number, decrypted (once per value held)."""
        cipher = self.id_cipher
        opened = self.__dict__.get("_id_opened")
        if opened is None or opened[0] != cipher:
            opened = (cipher, crypto.unseal(cipher, column=ID_COLUMN))
            self.__dict__["_id_opened"] = opened
        return opened[1]

    @id_number.setter
    def id_number(self, number: str | None) -> None:
        number = number or None
        for name, value in sealed_id(number).items():
            setattr(self, name, value)
        self.__dict__["_id_opened"] = (self.id_cipher, number)

    @property
    def certificate_number(self) -> str | None:
        """The certificate number: as typed until the rules have checked it, then the ID
        number, the category digit and the grade digit."""
        if "_certificate_typed" in self.__dict__:
            return self.__dict__["_certificate_typed"]
        if not self.has_certificate or self.category is None or self.grade is None:
            return None
        return f"{self.id_number}{int(self.category)}{int(self.grade)}"

    @certificate_number.setter
    def certificate_number(self, number: str | None) -> None:
        self.__dict__["_certificate_typed"] = number or None
        self.has_certificate = bool(number)

    def certificate_checked(self) -> None:
        """The typed certificate number agrees with the ID, category and grade (the rules
        said so): from now on it is spelled from them."""
        self.__dict__.pop("_certificate_typed", None)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_certificate(self) -> str:
        return mask_id(self.certificate_number)


class PersonEvent(models.Model):
    """What happened to a person after their registration: moved in or out, deceased,
    certificate cancelled, active again. (The registration itself is a fact of the person's
    row, not stored again here: selectors.status_history puts it first.)"""

    scope_field = "person__unit"

    class Kind(models.TextChoices):
        MOVED_IN = "moved_in", _("Moved in")
        MOVED_OUT = "moved_out", _("Moved out")
        DECEASED = "deceased", _("Deceased")
        CANCELLED = "cancelled", _("Certificate cancelled")
        REACTIVATED = "reactivated", _("Active again")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    on = models.DateField(_("date"))
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit at the time"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.on:%Y-%m-%d}"


# The event a change to each status is recorded as.
STATUS_EVENTS = {
    Status.DECEASED: PersonEvent.Kind.DECEASED,
    Status.CANCELLED: PersonEvent.Kind.CANCELLED,
    Status.MOVED_OUT: PersonEvent.Kind.MOVED_OUT,
    Status.ACTIVE: PersonEvent.Kind.REACTIVATED,
}


class TransferQuerySet(ScopedQuerySet):
    def scope_q(self, path: str) -> models.Q:
        """A transfer is seen from both ends: the unit giving and the unit receiving."""
        return subtree_filter(path, "to_unit__path") | subtree_filter(path, "from_unit__path")


class Transfer(models.Model):
    """A person moving from one unit to another (户籍迁移 or a correction): done at once by
    the unit that holds the person, or requested by the receiving unit and accepted."""

    scope_field = "to_unit"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("from"))
    to_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("to"))
    kind = models.CharField(_("kind"), max_length=12, choices=MoveKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = models.Manager.from_queryset(TransferQuerySet)()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at", "-id"]

    def __str__(self):
        return f"{self.person} {self.from_unit} → {self.to_unit}"


class Need(models.Model):
    """A service need (服务需求登记表)."""

    scope_field = "person__unit"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="needs")
    type = models.CharField(_("type"), max_length=16, choices=NeedType.choices)
    detail = models.TextField(_("detail"), blank=True)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="+",
                                      verbose_name=_("registered by"))
    status = models.CharField(_("status"), max_length=12, choices=NeedStatus.choices,
                              default=NeedStatus.OPEN, db_index=True)
    responsible = models.CharField(_("responsible"), max_length=100, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("what was done"), blank=True)
    unmet_reason = models.CharField(_("why it cannot be met"), max_length=200, blank=True)
    visit = models.ForeignKey("Visit", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="needs_found", verbose_name=_("found on visit"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Offline sync (the API): the id the phone gave the need when it made it offline, so a
    # need sent twice is made once. Empty for one typed on a page.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["registered_on", "id"]
        indexes = [models.Index(fields=["status", "registered_on"], name="need_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="unmet") | ~models.Q(unmet_reason=""),
                name="need_unmet_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_type_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in (NeedStatus.OPEN, NeedStatus.IN_PROGRESS)


class Visit(models.Model):
    """A visit (走访) to a person."""

    scope_field = "person__unit"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("date"), db_index=True)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+", verbose_name=_("visiting worker"))
    worker_name = models.CharField(_("visiting worker"), max_length=60)
    mode = models.CharField(_("mode"), max_length=12, choices=VisitMode.choices)
    findings = models.TextField(_("what was found"), blank=True)
    next_due = models.DateField(_("next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Offline sync (the API): the id the phone gave the visit when it recorded it offline,
    # so a visit sent twice is recorded once. Empty for one typed on a page.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-id"]
        indexes = [
            # A person's latest visit is the first entry of their range (visit facts).
            models.Index(fields=["person", "-visited_on", "-id"], name="visit_person_latest_idx"),
        ]

    def __str__(self):
        return f"{self.person} · {self.visited_on:%Y-%m-%d}"


class JobSeeker(models.Model):
    """A job-seeking registration (求职登记表)."""

    scope_field = "person__unit"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="job_seeking")
    registered_on = models.DateField(_("registered on"))
    work_wished = models.CharField(_("work wished for"), max_length=200)
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    training_wanted = models.CharField(_("training wanted"), max_length=200, blank=True)
    ability = models.CharField(_("ability to work"), max_length=10, choices=WorkAbility.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.SEEKING)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    placed_on = models.DateField(_("placed on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("job seeker")
        verbose_name_plural = _("job seekers")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="placed")
                | (~models.Q(employer="") & models.Q(placed_on__isnull=False)),
                name="jobseeker_placed_has_employer_and_date",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.work_wished}"


# ---- the kept counts (people.counts) ------------------------------------------------------------

def _count_keys() -> tuple[str, ...]:
    """What the summary table counts of a unit's active people, one key each (the keys of
    reports.selectors.COUNT_KEYS): certificates, category × grade and grade of the
    certified, gender, age band, household registration."""
    from .choices import AGE_BANDS, Category, Gender, Grade, Hukou

    return (
        "total", "certificate.yes", "certificate.no",
        *(k for c in Category for k in (f"category.{c.value}",
                                          *(f"category.{c.value}.grade.{g.value}"
                                            for g in Grade))),
        *(f"grade.{g.value}" for g in Grade),
        *(f"gender.{g.value}" for g in Gender),
        *(f"age.{code}" for code, _label, _low, _high in AGE_BANDS),
        *(f"hukou.{h.value}" for h in Hukou),
    )


COUNT_KEYS = _count_keys()


def count_column(key: str) -> str:
    """The column of UnitCount holding ``key``."""
    return key.replace(".", "_").replace("-", "_").replace("+", "plus").lower()


class UnitCount(models.Model):
    """The summary table's counts of one village's (or community's) active people, kept by
    every write that changes them (people.counts), so a province's table reads one row per
    village instead of every person. The age bands are counted on CountBase.aged_on."""

    scope_field = "unit"

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, primary_key=True,
                                related_name="+")
    for _key in COUNT_KEYS:
        locals()[count_column(_key)] = models.IntegerField(default=0)
    del _key

    objects = ScopedManager()

    class Meta:
        verbose_name = _("kept counts of a unit")
        verbose_name_plural = _("kept counts of units")

    def __str__(self):
        return f"{self.unit_id}: {self.total}"


class CountBase(models.Model):
    """One row: the day the kept age bands (UnitCount.age_*) are counted on. Moved to the
    day of a full rebuild (manage.py rebuild_counts); reads on other days correct the bands
    by the people whose birthday crossed a band's edge in between."""

    aged_on = models.DateField()

    class Meta:
        verbose_name = _("base of the kept counts")
        verbose_name_plural = _("base of the kept counts")

    def __str__(self):
        return str(self.aged_on)


class CountChange(models.Model):
    """The dated history of the kept counts: a person begins (+1) or ends (−1) being counted
    in a unit on ``day`` (registered, moved, left the register, active again). The counts
    as of a day are today's minus the changes after it (people.counts.counts_as_of); the
    person's current details say what they are counted as. A person's days never go back:
    a change is dated no earlier than the person's previous one (see people.counts)."""

    scope_field = "unit"

    # Derived rows, written only by people.counts from the person's own row (an import: by
    # INSERT … SELECT from the people it just wrote) and rebuilt from the register by
    # ``rebuild_counts``, which also checks them: no foreign-key constraint in the database
    # (the relation and its CASCADE stay Django's). Checking each row's person and unit
    # cost an import a second of its 100,000 people on PostgreSQL, to confirm what the
    # statement had just read from those people.
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                               db_constraint=False)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+",
                             db_constraint=False)
    day = models.DateField()
    n = models.SmallIntegerField()
    # What the person is counted as, their current details (kept with the person's: every
    # change of them rewrites the person's rows), so the changes after a day are summed
    # without a look-up of each person (people.counts.DETAILS).
    has_certificate = models.BooleanField(default=False)
    category = models.PositiveSmallIntegerField(null=True)
    grade = models.PositiveSmallIntegerField(null=True)
    gender = models.CharField(max_length=1, default="")
    hukou = models.CharField(max_length=5, default="")
    birth_date = models.DateField(null=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("change of the kept counts")
        verbose_name_plural = _("changes of the kept counts")
        indexes = [models.Index(fields=["day"], name="countchange_day_idx")]

    def __str__(self):
        return f"{self.person_id} {self.unit_id} {self.day} {self.n:+d}"


class UnitVisitCount(models.Model):
    """Kept: how many of a village's active people were visited at least once in a year —
    the coverage table's and the home page's "visited" of any year, one row a village and
    year instead of a look-up of every person's visits. Kept by every write of visits and
    every status change or move of a visited person, in its transaction (people.counts)."""

    scope_field = "unit"

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    visited = models.IntegerField(default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("kept visit count of a unit")
        verbose_name_plural = _("kept visit counts of units")
        constraints = [models.UniqueConstraint(fields=["unit", "year"],
                                               name="unitvisitcount_unit_year_unique")]

    def __str__(self):
        return f"{self.unit_id} {self.year}: {self.visited}"
