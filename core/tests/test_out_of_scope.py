"""A generated test: every URL that names an object answers 404 to a user of another
subtree — in pages, exports and API alike — and never 403 (which would confirm it exists).

Each app declares its own, in ``<app>/tests/scope.py``:

    OBJECT_URLS = {"people:need_edit": ("need", "get"), ...}   # URL name: (tree attribute, method)

    def build(tree):          # optional: add the objects asked for to the standard tree,
        tree.need = ...       # all in 郭城驿镇 (the other township)

and this test gathers them from every installed app of the project, so a new app never
edits a core test. A URL with a ``pk`` that no app names fails the first test."""

import importlib
import importlib.util
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level

PROJECT = Path(settings.BASE_DIR).resolve()


def project_apps():
    """The installed apps whose code is this project's (not Django's or a package's)."""
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(PROJECT) and ".venv" not in path.parts:
            yield config


def scope_modules():
    """Each project app's tests/scope.py, in the order of INSTALLED_APPS."""
    modules = []
    for config in project_apps():
        name = f"{config.name}.tests.scope"
        if importlib.util.find_spec(f"{config.name}.tests") and importlib.util.find_spec(name):
            modules.append(importlib.import_module(name))
    return modules


def declared_urls() -> dict[str, tuple[str, str]]:
    urls: dict[str, tuple[str, str]] = {}
    for module in scope_modules():
        for name, entry in module.OBJECT_URLS.items():
            assert name not in urls, f"{name} is declared twice (again in {module.__name__})"
            urls[name] = entry
    return urls


OBJECT_URLS = declared_urls()


@pytest.fixture
def world(tree):
    """The standard tree plus what each app's scope module builds in it."""
    for module in scope_modules():
        build = getattr(module, "build", None)
        if build is not None:
            build(tree)
    return tree


def _object_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the superuser's admin site; no scoped user reaches it
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _object_urls(entry, inner)
        elif isinstance(entry, URLPattern) and "pk" in entry.pattern.converters:
            yield f"{namespace}{entry.name}"


def test_the_apps_name_every_url_with_an_object():
    assert set(_object_urls()) == set(OBJECT_URLS)


def test_the_scope_modules_are_found():
    """The collection itself: the apps that have object pages are all read."""
    found = {module.__name__ for module in scope_modules()}
    assert {"core.tests.scope", "imports.tests.scope", "orgs.tests.scope",
            "accounts.tests.scope", "people.tests.scope", "reports.tests.scope",
            "workforce.tests.scope", "ledgers.tests.scope", "standards.tests.scope",
            "api.tests.scope"} <= found
    assert all(name.startswith(("core:", "imports:", "orgs:", "accounts:", "people:",
                                "reports:", "workforce:", "ledgers:", "standards:",
                                "api-1:"))
               for name in OBJECT_URLS)


def test_every_object_url_is_404_outside_the_scope(world, client_for):
    tree = world
    # An administrator of a neighbouring county: every right, none of this county's rows.
    neighbour = org_services.unit_create(actor=SYSTEM, parent=tree.city, level=Level.COUNTY,
                                         code="620421", name="靖远县")
    outsider = UserFactory(username="t_neighbour", unit=neighbour, role=Role.ADMIN)
    client = client_for(outsider)
    for name, (attr, method) in OBJECT_URLS.items():
        url = reverse(name, args=[getattr(tree, attr).pk])
        response = getattr(client, method)(url)
        assert response.status_code == 404, (name, response.status_code)


def test_the_same_urls_answer_inside_the_scope(world, client_for):
    tree = world
    client = client_for(tree.county_admin)
    for name, (attr, method) in OBJECT_URLS.items():
        if method != "get":
            continue
        response = client.get(reverse(name, args=[getattr(tree, attr).pk]))
        assert response.status_code == 200, (name, response.status_code)
