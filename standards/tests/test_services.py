"""The standards' writes: defaults once, copies as drafts, items changed only in a draft,
publishing, confirmations with files — each audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditLog
from core.actors import SYSTEM
from ledgers import services as ledger_services
from ledgers.selectors import attachments_of
from ledgers.tests.files import jpeg_bytes, upload_of
from standards import selectors, services
from standards.models import ItemConfirmation
from standards.tests.factories import defaults

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_the_defaults_are_written_once_with_their_items(tree):
    first = defaults(YEAR + 3)
    again = defaults(YEAR + 3)
    assert {s.pk for s in first.values()} == {s.pk for s in again.values()}
    assert first["jiuyou"].items.count() == 9
    assert first["liuyou"].items.count() == 6
    assert first["sangebai"].items.count() == 3
    assert first["jiuyou"].level == 4 and first["liuyou"].level == 5
    assert first["sangebai"].level == 3
    assert not first["jiuyou"].is_draft


def test_a_copy_is_a_draft_with_the_same_items_that_the_admin_rewords(tree):
    national = defaults()["liuyou"]
    copy = services.standard_copy(actor=tree.county_admin, standard=national, year=YEAR + 1,
                                  region=tree.county, name="六有（会宁）")
    assert copy.is_draft and copy.copied_from == national and copy.region == tree.county
    assert [i.text for i in copy.items.all()] == [i.text for i in national.items.all()]
    item = copy.items.get(order=3)
    services.item_update(actor=tree.county_admin, item=item, text="有活动场所（不少于30平方米）",
                         kind="confirmed", order=3)
    services.item_add(actor=tree.county_admin, standard=copy, text="有计算机管理",
                      kind="confirmed")
    services.item_remove(actor=tree.county_admin, item=copy.items.get(order=1))
    assert copy.items.count() == 6
    assert national.items.get(order=3).text == "有活动场所"  # the original is untouched
    services.standard_publish(actor=tree.county_admin, standard=copy)
    copy.refresh_from_db()
    assert not copy.is_draft
    with pytest.raises(ValidationError):
        services.item_add(actor=tree.county_admin, standard=copy, text="再加一项",
                          kind="confirmed")
    assert AuditLog.objects.filter(object_id=str(copy.pk)).count() >= 2


def test_a_copy_for_a_year_the_region_already_has_is_refused(tree):
    national = defaults()["liuyou"]
    services.standard_copy(actor=SYSTEM, standard=national, year=YEAR + 1, region=tree.county)
    with pytest.raises(ValidationError) as exc:
        services.standard_copy(actor=SYSTEM, standard=national, year=YEAR + 1,
                               region=tree.county)
    assert "year" in exc.value.message_dict


def test_only_administrators_of_the_region_copy(tree):
    national = defaults()["liuyou"]
    with pytest.raises(PermissionDenied):
        services.standard_copy(actor=tree.township_officer, standard=national,
                               year=YEAR + 1, region=tree.township)
    with pytest.raises(PermissionDenied):  # a county admin does not change national ones
        services.standard_copy(actor=tree.county_admin, standard=national, year=YEAR + 1,
                               region=None)


def test_an_item_needs_a_known_indicator_of_its_level(tree):
    copy = services.standard_copy(actor=SYSTEM, standard=defaults()["liuyou"],
                                  year=YEAR + 1, region=tree.county)
    for indicator, field in (("", "indicator"), ("nonsense", "indicator"),
                             ("township_dpf_share", "indicator")):
        with pytest.raises(ValidationError) as exc:
            services.item_add(actor=SYSTEM, standard=copy, text="项", kind="computed",
                              indicator=indicator)
        assert field in exc.value.message_dict
    item = services.item_add(actor=SYSTEM, standard=copy, text="项", kind="confirmed",
                             indicator="people_data")
    assert item.indicator == ""  # a confirmed item keeps no indicator


def test_a_standard_without_items_is_not_published(tree):
    copy = services.standard_copy(actor=SYSTEM, standard=defaults()["liuyou"],
                                  year=YEAR + 1, region=tree.county)
    for item in list(copy.items.all()):
        services.item_remove(actor=SYSTEM, item=item)
    with pytest.raises(ValidationError):
        services.standard_publish(actor=SYSTEM, standard=copy)


def test_a_confirmation_with_a_photo_meets_the_item(tree):
    liuyou = defaults()["liuyou"]
    room = liuyou.items.get(text="有活动场所")
    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "room.jpg"))
    confirmation = services.confirmation_record(
        actor=tree.township_officer, unit=tree.village, item=room, year=YEAR,
        confirmed_on=timezone.localdate(), note="村委会一楼", files=[(clean, "room.jpg")])
    assert confirmation.confirmed_by == tree.township_officer
    assert [a.name for a in attachments_of(confirmation)] == ["room.jpg"]
    result = next(r for r in selectors.unit_results(unit=tree.village, year=YEAR)
                  if r.standard.code == "liuyou")
    line = next(r for r in result.items if r.item == room)
    assert line.met and line.evidence.url == confirmation.get_absolute_url()
    again = services.confirmation_record(
        actor=tree.township_officer, unit=tree.village, item=room, year=YEAR,
        confirmed_on=timezone.localdate(), note="改到二楼")
    assert again.pk == confirmation.pk and ItemConfirmation.objects.count() == 1
    assert AuditLog.objects.filter(object_id=str(confirmation.pk),
                                   content_type__model="itemconfirmation").count() == 2
    services.confirmation_withdraw(actor=tree.township_officer, confirmation=again)
    assert not ItemConfirmation.objects.exists()


def test_a_confirmation_is_refused_for_computed_items_other_levels_and_the_future(tree):
    liuyou = defaults()["liuyou"]
    room = liuyou.items.get(text="有活动场所")
    computed = liuyou.items.filter(kind="computed").first()
    today = timezone.localdate()
    cases = [(tree.village, computed, today, "item"),
             (tree.township, room, today, "item"),
             (tree.village, room, today.replace(year=today.year + 1), "confirmed_on")]
    for unit, item, day, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.confirmation_record(actor=SYSTEM, unit=unit, item=item, year=YEAR,
                                         confirmed_on=day)
        assert field in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # another township's officer
        services.confirmation_record(actor=tree.other_officer, unit=tree.village, item=room,
                                     year=YEAR, confirmed_on=today)


def test_the_nearest_regions_published_standard_applies(tree):
    national = defaults()["liuyou"]
    county = services.standard_copy(actor=SYSTEM, standard=national, year=YEAR,
                                    region=tree.county)
    services.item_add(actor=SYSTEM, standard=county, text="有计算机管理", kind="confirmed")
    found = selectors.published_for([tree.village], YEAR)[tree.village.pk]
    assert [s.pk for s in found if s.code == "liuyou"] == [national.pk]  # still a draft
    services.standard_publish(actor=SYSTEM, standard=county)
    found = selectors.published_for([tree.village, tree.township], YEAR)
    assert [s.pk for s in found[tree.village.pk] if s.code == "liuyou"] == [county.pk]
    assert [s.code for s in found[tree.township.pk]] == ["jiuyou"]


def test_the_command_writes_a_years_defaults_once(tree, capsys):
    from django.core.management import call_command

    call_command("standards_defaults", "--year", str(YEAR + 5))
    call_command("standards_defaults", "--year", str(YEAR + 5))
    assert "九有（%s） · 9" % (YEAR + 5) in capsys.readouterr().out
    from standards.models import Standard

    assert Standard.objects.filter(year=YEAR + 5, region=None).count() == 3
