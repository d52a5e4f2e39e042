"""Reads behind the public pages (/public/, no login) and the service cards (服务家园卡,
doc1: "制作了社区残疾人专职委员服务家园卡,公开了社区残疾人专职委员职责和联系方式").

What they return is public by design and nothing else: a village's name and division
code, its township's and county's names, the liaison officers' names, titles and work
phones, and the township DPF's service window (address, phone, hours). Nothing of the
register is read. The public reads have no user (the public page shows the same to
everyone); the cards' read starts from the staff user's scope (``unit_get``)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from core.text import normalise_text
from orgs.models import Level, OrgUnit
from workforce.choices import PostKind, post_title
from workforce.models import Appointment

SEARCH_LIMIT = 20

# What every village's liaison officer does (the county's uniform duties, doc4: "统一定制了
# …村残疾人专职委员工作职责"), as the card and the page print them.
LIAISON_DUTIES = (
    _("Knows every disabled person of the village or community and visits them at home."),
    _("Registers their needs (rehabilitation, education, employment, rights) and follows "
      "them up."),
    _("Helps with the disability certificate, subsidies and other applications, and passes "
      "on what the township DPF handles."),
    _("Makes the policies for disabled people known and organises assistance activities."),
)


@dataclass(frozen=True)
class Officer:
    name: str
    title: str
    phone: str


@dataclass(frozen=True)
class ServiceWindow:
    """The township DPF's service window (便民窗口)."""

    name: str
    address: str
    phone: str
    hours: str


@dataclass(frozen=True)
class PublicUnit:
    """A village or community as the public page and its card show it."""

    code: str
    name: str
    township: str
    county: str
    officers: tuple[Officer, ...]
    window: ServiceWindow

    @property
    def vacant(self) -> bool:
        return not self.officers


@dataclass(frozen=True)
class Hit:
    code: str
    name: str
    township: str
    county: str


def _villages():
    return OrgUnit.objects.active().filter(level=Level.VILLAGE).exclude(code__isnull=True)


def public_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Hit]:
    """At most ``limit`` villages and communities that exist today found by ``query``: a
    division code by its beginning, latin letters by the pinyin of the name (full or
    initials: "dongshan", "dsg"), anything else by a part of the name. Best first: the
    exact name, names beginning with the query, then by code. One query."""
    query = normalise_text(query)
    if not query:
        return []
    qs = _villages()
    compact = "".join(query.split())
    if compact.isascii() and compact.isdigit():
        qs = qs.filter(code__startswith=compact)
        rank = Case(When(code=compact, then=Value(0)), default=Value(1),
                    output_field=IntegerField())
    elif compact.isascii():
        key = compact.lower()
        qs = qs.filter(search_key__contains=key)
        rank = Case(When(search_key__startswith=key, then=Value(1)), default=Value(2),
                    output_field=IntegerField())
    else:
        qs = qs.filter(name__contains=query)
        rank = Case(When(name=query, then=Value(0)), When(name__startswith=query, then=Value(1)),
                    default=Value(2), output_field=IntegerField())
    rows = (qs.annotate(rank=rank).order_by("rank", "code", "pk")
            .values_list("code", "name", "parent__name", "parent__parent__name")[:limit])
    return [Hit(*row) for row in rows]


def _window(township: OrgUnit | None) -> ServiceWindow:
    profile = getattr(township, "profile", None) if township is not None else None
    return ServiceWindow(name=township.name if township is not None else "",
                         address=profile.address if profile else "",
                         phone=profile.phone if profile else "",
                         hours=profile.service_hours if profile else "")


def _officers(villages: list[OrgUnit]) -> dict[int, list[Officer]]:
    """The liaison officers in office today of each of ``villages``: one query."""
    found: dict[int, list[Officer]] = defaultdict(list)
    for appointment in (Appointment.objects.current()
                        .filter(post__unit__in=[v.pk for v in villages],
                                post__kind=PostKind.LIAISON)
                        .select_related("worker", "post")
                        .order_by("post__unit_id", "starts_on", "pk")):
        post = appointment.post
        found[post.unit_id].append(Officer(
            name=appointment.worker.name,
            title=post.title or post_title(post.kind, Level.VILLAGE),
            phone=appointment.worker.phone))
    return found


def _public(village: OrgUnit, township: OrgUnit | None, officers) -> PublicUnit:
    county = township.parent if township is not None else None
    return PublicUnit(code=village.code or "", name=village.name,
                      township=township.name if township is not None else "",
                      county=county.name if county is not None else "",
                      officers=tuple(officers.get(village.pk, ())), window=_window(township))


def public_unit(code: str) -> PublicUnit | None:
    """The village or community of division code ``code`` that exists today (None: no such
    unit, or abolished). Two queries."""
    if not (code.isascii() and code.isdigit()):
        return None
    village = (_villages().filter(code=code)
               .select_related("parent__parent", "parent__profile").first())
    if village is None:
        return None
    return _public(village, village.parent, _officers([village]))


def public_units_beneath(township: OrgUnit) -> list[PublicUnit]:
    """Every village and community of ``township`` (already in the caller's scope) that
    exists today, by code, for its cards. Three queries whatever their number."""
    township = (OrgUnit.objects.filter(pk=township.pk)
                .select_related("parent", "profile").get())
    villages = list(_villages().filter(parent=township).order_by("code", "pk"))
    officers = _officers(villages)
    return [_public(v, township, officers) for v in villages]


def public_unit_of(village: OrgUnit) -> PublicUnit:
    """``village`` (already in the caller's scope) as its card shows it. Two queries."""
    village = (OrgUnit.objects.filter(pk=village.pk)
               .select_related("parent__parent", "parent__profile").get())
    return _public(village, village.parent, _officers([village]))

