"""The workforce's demo on the standard tree with a few registered people: officers in most
units, written through the rules (so valid), with the exceptions the checks list, and loaded
once."""

from core.actors import SYSTEM
from orgs import services as org_services
from orgs.models import Level
from people.tests.factories import make_person
from workforce import rules, selectors
from workforce.demo import load_workforce_demo
from workforce.models import Appointment, Worker


def test_the_demo_has_officers_vacancies_and_exceptions(tree):
    for i in range(30):
        org_services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                                 code=f"620422100{400 + i:03d}", name=f"演示村{i}")
    for village in tree.county.children.model.objects.within(tree.county).filter(
            level=Level.VILLAGE):
        for n in range(3):
            make_person(unit=village, name=f"{village.name[:2]}{n}")
    total = load_workforce_demo(county=tree.county)
    assert total == Worker.objects.count() and total > 50
    assert load_workforce_demo(county=tree.county) == total  # nothing twice
    current = Appointment.objects.current()
    villages = tree.county.children.model.objects.within(tree.county).filter(
        level=Level.VILLAGE).count()
    with_officer = current.filter(post__kind="liaison", post__unit__level=Level.VILLAGE) \
        .values("post__unit").distinct().count()
    assert 0.75 * villages <= with_officer < villages  # most, not all
    lines = selectors.vacancies(user=tree.county_admin)
    assert any(s.kind == "liaison" for s in lines) and any(s.kind == "chair" for s in lines)
    assert any(s.vacant_since is not None for s in lines)  # an officer who resigned
    officers = list(selectors.liaison_officers(user=tree.county_admin))
    tied = [a for a in officers if rules.is_tied(a.worker.connection)]
    assert 0.85 * len(officers) <= len(tied) < len(officers)  # a few exceptions
    assert all(a.worker.person_id for a in tied)  # each linked to the register
    assert Appointment.objects.exclude(ended_on=None).filter(end_reason="resigned").exists()
    holdings = set(current.filter(post__kind="chair", post__unit__level=Level.VILLAGE)
                   .values_list("holding", flat=True))
    assert holdings <= {"committee_head", "committee_deputy"} and holdings
