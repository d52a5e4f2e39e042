"""The demo's letters and visits (ledgers/demo_petitions.py) on the standard tree (会师镇 is
620422100 there too): a year of petitions with an overdue one flagged to the township, one
reopened after an unsatisfied reply, one not accepted, a repeat by a registered person;
loading it twice adds nothing."""

from django.utils import timezone

from ledgers import demo, demo_petitions
from ledgers import petitions_selectors as selectors
from ledgers.models import Petition, PetitionEvent
from people.tests.factories import make_person


def test_the_petitions_demo(tree):
    assert "demo_petitions" in demo.PARTS
    make_person(unit=tree.community, name="马有福")
    today = timezone.localdate()
    line = demo_petitions.load(tree.county, today)
    assert "来信来访" in line
    petitions = Petition.objects.within(tree.township)
    assert petitions.count() == len(demo_petitions.PETITIONS) + 2
    assert not Petition.objects.within(tree.other_township).exists()
    flagged = list(selectors.overdue_flagged(user=tree.township_officer))
    assert flagged and all(p.unit.parent_id == tree.township.pk for p in flagged)
    reopened = PetitionEvent.objects.filter(to_status="reopened").values_list("petition",
                                                                             flat=True)
    assert len(reopened) == 1
    again = Petition.objects.get(pk=reopened[0])
    assert again.status == "handling" and again.satisfaction == "not_satisfied"
    assert petitions.filter(status="not_accepted").count() == 1
    assert petitions.filter(status="closed").count() >= 6
    assert petitions.filter(repeat_of="person").exists()
    assert max(p.received_on for p in petitions) <= today
    assert (today - min(p.received_on for p in petitions)).days <= 366
    # Loading it twice changes nothing.
    assert demo_petitions.load(tree.county, today) == ""
    assert Petition.objects.count() == len(demo_petitions.PETITIONS) + 2
