import io

import pytest
from django.urls import reverse

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from imports.models import ImportJob
from orgs.models import Level, OrgProfile, OrgUnit


def test_township_officer_sees_their_township_and_its_villages(tree, client_for):
    client = client_for(tree.township_officer)
    page = client.get(reverse("orgs:tree")).content.decode()
    assert "会师镇" in page and "东山根社区居民委员会" in page and "高家庄村民委员会" in page
    assert "郭城驿镇" not in page and "会宁县" not in page.split("<main")[1]


@pytest.mark.parametrize("name", ["unit_detail", "unit_children", "unit_edit", "grid_create"])
def test_other_townships_units_are_404(tree, client_for, name):
    client = client_for(tree.township_officer)
    for unit in (tree.other_township, tree.other_village, tree.county):
        assert client.get(reverse(f"orgs:{name}", args=[unit.pk])).status_code == 404
    assert client.get(reverse(f"orgs:{name}", args=[999999])).status_code == 404


def test_search_finds_only_inside_the_scope(tree, client_for):
    client = client_for(tree.township_officer)
    page = client.get(reverse("orgs:tree"), {"q": "村民委员会"}).content.decode()
    assert "高家庄村民委员会" in page and "红堡子村民委员会" not in page
    page = client.get(reverse("orgs:tree"), {"q": "６２０４２２１０１"}).content.decode()
    assert "红堡子村民委员会" not in page and "郭城驿镇" not in page
    page = client.get(reverse("orgs:tree"), {"q": "620422100"}).content.decode()
    assert "东山根社区居民委员会" in page


def test_unit_detail_shows_breadcrumbs_within_scope_and_children_counts(tree, client_for):
    client = client_for(tree.township_officer)
    page = client.get(reverse("orgs:unit_detail", args=[tree.community.pk])).content.decode()
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert "会师镇" in crumbs and "东山根社区居民委员会" in crumbs
    assert "会宁县" not in crumbs and "白银市" not in crumbs
    assert "第1网格" in page


