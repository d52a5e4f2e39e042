"""A person's change history renders whatever an audit entry holds, and a move records the
units it joins by id and by the name they had at the time."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from orgs import services as org_services
from people import selectors, services
from people.models import Person

from .factories import make_person


def _history_of(person):
    return AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(Person),
                                   object_id=str(person.pk))


def test_a_moved_person_file_renders_for_the_holder(tree, client_for):
    person = make_person(unit=tree.community, grid=tree.grid, name="移某")
    services.person_move(actor=tree.township_officer, person=person, to_unit=tree.village)
    entry = _history_of(person).get(action=Action.MOVE)
    assert entry.changes["unit"] == [
        {"id": tree.community.pk, "name": "东山根社区居民委员会"},
        {"id": tree.village.pk, "name": "高家庄村民委员会"}]
    assert entry.changes["grid"] == [{"id": tree.grid.pk, "name": "第1网格"}, None]
    response = client_for(tree.township_officer).get(
        reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "东山根社区居民委员会 → 高家庄村民委员会" in body
    assert "第1网格 → —" in body


def test_a_transferred_person_file_renders_for_the_new_holder(tree, client_for):
    person = make_person(unit=tree.other_village, name="迁某")
    transfer = services.transfer_request(actor=tree.village_officer,
                                         id_number=person.id_number, to_unit=tree.community)
    services.transfer_decide(actor=tree.other_officer, transfer=transfer, accept=True)
    response = client_for(tree.village_officer).get(
        reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    assert "红堡子村民委员会 → 东山根社区居民委员会" in response.content.decode()


def test_the_history_shows_the_name_recorded_and_todays(tree):
    person = make_person(unit=tree.community)
    services.person_move(actor=tree.township_officer, person=person, to_unit=tree.village)
    org_services.unit_update(actor=SYSTEM, unit=tree.village, name="高家庄村")
    move = selectors.person_history(user=tree.township_officer, person=person)[0]
    assert move.changes[0][1:] == ("东山根社区居民委员会", "高家庄村民委员会（现名：高家庄村）")


def test_the_registration_records_its_unit_by_id_and_name(tree):
    person = make_person(unit=tree.community, grid=tree.grid)
    entry = _history_of(person).get(action=Action.CREATE)
    assert entry.changes["unit"] == [None, {"id": tree.community.pk,
                                            "name": "东山根社区居民委员会"}]
    assert entry.changes["grid"] == [None, {"id": tree.grid.pk, "name": "第1网格"}]


def test_old_and_odd_entries_render(tree, client_for):
    """Entries written before relations were recorded by id and name, and values of any
    shape: a unit's name, a primary key that no longer exists, None, a list, a number."""
    person = make_person(unit=tree.community, name="旧某")
    kinds = {"content_type": ContentType.objects.get_for_model(Person),
             "object_id": str(person.pk), "unit": tree.community}
    AuditLog.objects.create(action=Action.MOVE, actor_name="old", **kinds,
                            changes={"unit": ["红堡子村民委员会", "东山根社区居民委员会"]})
    AuditLog.objects.create(action=Action.UPDATE, actor_name="old", **kinds, changes={
        "grid": [str(tree.grid.pk), "987654"],
        "unit": [None, 987654],
        "notes": [["a", "b"], {"x": 1}],
        "gone_field": [1, [None, "c"]],
        "needs": ["1", "2"],  # not a field of the person (a reverse relation)
        "category": 4,
        "dibao": ["False", True],
    })
    AuditLog.objects.create(action=Action.UPDATE, actor_name="old", **kinds,
                            changes=["not", "a", "dict"])
    response = client_for(tree.village_officer).get(
        reverse("people:person_detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "红堡子村民委员会 → 东山根社区居民委员会" in body
    assert "第1网格 → 987654" in body
    versions = selectors.person_history(user=tree.village_officer, person=person)
    odd = {label: (old, new) for label, old, new in versions[1].changes}
    assert odd["gone_field"] == ("1", "—、c")
    assert odd[str(Person._meta.get_field("notes").verbose_name)] == ("a、b", "x: 1")
    assert odd[str(Person._meta.get_field("dibao").verbose_name)] == ("否", "是")
    assert odd[str(Person._meta.get_field("category").verbose_name)] == ("—", "肢体")


def test_the_history_reads_its_units_in_one_query(tree, django_assert_num_queries):
    person = make_person(unit=tree.community, grid=tree.grid)
    for to_unit in (tree.village, tree.community, tree.village, tree.community):
        services.person_move(actor=tree.township_officer, person=person, to_unit=to_unit)
    with django_assert_num_queries(2):  # the entries, then the units they name
        selectors.person_history(user=tree.township_officer, person=person)


def test_an_import_update_records_the_grid_by_id_and_name(tree):
    from .test_imports import HEADER, upload, xlsx

    person = make_person(unit=tree.community, name="网格某")
    row = ["网格某", "", person.id_number, person.certificate_number, "", "", "", "",
           "东山根社区", "第1网格"]
    job = upload(tree.village_officer, xlsx([row], header=[*HEADER, "网格"]),
                 update_existing=True)
    assert job.updated == 1, job.errors
    entry = _history_of(person).filter(action=Action.UPDATE).get()
    assert entry.changes["grid"] == [None, {"id": tree.grid.pk, "name": "第1网格"}]
    version = selectors.person_history(user=tree.village_officer, person=person)[0]
    assert ("—", "第1网格") in [(old, new) for _label, old, new in version.changes]
