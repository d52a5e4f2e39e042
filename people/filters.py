"""The register's list filters (django-filter), applied by the selectors to what the user may
see. The list page, its export and its filter bar read a query string through the same
FilterSet."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter

from core import crypto
from core.filters import CheckboxFilter, ChoiceFilter, FilterSet
from core.text import normalise_text
from orgs.filters import UnitFilter

from .choices import (
    AGE_BANDS,
    Category,
    Gender,
    Grade,
    Hukou,
    JobStatus,
    NeedStatus,
    NeedType,
    Status,
)
from .identity import normalise_id
from .models import ID_COLUMN, TAIL, JobSeeker, Need, Person
from .pinyin import normalise_query, pair_word

OPEN_NEED = Q(status__in=[NeedStatus.OPEN, NeedStatus.IN_PROGRESS])


def birth_date_bounds(min_age: int, max_age: int | None, today: dt.date) -> Q:
    """People aged ``min_age``..``max_age`` (inclusive) on ``today``, as birth-date bounds."""
    def years_before(years):
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    q = Q(birth_date__lte=years_before(min_age))
    if max_age is not None:
        q &= Q(birth_date__gt=years_before(max_age + 1))
    return q


def need_overdue_cutoff() -> dt.date:
    """Open needs registered before this day are overdue."""
    return timezone.localdate() - dt.timedelta(days=settings.CANLIAN_NEED_OVERDUE_DAYS)


def search_people(qs, query: str, prefix: str = ""):
    """``qs`` narrowed to the people ``query`` names (``prefix`` leads to the person, e.g.
    "person__"). Digits: an ID number (whole, or its last 4 to 17 characters) or a
    certificate number; latin letters: the pinyin key (full or initials); anything else:
    the name. (ID numbers are stored encrypted: a whole one is found by its lookup hash, an
    end by the hash of its last 4 characters and then the few people that share them.)"""
    query = normalise_text(query)
    if not query:
        return qs
    compact = normalise_id(query)
    if _id_like(compact) and len(compact) >= TAIL:
        if len(compact) == 20 and compact[18:].isdigit():
            holder = Person.objects.with_id(compact[:18]).filter(
                has_certificate=True, category=int(compact[18]), grade=int(compact[19]))
            return qs.filter(**{f"{prefix}pk__in": holder.values("pk")})
        if len(compact) == 18:
            return qs.filter(**{f"{prefix}pk__in": Person.objects.with_id(compact)
                                .values("pk")})
        if len(compact) < 18:
            return qs.filter(**{f"{prefix}pk__in": _ids_ending(compact)})
        return qs.none()
    return search_name(qs, query, prefix)


def search_name(qs, query: str, prefix: str = ""):
    """``qs`` narrowed to the names ``query`` (normalised) finds: latin letters by the
    pinyin key, two characters as a pair word of the key, more by a part of the name (each
    an index lookup on PostgreSQL: people/migrations/0009 and the README)."""
    if query.isascii():
        return qs.filter(**{f"{prefix}search_key__contains": normalise_query(query)})
    if len(query) == 2:
        return qs.filter(**{f"{prefix}search_key__contains": pair_word(query)})
    return qs.filter(**{f"{prefix}name__contains": query})


def _id_like(text: str) -> bool:
    """Digits, perhaps with an X as an ID number's check character (its 18th, or the last of
    a part of its end): a resident ID number, a certificate number, or a part of one."""
    if not text[:1].isdigit():
        return False
    if text.isdigit():
        return True
    if len(text) >= 18:
        return text[:17].isdigit() and text[17] == "X" and (text[18:] or "0").isdigit()
    return text[:-1].isdigit() and text[-1] == "X"


# A search by the end of an ID number opens at most this many numbers (the people sharing
# its last 4 characters: about one in ten thousand of the register).
TAIL_CANDIDATES = 20_000


def _ids_ending(tail: str) -> list[int]:
    """The people whose ID number ends with ``tail`` (4 to 17 characters)."""
    candidates = (Person.objects.with_id_ending(tail[-TAIL:]).order_by()
                  .values_list("pk", "id_cipher")[:TAIL_CANDIDATES])
    return [pk for pk, cipher in candidates
            if (crypto.unseal(cipher, column=ID_COLUMN) or "").endswith(tail)]


class PersonFilterSet(FilterSet):
    """The register: search by name, pinyin, initials, ID or certificate number, then by
    unit, certificate, person and needs."""

    more_filters = ("unit", "category", "grade", "gender", "age_band", "status", "certificate",
                    "open_needs", "need_type", "not_visited_this_year", "visit_due", "hukou")

    q = CharFilter(label=_("Name, pinyin, initials, ID or certificate number"),
                   method="filter_q", max_length=50)
    unit = UnitFilter()
    category = ChoiceFilter(label=_("Category"), choices=Category.choices)
    grade = ChoiceFilter(label=_("Grade"), choices=Grade.choices)
    gender = ChoiceFilter(label=_("Gender"), choices=Gender.choices)
    age_band = ChoiceFilter(label=_("Age"), choices=[(b[0], b[1]) for b in AGE_BANDS],
                            method="filter_age_band")
    status = ChoiceFilter(label=_("Status"), choices=Status.choices)
    certificate = ChoiceFilter(label=_("Certificate"), method="filter_certificate", choices=[
        ("yes", _("Holds a certificate")), ("no", _("No certificate yet"))])
    open_needs = CheckboxFilter(label=_("Has open needs"), method="filter_open_needs")
    need_type = ChoiceFilter(label=_("Open need of type"), choices=NeedType.choices,
                             method="filter_open_needs")
    not_visited_this_year = CheckboxFilter(label=_("Not visited this year"),
                                           method="filter_not_visited")
    visit_due = CheckboxFilter(label=_("Due a visit"), method="filter_visit_due")
    # The dashboard's urban and rural figures lead here (reports/dashboard_selectors.py).
    hukou = ChoiceFilter(label=_("Household registration"), choices=Hukou.choices)

    class Meta:
        model = Person
        fields = []

    def filter_q(self, qs, name, value):
        return search_people(qs, value)

    def filter_age_band(self, qs, name, value):
        band = next(b for b in AGE_BANDS if b[0] == value)
        return qs.filter(birth_date_bounds(band[2], band[3], timezone.localdate()))

    def filter_certificate(self, qs, name, value):
        return qs.filter(has_certificate=value == "yes")

    def filter_open_needs(self, qs, name, value):
        """Has an open need (of the chosen type, when one is chosen). Open needs and a need
        type together are one condition, not two."""
        if name == "open_needs" and self.form.cleaned_data.get("need_type"):
            return qs  # the need type's filter says it
        needs = Need.objects.filter(OPEN_NEED, person=OuterRef("pk"))
        if name == "need_type":
            needs = needs.filter(type=value)
        return qs.filter(Exists(needs))

    def filter_visit_due(self, qs, name, value):
        """As the due list: the latest visit set a next one, due today or earlier (the
        person's kept ``next_visit_due``)."""
        return qs.filter(next_visit_due__lte=timezone.localdate())

    def filter_not_visited(self, qs, name, value):
        """No visit this year: the kept latest visit is older, or there is none (visits
        are never in the future)."""
        start = dt.date(timezone.localdate().year, 1, 1)
        return qs.filter(Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=start))


