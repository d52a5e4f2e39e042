"""Every URL of the project, requested by every role of the standard tree: none answers
with an error (500 or an exception), and none shows the name of a person registered
outside the user's subtree — in a page, a message, or inside a downloaded workbook.

The objects the URLs name come from the apps' scope modules (see test_out_of_scope.py);
a person with a name found nowhere else is registered in another county, and the
community's officer has asked for them by ID number (a transfer waiting for a decision,
which must not name them); the person the object pages show has moved away and back. A
POST-only view is asked with an empty POST."""

import io
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.actors import SYSTEM
from core.tests.test_out_of_scope import OBJECT_URLS, scope_modules
from orgs import services as org_services
from orgs.models import Level
from people import services as people_services
from people.models import Person
from people.tests.factories import make_person

ROLES = ("county_admin", "township_officer", "village_officer", "leader", "auditor")
ALLOWED = {200, 302, 403, 404}
OUTSIDER = "隔壁县欧阳秘密"
# The values of URL arguments other than an object's pk.
ARGUMENTS = {"kind": "people", "code": "620422100001"}  # code: a village's public page
# Asked last: it ends the session.
LAST = ("accounts:logout",)


def _patterns(resolver=None, namespace=""):
    """(name, the pattern's arguments) of every URL but the superuser's admin site."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"a URL without a name: {entry.pattern}"
            yield f"{namespace}{entry.name}", set(entry.pattern.converters)


def _urls(world) -> list[tuple[str, str]]:
    urls = []
    for name, arguments in _patterns():
        kwargs = {}
        for argument in arguments:
            if argument == "pk":
                assert name in OBJECT_URLS, f"{name}: declare it in its app's tests/scope.py"
                kwargs["pk"] = getattr(world, OBJECT_URLS[name][0]).pk
            else:
                assert argument in ARGUMENTS, f"{name}: add a value for {argument} here"
                kwargs[argument] = ARGUMENTS[argument]
        urls.append((name, reverse(name, kwargs=kwargs)))
    return sorted(urls, key=lambda item: item[0] in LAST)


def _text(response) -> str:
    """What the response shows: its body, or every part of a workbook it downloads."""
    content = (b"".join(response.streaming_content) if response.streaming
               else response.content)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            content = b"".join(book.read(name) for name in book.namelist())
    return content.decode("utf-8", errors="replace")


@pytest.fixture
def world(tree):
    """The standard tree, what every app's scope module builds in it, and a person in
    another county whom the community's officer has asked for."""
    for module in scope_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(tree)
    county = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                      code="620421", name="靖远县")
    township = org_services.unit_create(actor=SYSTEM, parent=county, level=Level.TOWNSHIP,
                                        code="620421100", name="乌兰镇")
    village = org_services.unit_create(actor=SYSTEM, parent=township, level=Level.VILLAGE,
                                       code="620421100200", name="北关村民委员会")
    tree.outsider = make_person(unit=village, name=OUTSIDER)
    # The person the object pages show has moved away and back (their history has moves).
    second = org_services.unit_create(actor=SYSTEM, parent=tree.other_township,
                                      level=Level.VILLAGE, code="620422101201",
                                      name="王家岔村民委员会")
    people_services.person_move(actor=SYSTEM, person=tree.person, to_unit=second)
    people_services.person_move(actor=SYSTEM, person=tree.person, to_unit=tree.other_village)
    people_services.transfer_request(actor=tree.village_officer,
                                     id_number=tree.outsider.id_number,
                                     to_unit=tree.community)
    return tree


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_every_role_without_error_or_leak(world, client, role):
    user = getattr(world, role)
    client.raise_request_exception = False  # an exception is a 500 here, reported below
    client.force_login(user, backend="accounts.backends.RoleBackend")
    hidden = set(Person.objects.exclude(pk__in=Person.objects.visible_to(user))
                 .values_list("name", flat=True))
    assert OUTSIDER in hidden
    problems = []
    for name, url in _urls(world):
        response = client.get(url)
        allowed = ALLOWED
        if response.status_code == 405:  # a POST-only view
            response = client.post(url)
            if name.startswith("api-1:"):  # the API refuses what it cannot do (a transfer
                allowed = ALLOWED | {422}  # decided already) with its message, as JSON
        if response.status_code not in allowed:
            problems.append(f"{name} {url}: {response.status_code}")
            continue
        text = _text(response)
        problems += [f"{name} {url}: shows {person}" for person in hidden if person in text]
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_every_kind_of_url(world):
    """The walk itself: pages, object pages, POST-only views and downloads are all in it."""
    names = {name for name, _url in _urls(world)}
    assert {"home", "people:person_list", "people:person_detail", "people:transfer_request",
            "people:transfer_decide", "imports:import_template", "imports:import_rejected",
            "people:person_export", "accounts:logout"} <= names
    assert _urls(world)[-1][0] == "accounts:logout"
