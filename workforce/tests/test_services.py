"""The workforce's writes: the register links, one holder per post, history kept, scope,
the audit log (numbers sealed), and the optimistic lock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from people.tests.factories import make_id, make_person
from workforce import services
from workforce.models import Appointment, Post, Worker
from workforce.tests.factories import make_officer, make_worker


def test_a_disabled_worker_is_linked_to_their_register_entry(tree):
    person = make_person(unit=tree.community, name="王残")
    worker = make_worker(unit=tree.community, actor=tree.township_officer, name="王残",
                         id_number=person.id_number, connection="disabled")
    assert worker.person == person and worker.birth_date == person.birth_date


def test_a_disabled_worker_not_in_the_register_is_refused(tree):
    with pytest.raises(ValidationError) as exc:
        make_worker(unit=tree.community, connection="disabled")
    assert "connection" in exc.value.message_dict


def test_a_relative_names_the_registered_relative_in_scope(tree):
    relative = make_person(unit=tree.community, name="张父")
    worker = make_worker(unit=tree.community, actor=tree.township_officer,
                         connection="relative", relation="child",
                         relative_id_number=relative.id_number)
    assert worker.person == relative and worker.relation == "child"
    elsewhere = make_person(unit=tree.other_village, name="外乡人")
    with pytest.raises(ValidationError) as exc:
        make_worker(unit=tree.community, actor=tree.township_officer, connection="relative",
                    relation="child", relative_id_number=elsewhere.id_number)
    assert "relative_id_number" in exc.value.message_dict


def test_one_worker_per_id_number(tree):
    number = make_id(seq=11)
    make_worker(unit=tree.other_village, id_number=number, name="外村人")
    with pytest.raises(ValidationError) as exc:
        make_worker(unit=tree.village, id_number=number, actor=tree.township_officer)
    message = exc.value.message_dict["id_number"][0]
    assert "红堡子村民委员会" in message and "外村人" not in message  # not theirs to see
    inside = make_id(seq=12)
    make_worker(unit=tree.community, id_number=inside, name="本镇人")
    with pytest.raises(ValidationError) as exc:
        make_worker(unit=tree.village, id_number=inside, actor=tree.township_officer)
    assert "本镇人" in exc.value.message_dict["id_number"][0]


def test_appointments_fill_a_free_post_or_make_one(tree):
    first = make_officer(unit=tree.community)
    second = make_officer(unit=tree.community)  # a second liaison officer: a second post
    assert first.post != second.post
    services.appointment_end(actor=SYSTEM, appointment=first, ended_on=dt.date(2025, 6, 30),
                             reason="resigned")
    third = make_officer(unit=tree.community)
    assert third.post == first.post  # the freed post is filled again
    assert Post.objects.filter(unit=tree.community, kind="liaison").count() == 2


def test_a_post_has_one_holder_at_a_time(tree):
    held = make_officer(unit=tree.community)
    other = make_worker(unit=tree.community)
    with pytest.raises(ValidationError) as exc:
        services.appoint(actor=SYSTEM, worker=other, post=held.post,
                         starts_on=dt.date(2025, 1, 1))
    assert "post" in exc.value.message_dict


def test_an_ended_appointment_is_kept_with_its_reason_and_cannot_end_twice(tree):
    appointment = make_officer(unit=tree.community)
    services.appointment_end(actor=tree.township_officer, appointment=appointment,
                             ended_on=dt.date(2025, 6, 30), reason="not_renewed",
                             note="考核不称职")
    appointment.refresh_from_db()
    assert (appointment.ended_on, appointment.end_reason) == (dt.date(2025, 6, 30),
                                                             "not_renewed")
    assert Appointment.objects.filter(pk=appointment.pk).exists()
    with pytest.raises(ValidationError):
        services.appointment_end(actor=SYSTEM, appointment=appointment,
                                 ended_on=dt.date(2025, 7, 1), reason="resigned")


def test_grids_must_be_the_posts_own(tree):
    appointment = make_officer(unit=tree.community)
    services.appointment_update(actor=SYSTEM, appointment=appointment, grids=[tree.grid])
    assert list(appointment.grids.all()) == [tree.grid]
    other = make_officer(unit=tree.village)
    with pytest.raises(ValidationError) as exc:
        services.appointment_update(actor=SYSTEM, appointment=other, grids=[tree.grid])
    assert "grids" in exc.value.message_dict


def test_nobody_writes_outside_their_scope_or_without_the_permission(tree):
    with pytest.raises(PermissionDenied):
        make_worker(unit=tree.other_village, actor=tree.township_officer)
    with pytest.raises(PermissionDenied):
        make_worker(unit=tree.community, actor=tree.leader)
    appointment = make_officer(unit=tree.other_village)
    with pytest.raises(PermissionDenied):
        services.appointment_end(actor=tree.township_officer, appointment=appointment,
                                 ended_on=dt.date(2025, 1, 2), reason="resigned")


def test_the_audit_log_holds_the_numbers_sealed(tree):
    number = make_id(seq=21)
    worker = make_worker(unit=tree.community, id_number=number, bank_account="6228480012345678")
    entry = AuditLog.objects.get(action=Action.CREATE, object_id=str(worker.pk),
                                 content_type__model="worker")
    text = str(entry.changes)
    assert number not in text and "6228480012345678" not in text
    assert "sealed" in str(entry.changes["id_number"])
    stored = Worker.objects.filter(pk=worker.pk).values_list("id_cipher", "bank_cipher")[0]
    assert number not in "".join(stored) and "6228480012345678" not in "".join(stored)
    assert Worker.objects.get(pk=worker.pk).bank_account == "6228480012345678"
    assert Worker.objects.get(pk=worker.pk).masked_bank_account == "622848********5678"


def test_a_stale_edit_is_refused(tree):
    worker = make_worker(unit=tree.community, phone="1")
    services.worker_update(actor=SYSTEM, worker=worker, phone="2", expected_version=1)
    with pytest.raises(ValidationError) as exc:
        services.worker_update(actor=SYSTEM, worker=worker, phone="3", expected_version=1)
    assert exc.value.code == "stale"
    assert Worker.objects.get(pk=worker.pk).phone == "2"


def test_regional_norms_and_selection_conditions(tree):
    with pytest.raises(PermissionDenied):
        services.norm_create(actor=tree.township_officer, unit=tree.county, level=5,
                             kind="liaison")
    norm = services.norm_create(actor=tree.county_admin, unit=tree.county, level=5,
                                kind="liaison", extra_threshold=20, extra_required=True)
    with pytest.raises(ValidationError):
        services.norm_create(actor=tree.county_admin, unit=tree.county, level=5,
                             kind="liaison")
    services.norm_update(actor=tree.county_admin, norm=norm, count=2)
    norm.refresh_from_db()
    assert norm.count == 2 and norm.version == 2
    from workforce.models import StaffingNorm

    everywhere = StaffingNorm.objects.get(unit=None, level=5, kind="liaison")
    with pytest.raises(ValidationError):
        services.norm_update(actor=tree.county_admin, norm=everywhere, count=3)
    rule = services.selection_rule_set(actor=tree.county_admin, unit=tree.county,
                                       kind="liaison", max_age_at_hiring=45,
                                       min_education="junior")
    assert (rule.max_age_at_hiring, rule.min_education) == (45, "junior")
