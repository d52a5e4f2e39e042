import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from people import selectors, services
from people.choices import NeedStatus, Status, TransferStatus
from people.models import Need, Person, PersonEvent, Transfer, Visit

from .factories import make_id, make_person


def test_register_derives_birth_gender_and_keys(tree):
    id_number = make_id(birth=dt.date(1958, 2, 3), male=False)
    person = make_person(unit=tree.community, actor=tree.village_officer, name="单丽",
                         id_number=id_number.lower())
    assert person.id_number == id_number
    assert person.birth_date == dt.date(1958, 2, 3) and person.gender == "F"
    assert "shanli" in person.search_key.split() and "dl" in person.search_key.split()
    assert person.registered_by == tree.village_officer
    # The registration is the row's own fact, shown first in the history, not stored twice.
    assert not PersonEvent.objects.filter(person=person).exists()
    history = selectors.person_file(user=tree.village_officer, pk=person.pk).events
    assert [(e.kind, e.on, e.unit, e.by, e.note) for e in history] == [
        ("registered", person.registered_on, tree.community, tree.village_officer, "")]
    entry = AuditLog.objects.get(action=Action.CREATE, object_id=str(person.pk),
                                 content_type__model="person")
    assert entry.unit == tree.community and entry.changes["name"] == [None, "单丽"]


def test_register_without_certificate_is_counted_apart(tree):
    person = make_person(unit=tree.community, certificate=False)
    assert not person.has_certificate and person.category is None


def test_certificate_mismatch_names_the_part(tree):
    id_number = make_id()
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=SYSTEM, unit=tree.community, name="李四",
                                 id_number=id_number, hukou="rural",
                                 certificate_number=f"{id_number}52", category=4, grade=2,
                                 certificate_issued_on=dt.date(2020, 1, 1))
    assert set(exc.value.message_dict) == {"category"}
    assert "5" in exc.value.message_dict["category"][0]
    assert Person.objects.count() == 0


def test_without_id_birth_date_and_gender_are_typed(tree):
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=SYSTEM, unit=tree.community, name="小明", hukou="rural")
    assert {"birth_date", "gender"} <= set(exc.value.message_dict)
    person = services.person_register(actor=SYSTEM, unit=tree.community, name="小明",
                                      hukou="rural", birth_date=dt.date(2019, 6, 1),
                                      gender="M")
    assert person.id_number is None


def test_a_certificate_needs_an_id(tree):
    with pytest.raises(ValidationError) as exc:
        services.person_register(actor=SYSTEM, unit=tree.community, name="小明", hukou="rural",
                                 birth_date=dt.date(2019, 6, 1), gender="M",
                                 certificate_number=make_id() + "42", category=4, grade=2,
                                 certificate_issued_on=dt.date(2020, 1, 1))
    assert "certificate_number" in exc.value.message_dict


def test_people_live_in_villages_and_grids_of_their_village(tree):
    with pytest.raises(ValidationError) as exc:
        make_person(unit=tree.township)
    assert "unit" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_person(unit=tree.village, grid=tree.grid)
    assert "grid" in exc.value.message_dict
    assert make_person(unit=tree.community, grid=tree.grid).grid == tree.grid


def test_duplicate_in_scope_points_to_the_person(tree):
    first = make_person(unit=tree.community)
    with pytest.raises(services.DuplicatePerson) as exc:
        make_person(unit=tree.village, actor=tree.township_officer, id_number=first.id_number)
    assert exc.value.person == first


def test_duplicate_out_of_scope_names_only_the_unit(tree):
    first = make_person(unit=tree.other_village, name="王秘密")
    with pytest.raises(services.DuplicatePerson) as exc:
        make_person(unit=tree.community, actor=tree.village_officer,
                    id_number=first.id_number)
    assert exc.value.person is None and exc.value.holder == tree.other_village
    message = exc.value.messages[0]
    assert "红堡子村民委员会" in message and "王秘密" not in message


