"""Every list table of the project (each app's tables.py): drawn by the project's own
template, sorted only on cheap columns, never showing a full ID number."""

import importlib
import importlib.util

import pytest
from django.db import models

from core.tables import ObjectTable

from .test_out_of_scope import project_apps


def project_tables():
    for config in project_apps():
        name = f"{config.name}.tables"
        if config.name != "core" and importlib.util.find_spec(name):
            importlib.import_module(name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted({t for t in subclasses(ObjectTable) if t.__module__.split(".")[0] != "core"},
                  key=lambda t: f"{t.__module__}.{t.__name__}")


TABLES = project_tables()


def test_the_lists_tables_are_found():
    assert {t.__name__ for t in TABLES} >= {"PersonTable", "NeedTable", "JobSeekerTable",
                                            "UserTable", "AuditTable"}


def cheap(model, path: str) -> tuple[bool, str]:
    """Whether ordering ``model`` rows by ``path`` is cheap: through forward foreign keys
    only (joins the selector already makes), to a field that is indexed, or that the model
    is ordered by anyway."""
    *joins, last = path.split("__")
    for name in joins:
        field = model._meta.get_field(name)
        if not (field.many_to_one or field.one_to_one) or field.auto_created:
            return False, f"{name} is not a forward foreign key"
        model = field.related_model
    try:
        field = model._meta.get_field(last)
    except Exception:  # noqa: BLE001 - an annotation or a property
        return False, f"{last} is not a field of {model.__name__}"
    if not field.concrete:
        return False, f"{last} is not a column"
    first_of_index = {index.fields[0] for index in model._meta.indexes} | {
        c.fields[0] for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields}
    indexed = (field.primary_key or field.unique or field.db_index or field.many_to_one
               or last in first_of_index)
    ordered = last in {name.lstrip("-") for name in model._meta.ordering}
    return indexed or ordered, f"{model.__name__}.{last} is neither indexed nor the order"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_tables_use_the_project_template_and_sort_cheaply(table):
    assert table._meta.template_name == "components/table.html"
    model = table._meta.model
    bound = table(model._default_manager.none())
    assert bound.columns.names(), "a table with no columns"
    for column in bound.columns:
        if not column.orderable:
            continue
        for key in column.order_by:
            ok, why = cheap(model, key.bare)
            assert ok, f"{table.__name__}.{column.name} sorts by {key.bare}: {why}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.__name__)
def test_no_list_shows_a_full_id_number(table):
    bound = table(table._meta.model._default_manager.none())
    for column in bound.columns:
        accessor = str(column.accessor)
        assert not accessor.endswith(("id_number", "certificate_number")), (
            f"{table.__name__}.{column.name} shows {accessor}: lists show masked_id")


def test_the_cheap_rule_can_fail():
    from people.models import JobSeeker, Need, Person

    assert cheap(Person, "name")[0] and cheap(Person, "unit__path")[0]
    assert cheap(Need, "person__name")[0] and cheap(JobSeeker, "registered_on")[0]
    assert not cheap(Person, "phone")[0]  # no index, not the order
    assert not cheap(Person, "needs__type")[0]  # a reverse relation: one row per need
    assert not cheap(Person, "masked_id")[0]  # a property