def test_children_partial_for_htmx(tree, client_for):
    client = client_for(tree.county_admin)
    response = client.get(reverse("orgs:unit_children", args=[tree.county.pk]),
                          headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "会师镇" in body and "郭城驿镇" in body
    assert f'aria-controls="children-{tree.township.pk}"' in body


def test_tree_query_count_does_not_grow_with_the_tree(
    tree, client_for, django_assert_max_num_queries
):
    from orgs import services

    client = client_for(tree.county_admin)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("orgs:tree"))
    for n in range(30):
        services.unit_create(actor=SYSTEM, parent=tree.county, level=Level.TOWNSHIP,
                             code=f"620422{110 + n}", name=f"镇{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("orgs:tree"))
    assert response.content.decode().count("tree__row") >= 33


def test_unit_detail_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    from orgs import services

    client = client_for(tree.county_admin)
    url = reverse("orgs:unit_detail", args=[tree.township.pk])
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(20):
        services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                             code=f"620422100{300 + n}", name=f"村{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_edit_saves_unit_and_organisation_and_audits(tree, client_for):
    client = client_for(tree.township_officer)
    url = reverse("orgs:unit_edit", args=[tree.community.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "unit-name": "东山根社区居民委员会", "unit-code": "620422100001", "unit-kind": "community",
        "unit-population": "4200", "unit-households": "1400", "unit-urban_rural": "urban",
        "org-independence": "co_located", "org-co_located_with": "社区居委会",
        "org-has_plaque": "on", "org-quota_administrative": "0", "org-quota_institutional": "0",
        "org-address": "会师南路12号", "org-phone": "0943-3220000",
    })
    assert response.status_code == 302
    community = OrgUnit.objects.get(pk=tree.community.pk)
    assert community.population == 4200
    profile = OrgProfile.objects.get(unit=community)
    assert profile.has_plaque and profile.co_located_with == "社区居委会"
    assert AuditLog.objects.filter(actor=tree.township_officer, action=Action.UPDATE).exists()


def test_edit_with_errors_keeps_what_was_typed(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("orgs:unit_edit", args=[tree.township.pk])
    response = client.post(url, {
        "unit-name": "会师镇改名", "unit-code": "620422101", "unit-kind": "town",
        "unit-population": "51234", "org-independence": "co_located",
        "org-co_located_with": "", "org-quota_administrative": "2",
        "org-quota_institutional": "1", "org-address": "新地址路8号",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="会师镇改名"' in body and 'value="51234"' in body and "新地址路8号" in body
    assert 'aria-invalid="true"' in body
    assert OrgUnit.objects.get(pk=tree.township.pk).name == "会师镇"


def test_leader_reads_but_cannot_edit(tree, client_for):
    client = client_for(tree.leader)
    assert client.get(reverse("orgs:unit_detail", args=[tree.other_township.pk])).status_code == 200
    assert client.get(reverse("orgs:unit_edit", args=[tree.township.pk])).status_code == 403
    assert client.post(reverse("orgs:grid_create", args=[tree.community.pk]),
                       {"name": "x"}).status_code == 403


def test_auditor_cannot_see_the_tree(tree, client_for):
    client = client_for(tree.auditor)
    assert client.get(reverse("orgs:tree")).status_code == 403
    assert client.get(reverse("home")).url == reverse("accounts:audit_list")


def test_village_officer_creates_a_grid(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("orgs:grid_create", args=[tree.community.pk]),
                           {"name": "第2网格", "households": "305", "buildings": "5-8号楼"})
    grid = OrgUnit.objects.get(name="第2网格")
    assert response.status_code == 302 and response.url == grid.get_absolute_url()
    assert grid.parent == tree.community and grid.households == 305
    assert grid.code == "620422100001002"


def test_grid_form_errors_keep_input(tree, client_for):
    client = client_for(tree.village_officer)
    response = client.post(reverse("orgs:grid_create", args=[tree.community.pk]),
                           {"name": "", "households": "-3", "buildings": "12号楼"})
    body = response.content.decode()
    assert response.status_code == 200 and "12号楼" in body and 'value="-3"' in body
    assert not OrgUnit.objects.filter(buildings="12号楼").exists()


def test_anonymous_users_go_to_login(client, tree):
    response = client.get(reverse("orgs:unit_detail", args=[tree.township.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def _run_division_import(client, text, mode, capture):
    """The division list through the import pages, as every ledger goes in."""
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "divisions.csv"
    response = client.post(reverse("imports:import_list"), {"kind": "divisions", "file": upload})
    assert response.status_code == 302, response.content.decode()[:500]
    job = ImportJob.objects.latest("pk")
    data = {"header_row": job.header_row, "mode": mode, "start": "1",
            **{f"col_{index}": field for index, field in job.mapping.items()}}
    with capture(execute=True):
        client.post(job.get_absolute_url(), data)
    return client.get(job.get_absolute_url()).content.decode()


def test_the_division_page_leads_to_the_import_of_the_division_list(tree, client_for):
    response = client_for(tree.county_admin).get(reverse("orgs:division_import"))
    assert response.status_code == 302
    assert response.url == reverse("imports:import_list") + "?kind=divisions"


def test_division_import_reports_rows_and_obeys_the_choice(tree, client_for,
                                                          django_capture_on_commit_callbacks):
    client = client_for(tree.county_admin)
    text = ("code,name,parent_code,level\n620422102,河畔镇,620422,township\n"
            "62042210X,坏镇,620422,township\n620422199200,无父村,620422199,village\n")
    body = _run_division_import(client, text, "all", django_capture_on_commit_callbacks)
    assert "62042210X" in body and "620422199" in body and "<td" in body
    assert not OrgUnit.objects.filter(code="620422102").exists()
    body = _run_division_import(client, text, "valid", django_capture_on_commit_callbacks)
    assert OrgUnit.objects.filter(code="620422102").exists()
    assert "62042210X" in body


def test_division_import_rejects_a_non_table(tree, client_for):
    client = client_for(tree.county_admin)
    upload = io.BytesIO(b"\x00\x01binary")
    upload.name = "x.pdf"
    response = client.post(reverse("imports:import_list"), {"kind": "divisions", "file": upload})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()


def test_only_county_admin_imports_divisions(tree, client_for):
    client = client_for(tree.township_officer)
    assert client.get(reverse("orgs:division_import")).status_code == 403
    upload = io.BytesIO(b"code,name\n620422102,x\n")
    upload.name = "d.csv"
    response = client.post(reverse("imports:import_list"), {"kind": "divisions", "file": upload})
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_county_admin_moves_a_community_under_the_county(tree, client_for):
    client = client_for(tree.county_admin)
    url = reverse("orgs:unit_move", args=[tree.community.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"new_parent_code": "620422"})
    assert response.status_code == 302
    community = OrgUnit.objects.get(pk=tree.community.pk)
    assert community.parent == tree.county
    assert OrgUnit.objects.get(pk=tree.grid.pk).path.startswith(community.path)
    assert AuditLog.objects.filter(action=Action.MOVE).exists()


def test_moving_needs_a_parent_in_scope(tree, client_for):
    client = client_for(tree.township_officer)
    url = reverse("orgs:unit_move", args=[tree.community.pk])
    body = client.post(url, {"new_parent_code": "620422101"}).content.decode()
    assert 'aria-invalid="true"' in body
    assert OrgUnit.objects.get(pk=tree.community.pk).parent == tree.township
    body = client.post(url, {"new_parent_code": "620422100200"}).content.decode()
    assert OrgUnit.objects.get(pk=tree.community.pk).parent == tree.township
    assert "error-summary" in body
