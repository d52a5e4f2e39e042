"""The unit picker: the form field that reads a code or a name (no script needed) and the
htmx endpoint that lists the matching units as one types. Both only ever know the units of
the user's area."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.actors import SYSTEM
from orgs import selectors
from orgs import services as org_services
from orgs.forms import UnitPickerField
from orgs.models import Level

VILLAGE_LEVELS = [Level.TOWNSHIP, Level.VILLAGE]


class PickForm(forms.Form):
    unit = UnitPickerField(label="单位", levels=VILLAGE_LEVELS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].user = user


def clean(user, **data):
    form = PickForm(data, user=user)
    form.is_valid()
    return form


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


# ---- the field -------------------------------------------------------------------------------

def test_a_division_code_is_read_without_a_script(tree):
    form = clean(tree.county_admin, unit_text="620422100200")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == tree.village
    # Full-width digits, as a Chinese keyboard may type them.
    assert clean(tree.county_admin, unit_text="６２０４２２１００２００").cleaned_data["unit"] \
        == tree.village


def test_a_whole_name_or_the_label_is_read(tree):
    assert clean(tree.county_admin, unit_text=" 高家庄村民委员会 ").cleaned_data["unit"] \
        == tree.village
    # The label the list fills in, with full-width or half-width brackets.
    for text in ("会师镇（620422100）", "会师镇(620422100)"):
        assert clean(tree.county_admin, unit_text=text).cleaned_data["unit"] == tree.township


def test_the_chosen_id_stands_while_the_text_names_that_unit(tree):
    form = clean(tree.county_admin, unit=str(tree.village.pk),
                 unit_text="高家庄村民委员会（620422100200）")
    assert form.cleaned_data["unit"] == tree.village
    # An id alone (a client without a text box) is taken too.
    assert clean(tree.county_admin, unit=str(tree.village.pk)).cleaned_data["unit"] \
        == tree.village
    # Typed over after choosing: the text decides, not the stale id.
    form = clean(tree.county_admin, unit=str(tree.village.pk), unit_text="620422101200")
    assert form.cleaned_data["unit"] == tree.other_village


def test_an_ambiguous_name_lists_the_candidates(tree):
    org_services.unit_create(actor=SYSTEM, parent=tree.other_township, level=Level.VILLAGE,
                             code="620422101201", name="高家庄村民委员会")
    form = clean(tree.county_admin, unit_text="高家庄村民委员会")
    assert form.errors["unit"] == [
        "您的辖区内有多个单位名为“高家庄村民委员会”：高家庄村民委员会（620422100200，会师镇）、"
        "高家庄村民委员会（620422101201，郭城驿镇）。请输入您要选的那个单位的区划代码。"
    ]
    # Its code settles it.
    assert clean(tree.county_admin, unit_text="620422101201").cleaned_data["unit"].parent \
        == tree.other_township


def test_nothing_found_says_so_and_suggests_near_names(tree):
    assert clean(tree.county_admin, unit_text="620499").errors["unit"] == [
        "您的辖区内没有区划代码为620499的单位。"]
    assert clean(tree.county_admin, unit_text="高家庄").errors["unit"] == [
        "您的辖区内没有恰好名为“高家庄”的单位。您要找的是不是：高家庄村民委员会"
        "（620422100200，会师镇）？请输入它的区划代码。"]
    assert clean(tree.county_admin, unit_text="兰州").errors["unit"] == [
        "您的辖区内没有名为“兰州”的单位。请输入它的区划代码或完整名称。"]
    assert clean(tree.county_admin, unit_text="").errors["unit"] == [
        "请输入单位的区划代码或名称。"]


def test_units_out_of_scope_are_refused_as_if_they_did_not_exist(tree):
    officer = tree.township_officer  # 会师镇
    form = clean(officer, unit_text="620422101200")  # 红堡子村, in 郭城驿镇
    assert form.errors["unit"] == ["您的辖区内没有区划代码为620422101200的单位。"]
    # Named, it is "not called so" like any unknown name: no candidates, no hint it exists.
    assert clean(officer, unit_text="红堡子村民委员会").errors["unit"] == [
        "您的辖区内没有名为“红堡子村民委员会”的单位。请输入它的区划代码或完整名称。"]
    # Nor by its id, whatever the text says.
    form = clean(officer, unit=str(tree.other_village.pk), unit_text="")
    assert form.errors["unit"] == ["该单位不在您的辖区内。请输入它的区划代码或名称。"]
    form = clean(officer, unit=str(tree.other_village.pk),
                 unit_text="红堡子村民委员会（620422101200）")
    assert not form.is_valid()
    # Nor above the scope, nor of another level, nor abolished.
    assert not clean(officer, unit_text="620422").is_valid()  # the county
    assert not clean(tree.county_admin, unit_text="620422").is_valid()  # a county: not a level
    org_services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                             code="620422100299", name="旧庄村民委员会",
                             valid_to="2024-12-31")
    assert not clean(tree.county_admin, unit_text="620422100299").is_valid()


def test_the_widget_is_a_labelled_text_box_with_a_hidden_value(tree):
    form = clean(tree.county_admin, unit=str(tree.village.pk), unit_text="高家")
    html = str(form["unit"])
    assert 'type="text" name="unit_text" value="高家"' in html
    assert 'id="id_unit"' in html and 'aria-invalid="true"' in html
    assert f'type="hidden" name="unit" value="{tree.village.pk}"' in html
    assert f'data-url="{reverse("orgs:unit_picker")}?level=4&amp;level=5"' in html
    assert 'role="listbox"' in html and 'id="id_unit-options"' in html
    assert "<script" not in html and "style=" not in html
    # An initial unit shows as its label.
    initial = PickForm(initial={"unit": tree.township}, user=tree.county_admin)
    assert 'value="会师镇（620422100）"' in str(initial["unit"])
    initial = PickForm(initial={"unit": tree.township.pk}, user=tree.county_admin)
    assert 'value="会师镇（620422100）"' in str(initial["unit"])
    assert 'value="红堡子' not in str(PickForm(initial={"unit": tree.other_village.pk},
                                               user=tree.township_officer)["unit"])


# ---- the endpoint ----------------------------------------------------------------------------

def pick(client, htmx=True, **params):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse("orgs:unit_picker"), params, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_endpoint_lists_matches_in_scope_only(tree, client_for):
    client = client_for(tree.township_officer)
    body = pick(client, q="村民委员会")
    assert body.count('role="option"') == 1 and "高家庄村民委员会" in body
    assert "红堡子" not in body
    assert f'data-value="{tree.village.pk}" data-label="高家庄村民委员会（620422100200）"' in body
    assert "<html" not in body  # a partial for htmx
    assert pick(client, q="620422101").count('role="option"') == 0
    body = pick(client, q="620422100")
    assert body.count('role="option"') == 4  # the township, its two villages and a grid
    # The exact code first.
    assert body.index("会师镇") < body.index("东山根社区")


def test_the_endpoint_filters_by_level_and_ignores_nonsense(tree, client_for):
    client = client_for(tree.county_admin)
    body = pick(client, q="6204", level=[Level.VILLAGE])
    assert body.count('role="option"') == 3
    assert 'class="unit-picker__name">会师镇<' not in body
    assert pick(client, q="6204", level=["x", "99"]).count('role="option"') == 0
    assert pick(client, q="").count('role="option"') == 0
    assert pick(client, q="会" * 60).count('role="option"') == 0  # too long: nothing, no error


def test_the_endpoint_shows_twenty_at_most_in_a_fixed_number_of_queries(tree, client_for):
    client = client_for(tree.county_admin)
    with CaptureQueriesContext(connection) as few:
        body = pick(client, q="委员会")
    assert body.count('role="option"') == 3
    for n in range(30):
        org_services.unit_create(actor=SYSTEM, parent=tree.township, level=Level.VILLAGE,
                                 code=f"620422100{300 + n}", name=f"新{n}村民委员会")
    with CaptureQueriesContext(connection) as many:
        body = pick(client, q="委员会")
    assert body.count('role="option"') == selectors.PICK_LIMIT == 20
    assert len(many.captured_queries) == len(few.captured_queries)
    # Besides the session and the user, the units are read in one query.
    unit_queries = [q["sql"] for q in many.captured_queries
                    if q["sql"].split(" FROM ", 1)[1].startswith('"orgs_orgunit"')]
    assert len(unit_queries) == 1, unit_queries


def test_the_endpoint_without_htmx_is_a_page(tree, client_for):
    body = pick(client_for(tree.county_admin), htmx=False, q="高家庄")
    assert body.count("<h1>") == 1 and "<html" in body
    assert f'href="{tree.village.get_absolute_url()}"' in body


def test_the_endpoint_needs_the_network_permission(tree, client, client_for):
    assert client.get(reverse("orgs:unit_picker")).status_code == 302
    assert client_for(tree.auditor).get(reverse("orgs:unit_picker"),
                                        {"q": "会"}).status_code == 403


def test_the_parent_is_named_only_inside_the_scope(tree):
    county = selectors.unit_pick(user=tree.county_admin, query="620422", levels=None)
    assert [(c.unit, c.parent_name) for c in county[:1]] == [(tree.county, "")]  # 白银市: above
    assert selectors.unit_pick(user=tree.county_admin, query="会师镇")[0].parent_name == "会宁县"