class NeedFilterSet(FilterSet):
    """Needs: open ones (open or in progress) until asked otherwise."""

    more_filters = ("unit", "overdue_only")
    defaults = {"status": "open"}

    q = CharFilter(label=_("Person (name or pinyin)"), method="filter_q", max_length=50)
    type = ChoiceFilter(label=_("Type"), choices=NeedType.choices)
    status = ChoiceFilter(label=_("Status"), method="filter_status", empty_label=None, choices=[
        ("open", _("Open or in progress")), *NeedStatus.choices, ("", _("Any"))])
    unit = UnitFilter()
    overdue_only = CheckboxFilter(label=_("Overdue only"), method="filter_overdue")

    class Meta:
        model = Need
        fields = []

    def filter_q(self, qs, name, value):
        query = normalise_text(value)
        if not query:
            return qs
        return search_name(qs, query, "person__")

    def filter_status(self, qs, name, value):
        return qs.filter(OPEN_NEED) if value == "open" else qs.filter(status=value)

    def filter_overdue(self, qs, name, value):
        return qs.filter(OPEN_NEED, registered_on__lt=need_overdue_cutoff())


class JobSeekerFilterSet(FilterSet):
    search_field = None

    status = ChoiceFilter(label=_("Status"), choices=JobStatus.choices)

    class Meta:
        model = JobSeeker
        fields = []
