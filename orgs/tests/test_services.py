import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from core.scope import path_segment
from orgs import services
from orgs.models import Kind, Level, OrgProfile, OrgUnit, UrbanRural
from orgs.rules import code_problem, kind_from_code


@pytest.mark.parametrize(
    ("code", "level", "kind"),
    [
        ("150303001", Level.TOWNSHIP, Kind.STREET),
        ("620422100", Level.TOWNSHIP, Kind.TOWN),
        ("620422202", Level.TOWNSHIP, Kind.TOWNSHIP),
        ("620422400", Level.TOWNSHIP, Kind.OTHER),
        ("620422100001", Level.VILLAGE, Kind.COMMUNITY),
        ("620422100199", Level.VILLAGE, Kind.COMMUNITY),
        ("620422100200", Level.VILLAGE, Kind.VILLAGE),
        ("620422", Level.COUNTY, ""),
        (None, Level.VILLAGE, ""),
    ],
)
def test_kind_from_code(code, level, kind):
    assert kind_from_code(code, level) == kind


@pytest.mark.parametrize(
    ("code", "ok"),
    [("62", True), ("6204", True), ("620422100001", True), ("62042", False), ("62a422", False),
     ("620422000", False), ("６２", False)],
)
def test_code_problem(code, ok):
    assert (code_problem(code) == "") is ok


def test_created_units_get_their_kind_and_path(tree):
    assert tree.township.kind == Kind.TOWN
    assert tree.community.kind == Kind.COMMUNITY and tree.community.urban_rural == UrbanRural.URBAN
    assert tree.village.kind == Kind.VILLAGE and tree.village.urban_rural == UrbanRural.RURAL
    assert tree.community.path == tree.township.path + path_segment(tree.community.pk)
    assert tree.community.ancestor_ids == [
        tree.province.pk, tree.city.pk, tree.county.pk, tree.township.pk, tree.community.pk
    ]


def test_create_rejects_a_code_outside_the_parent(tree):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                             code="620422101001", name="错挂社区")
    assert "code" in exc.value.message_dict


def test_create_rejects_a_duplicate_code_and_a_level_above_the_parent(tree):
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                             code=tree.community.code, name="重复")
    assert "code" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.COUNTY, name="倒挂")
    assert "level" in exc.value.message_dict


def test_grid_gets_the_next_code_under_its_village(tree):
    second = services.grid_create(actor=tree.village_officer, village=tree.community,
                                  name="第2网格", households=280, buildings="3号楼")
    assert tree.grid.code == "620422100001001"
    assert second.code == "620422100001002"
    assert second.level == Level.GRID and second.parent == tree.community
    assert AuditLog.objects.filter(action=Action.CREATE, object_id=str(second.pk)).exists()


def test_grid_only_under_a_village(tree):
    with pytest.raises(ValidationError):
        services.grid_create(actor=SYSTEM, village=tree.township, name="网格")


def test_officer_cannot_create_outside_their_subtree(tree):
    with pytest.raises(PermissionDenied):
        services.grid_create(actor=tree.township_officer, village=tree.other_village, name="越界")


def test_leader_cannot_change_anything(tree):
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=tree.leader, unit=tree.township, name="改名")
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=tree.leader, unit=tree.township, has_plaque=True)


def test_moving_a_subtree_keeps_every_path_right(tree):
    moved = services.unit_move(actor=tree.county_admin, unit=tree.community,
                               new_parent=tree.other_township)
    grid = OrgUnit.objects.get(pk=tree.grid.pk)
    assert moved.parent == tree.other_township
    assert moved.path == tree.other_township.path + path_segment(moved.pk)
    assert grid.path == moved.path + path_segment(grid.pk)
    assert set(OrgUnit.objects.within(tree.other_township).values_list("pk", flat=True)) == {
        tree.other_township.pk, tree.other_village.pk, moved.pk, grid.pk
    }
    assert not OrgUnit.objects.within(tree.township).filter(pk__in=[moved.pk, grid.pk]).exists()
    entry = AuditLog.objects.get(action=Action.MOVE)
    assert entry.changes["parent"] == [{"id": tree.township.pk, "name": "会师镇"},
                                       {"id": tree.other_township.pk, "name": "郭城驿镇"}]


def test_flattening_moves_a_community_directly_under_the_county(tree):
    moved = services.unit_move(actor=SYSTEM, unit=tree.community, new_parent=tree.county)
    grid = OrgUnit.objects.get(pk=tree.grid.pk)
    assert len(moved.path) == len(tree.county.path) + len(path_segment(1))
    assert grid.path.startswith(moved.path)


def test_a_unit_cannot_move_under_itself_or_above_its_level(tree):
    with pytest.raises(ValidationError):
        services.unit_move(actor=SYSTEM, unit=tree.township, new_parent=tree.community)
    with pytest.raises(ValidationError):
        services.unit_move(actor=SYSTEM, unit=tree.community, new_parent=tree.village)


def test_update_records_what_changed(tree):
    services.unit_update(actor=tree.township_officer, unit=tree.community, population=3120,
                         households=1010)
    entry = AuditLog.objects.filter(action=Action.UPDATE).latest("id")
    assert entry.actor == tree.township_officer
    assert entry.changes == {"population": [None, "3120"], "households": [None, "1010"]}
    assert entry.unit == tree.community


def test_update_without_changes_writes_no_audit(tree):
    before = AuditLog.objects.count()
    services.unit_update(actor=tree.county_admin, unit=tree.township, name="会师镇")
    assert AuditLog.objects.count() == before


def test_profile_co_located_needs_the_department(tree):
    with pytest.raises(ValidationError) as exc:
        services.profile_update(actor=tree.county_admin, unit=tree.township,
                                independence="co_located", co_located_with=" ")
    assert "co_located_with" in exc.value.message_dict
    profile = services.profile_update(actor=tree.county_admin, unit=tree.township,
                                      independence="co_located", co_located_with="民政局",
                                      has_party_group=True, quota_administrative=3,
                                      quota_institutional=1)
    assert profile.quota_total == 4
    assert OrgProfile.objects.get(unit=tree.township).co_located_with == "民政局"


def test_a_grid_has_no_organisation(tree):
    with pytest.raises(ValidationError):
        services.profile_update(actor=SYSTEM, unit=tree.grid, has_plaque=True)


def test_edit_is_all_or_nothing(tree):
    with pytest.raises(ValidationError):
        services.unit_edit(actor=tree.county_admin, unit=tree.township,
                           unit_fields={"name": "新名字"},
                           profile_fields={"independence": "co_located", "co_located_with": ""})
    assert OrgUnit.objects.get(pk=tree.township.pk).name == "会师镇"