def test_transfer_request_accept_moves_the_person(tree):
    person = make_person(unit=tree.other_village)
    transfer = services.transfer_request(actor=tree.village_officer,
                                         id_number=person.id_number, to_unit=tree.community)
    assert transfer.status == TransferStatus.REQUESTED
    # The requester sees the request, not the person.
    assert Transfer.objects.visible_to(tree.village_officer).filter(pk=transfer.pk).exists()
    assert not Person.objects.visible_to(tree.village_officer).filter(pk=person.pk).exists()
    with pytest.raises(PermissionDenied):
        services.transfer_decide(actor=tree.village_officer, transfer=transfer, accept=True)
    services.transfer_decide(actor=tree.other_officer, transfer=transfer, accept=True)
    person.refresh_from_db()
    assert person.unit == tree.community
    assert Person.objects.visible_to(tree.village_officer).filter(pk=person.pk).exists()
    kinds = list(PersonEvent.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == ["moved_out", "moved_in"]
    # The history shows the registration in the unit the person was registered in.
    history = selectors.person_file(user=tree.village_officer, pk=person.pk).events
    assert [(e.kind, e.unit) for e in history] == [
        ("registered", tree.other_village), ("moved_out", tree.other_village),
        ("moved_in", tree.community)]
    with pytest.raises(ValidationError):
        services.transfer_decide(actor=tree.other_officer, transfer=transfer, accept=True)


def test_transfer_decline_leaves_the_person(tree):
    person = make_person(unit=tree.other_village)
    transfer = services.transfer_request(actor=tree.village_officer,
                                         id_number=person.id_number, to_unit=tree.community)
    services.transfer_decide(actor=tree.other_officer, transfer=transfer, accept=False)
    person.refresh_from_db()
    assert person.unit == tree.other_village
    assert Transfer.objects.get(pk=transfer.pk).status == TransferStatus.DECLINED


def test_move_out_of_scope_is_recorded_at_both_ends(tree):
    person = make_person(unit=tree.community, grid=tree.grid)
    transfer = services.person_move(actor=tree.village_officer, person=person,
                                    to_unit=tree.other_village, reason="户籍迁移")
    person.refresh_from_db()
    assert person.unit == tree.other_village and person.grid is None
    assert Transfer.objects.visible_to(tree.village_officer).filter(pk=transfer.pk).exists()
    assert Transfer.objects.visible_to(tree.other_officer).filter(pk=transfer.pk).exists()
    assert not Person.objects.visible_to(tree.village_officer).filter(pk=person.pk).exists()
    assert AuditLog.objects.filter(action=Action.MOVE, object_id=str(person.pk),
                                   content_type__model="person").exists()


def test_status_changes_keep_history_and_never_delete(tree):
    person = make_person(unit=tree.community)
    services.person_set_status(actor=tree.village_officer, person=person,
                               status=Status.DECEASED, on=dt.date(2026, 1, 5))
    person.refresh_from_db()
    assert person.status == Status.DECEASED and person.status_date == dt.date(2026, 1, 5)
    with pytest.raises(ValidationError):
        services.person_set_status(actor=SYSTEM, person=person, status=Status.MOVED_OUT,
                                   on=dt.date(2026, 1, 6))  # no destination note
    with pytest.raises(ValidationError):
        services.person_set_status(actor=SYSTEM, person=person, status=Status.DECEASED,
                                   on=dt.date(2026, 1, 6))
    assert Person.objects.filter(pk=person.pk).exists()
    assert PersonEvent.objects.filter(person=person, kind="deceased").count() == 1


def test_update_is_versioned(tree):
    person = make_person(unit=tree.community)
    services.person_update(actor=tree.village_officer, person=person, phone="13909430000",
                           education="primary")
    versions = selectors.person_history(user=tree.village_officer, person=person)
    assert versions[0].actor_name == "t_village"
    changed = {label: (old, new) for label, old, new in versions[0].changes}
    assert any(new == "13909430000" for old, new in changed.values())
    assert len(versions) == 2  # registration and the change


def test_leader_cannot_register(tree):
    with pytest.raises(PermissionDenied):
        make_person(unit=tree.community, actor=tree.leader)
    with pytest.raises(PermissionDenied):
        make_person(unit=tree.other_village, actor=tree.village_officer)


def test_need_lifecycle(tree):
    person = make_person(unit=tree.community)
    need = services.need_create(actor=tree.village_officer, person=person,
                                type="rehabilitation", detail="需要康复训练")
    assert need.status == NeedStatus.OPEN
    with pytest.raises(ValidationError) as exc:
        services.need_update(actor=tree.village_officer, need=need, status=NeedStatus.MET)
    assert {"closed_on", "outcome"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        services.need_update(actor=tree.village_officer, need=need, status=NeedStatus.UNMET)
    assert "unmet_reason" in exc.value.message_dict
    services.need_update(actor=tree.village_officer, need=need, status=NeedStatus.MET,
                         closed_on=dt.date.today(), outcome="已安排到县康复中心")
    need.refresh_from_db()
    assert need.status == NeedStatus.MET and not need.is_open


def test_visit_turns_found_needs_into_open_needs(tree):
    person = make_person(unit=tree.community)
    visit = services.visit_record(actor=tree.village_officer, person=person,
                                  visited_on=dt.date.today(), mode="home",
                                  findings="行动不便", needs=[{"type": "rehabilitation"},
                                                            {"type": "devices",
                                                             "detail": "轮椅"}])
    assert visit.worker_name == str(tree.village_officer)
    needs = Need.objects.filter(visit=visit).order_by("type")
    assert [n.type for n in needs] == ["devices", "rehabilitation"]
    assert all(n.status == NeedStatus.OPEN for n in needs)
    with pytest.raises(ValidationError):
        services.visit_record(actor=SYSTEM, person=person, visited_on=dt.date.today(),
                              mode="home", worker_name="x", next_due=dt.date.today())
    assert Visit.objects.count() == 1


def test_job_seeker_placement_needs_employer_and_date(tree):
    person = make_person(unit=tree.community)
    job = services.jobseeker_register(actor=SYSTEM, person=person, work_wished="手工编织",
                                      ability="partial")
    with pytest.raises(ValidationError) as exc:
        services.jobseeker_update(actor=SYSTEM, job=job, status="placed")
    assert {"employer", "placed_on"} <= set(exc.value.message_dict)
    services.jobseeker_update(actor=SYSTEM, job=job, status="placed", employer="会宁福利厂",
                              placed_on=dt.date.today())
