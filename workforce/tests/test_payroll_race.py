"""Two people confirming the same period at once: one succeeds, the other is refused —
by the lock on the units' rows (an overlapping area waits, then finds the period locked),
and, were the lock gone, by the unique constraint. PostgreSQL only: SQLite has one writer,
so there two confirmations can never overlap."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from core.actors import SYSTEM
from workforce import payroll_services as services
from workforce.models import PayrollRun
from workforce.tests.factories import make_officer, make_policy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite has one writer: confirmations never overlap"),
]


def _previews(tree, *units):
    make_officer(unit=tree.community, name="全月")
    make_policy(unit=tree.county)
    return [services.payroll_run(actor=SYSTEM, unit=unit, cycle="monthly", year=2024, part=3)
            for unit in units]


def _confirm_in(name, run, outcome):
    def work():
        from django.db import connection

        try:
            outcome[name] = services.payroll_confirm(actor=SYSTEM, run=run)
        except ValidationError as exc:
            outcome[name] = exc
        except BaseException as exc:  # noqa: BLE001 - shown by the assertions
            outcome[name] = exc
        finally:
            connection.close()

    return threading.Thread(target=work, name=name)


def _hold_first(monkeypatch, *, after_check: bool):
    """Thread "first" stops inside its confirmation (before or after its check) until
    ``go_on`` is set; ``inside`` is set when it gets there."""
    inside, go_on = threading.Event(), threading.Event()
    real = services._refuse_locked

    def refuse_locked(*args, **kwargs):
        if threading.current_thread().name == "first" and not after_check:
            inside.set()
            assert go_on.wait(30)
        real(*args, **kwargs)
        if threading.current_thread().name == "first" and after_check:
            inside.set()
            assert go_on.wait(30)

    monkeypatch.setattr(services, "_refuse_locked", refuse_locked)
    return inside, go_on


def test_an_overlapping_confirmation_waits_for_the_first_then_is_refused(tree, monkeypatch):
    township_run, county_run = _previews(tree, tree.township, tree.county)
    inside, go_on = _hold_first(monkeypatch, after_check=True)
    outcome = {}
    first = _confirm_in("first", township_run, outcome)
    second = _confirm_in("second", county_run, outcome)
    first.start()
    try:
        assert inside.wait(30), outcome
        second.start()
        time.sleep(1.0)
        assert second.is_alive(), outcome  # it waits on the lock of the units' rows
    finally:
        go_on.set()
        first.join(30)
        second.join(30)
    assert isinstance(outcome["first"], PayrollRun) and outcome["first"].is_locked
    assert isinstance(outcome["second"], ValidationError), outcome
    assert "locked" in str(outcome["second"]) or "锁定" in str(outcome["second"])
    assert list(PayrollRun.objects.filter(status="confirmed")
                .values_list("unit", flat=True)) == [tree.township.pk]


def test_without_the_lock_the_unique_constraint_refuses_the_second(tree, monkeypatch):
    one, two = _previews(tree, tree.township, tree.township)
    monkeypatch.setattr(services, "_lock_units", lambda unit: None)
    inside, go_on = _hold_first(monkeypatch, after_check=True)
    outcome = {}
    first = _confirm_in("first", one, outcome)
    second = _confirm_in("second", two, outcome)
    first.start()
    try:
        assert inside.wait(30), outcome
        second.start()  # passes the check too: the first has not saved yet
        second.join(30)
    finally:
        go_on.set()
        first.join(30)
    results = [outcome["first"], outcome["second"]]
    assert sum(isinstance(r, PayrollRun) for r in results) == 1, results
    refused = next(r for r in results if not isinstance(r, PayrollRun))
    assert isinstance(refused, ValidationError), refused
    assert PayrollRun.objects.filter(status="confirmed").count() == 1
