import datetime as dt

import pytest
from django.urls import reverse

from audit.models import Action, AuditLog
from core.actors import SYSTEM
from people import services
from people.models import Need, Person

from .factories import make_id, make_person


def _register_post(unit, **overrides):
    id_number = overrides.pop("id_number", make_id(birth=dt.date(1966, 8, 9)))
    data = {
        "unit": unit.pk, "name": "马兰花", "id_number": id_number, "ethnicity": "回族",
        "hukou": "rural", "phone": "13909431234", "address": "东山根社区3组",
        "certificate_number": f"{id_number}42", "category": "4", "grade": "2",
        "certificate_issued_on": "2016-04-01", "certificate_valid_until": "2026-04-01",
    }
    data.update(overrides)
    return data


def test_register_in_one_form(tree, client_for):
    client = client_for(tree.village_officer)
    assert client.get(reverse("people:person_create")).status_code == 200
    response = client.post(reverse("people:person_create"), _register_post(tree.community))
    person = Person.objects.get(name="马兰花")
    assert response.status_code == 302 and response.url == person.get_absolute_url()
    assert person.category == 4 and person.grade == 2 and person.ethnicity == "回族"


def test_register_errors_keep_what_was_typed(tree, client_for):
    client = client_for(tree.village_officer)
    id_number = make_id(birth=dt.date(1966, 8, 9))
    response = client.post(reverse("people:person_create"), _register_post(
        tree.community, id_number=id_number, certificate_number=f"{id_number}53",
    ))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="马兰花"' in body and 'value="13909431234"' in body
    assert f'value="{id_number}53"' in body and 'value="东山根社区3组"' in body
    assert 'aria-invalid="true"' in body
    assert not Person.objects.exists()


def test_register_a_duplicate_from_elsewhere_offers_a_transfer(tree, client_for):
    other = make_person(unit=tree.other_village, name="王秘密")
    client = client_for(tree.village_officer)
    body = client.post(reverse("people:person_create"), _register_post(
        tree.community, id_number=other.id_number,
        certificate_number=other.certificate_number,
    )).content.decode()
    assert "红堡子村民委员会" in body and "王秘密" not in body
    assert reverse("people:transfer_request") in body
    response = client.post(reverse("people:transfer_request"), {
        "id_number": other.id_number, "to_unit": tree.community.pk, "reason": "已迁入"})
    assert response.status_code == 302
    body = client_for(tree.other_officer).get(reverse("people:transfer_list")).content.decode()
    assert "王秘密" in body and "decision" in body


def test_list_masks_ids_and_finds_by_pinyin_initials_and_id(tree, client_for):
    person = make_person(unit=tree.community, name="张三")
    make_person(unit=tree.village, name="李四")
    client = client_for(tree.township_officer)
    body = client.get(reverse("people:person_list")).content.decode()
    assert person.masked_id in body and person.id_number not in body
    for query in ("zhangsan", "zs", "张", person.id_number, person.id_number[-6:],
                  person.id_number[-4:], person.id_number.lower(),
                  person.certificate_number):
        body = client.get(reverse("people:person_list"), {"q": query}).content.decode()
        assert "张三" in body and "李四" not in body, query


def test_list_filters(tree, client_for):
    make_person(unit=tree.community, name="王老", birth=dt.date(1940, 1, 1), category=1,
                grade=1)
    young = make_person(unit=tree.village, name="王小", birth=dt.date(2015, 1, 1),
                        certificate=False, male=False)
    services.need_create(actor=SYSTEM, person=young, type="education")
    client = client_for(tree.township_officer)

    def names(**params):
        body = client.get(reverse("people:person_list"), params).content.decode()
        return {n for n in ("王老", "王小") if n in body}

    assert names(age_band="60+") == {"王老"}
    assert names(age_band="7-17") == {"王小"}
    assert names(category="1") == {"王老"}
    assert names(certificate="no") == {"王小"}
    assert names(gender="F") == {"王小"}
    assert names(open_needs="on") == {"王小"}
    assert names(unit=tree.village.pk) == {"王小"}
    assert names(not_visited_this_year="on") == {"王老", "王小"}


def test_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.county_admin)
    for n in range(3):
        make_person(unit=tree.community, name=f"甲{n}")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("people:person_list"), {"q": "jia"})
    for n in range(60):
        make_person(unit=tree.other_village if n % 2 else tree.village, name=f"甲{n + 3}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("people:person_list"), {"q": "jia"})
    assert response.context["page"].paginator.count == 63
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("people:person_list"), {"q": "jia", "per_page": "200"})
    assert len(response.context["page"].object_list) == 63


def test_need_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.township_officer)
    person = make_person(unit=tree.community)
    services.need_create(actor=SYSTEM, person=person, type="relief")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("people:need_list"))
    for n in range(40):
        other = make_person(unit=tree.village, name=f"乙{n}")
        services.need_create(actor=SYSTEM, person=other, type="education")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("people:need_list"), {"per_page": "100"})
    assert len(response.context["page"].object_list) == 41


def test_person_file_is_audited_and_scoped(tree, client_for):
    person = make_person(unit=tree.community)
    client = client_for(tree.township_officer)
    body = client.get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert person.id_number in body
    assert AuditLog.objects.filter(action=Action.VIEW, object_id=str(person.pk),
                                   actor=tree.township_officer).exists()
    other = client_for(tree.other_officer)
    for name in ("person_detail", "person_edit", "person_status", "person_move",
                 "need_create", "visit_create", "jobseeker_create"):
        assert other.get(reverse(f"people:{name}", args=[person.pk])).status_code == 404, name


def test_visit_form_creates_needs_the_township_sees(tree, client_for):
    person = make_person(unit=tree.community)
    client = client_for(tree.village_officer)
    response = client.post(reverse("people:visit_create", args=[person.pk]), {
        "visited_on": dt.date.today().isoformat(), "worker_name": "东山根专委", "mode": "home",
        "findings": "腿脚不便，希望康复", "found_needs": ["rehabilitation"],
        "found_detail": "需要上门康复",
    })
    assert response.status_code == 302
    need = Need.objects.get(person=person)
    assert need.type == "rehabilitation" and need.visit is not None
    body = client_for(tree.township_officer).get(reverse("people:need_list")).content.decode()
    assert person.name in body
    body = client_for(tree.other_officer).get(reverse("people:need_list")).content.decode()
    assert person.name not in body


def test_need_list_is_oldest_first_with_overdue_flag(tree, client_for, settings):
    settings.CANLIAN_NEED_OVERDUE_DAYS = 30
    person = make_person(unit=tree.community)
    services.need_create(actor=SYSTEM, person=person, type="relief",
                         registered_on=dt.date.today() - dt.timedelta(days=45))
    services.need_create(actor=SYSTEM, person=person, type="education",
                         registered_on=dt.date.today() - dt.timedelta(days=2))
    client = client_for(tree.township_officer)
    response = client.get(reverse("people:need_list"))
    needs = list(response.context["page"])
    assert [n.type for n in needs] == ["relief", "education"]
    assert response.content.decode().count("badge--warn") == 1
    response = client.get(reverse("people:need_list"), {"status": "open", "overdue_only": "on"})
    assert [n.type for n in response.context["page"]] == ["relief"]


def test_visit_coverage_counts(tree, client_for):
    a = make_person(unit=tree.community, name="甲")
    make_person(unit=tree.community, name="乙")
    make_person(unit=tree.village, name="丙")
    services.visit_record(actor=SYSTEM, person=a, visited_on=dt.date.today(), mode="home",
                          worker_name="x",
                          next_due=dt.date.today() + dt.timedelta(days=1))
    client = client_for(tree.township_officer)
    response = client.get(reverse("people:visit_coverage"))
    rows = {r.unit.name: (r.people, r.visited) for r in response.context["rows"]}
    assert rows == {"东山根社区居民委员会": (2, 1), "高家庄村民委员会": (1, 0)}
    assert {p.name for p in response.context["never"]} == {"乙", "丙"}


def test_leader_reads_but_cannot_register(tree, client_for):
    client = client_for(tree.leader)
    assert client.get(reverse("people:person_list")).status_code == 200
    assert client.get(reverse("people:person_create")).status_code == 403


def test_jobseeker_list_query_count_is_fixed(tree, client_for, django_assert_max_num_queries):
    client = client_for(tree.township_officer)
    for n in range(2):
        services.jobseeker_register(actor=SYSTEM, person=make_person(unit=tree.community,
                                                                   name=f"丙{n}"),
                                    work_wished="种植", ability="full")
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("people:jobseeker_list"), {"status": "seeking"})
    for n in range(2, 40):
        services.jobseeker_register(actor=SYSTEM, person=make_person(unit=tree.village,
                                                                   name=f"丙{n}"),
                                    work_wished="种植", ability="full")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("people:jobseeker_list"),
                              {"status": "seeking", "per_page": "100", "sort": "registered_on"})
    assert len(response.context["page"].object_list) == 40


@pytest.mark.parametrize("name, sort", [("people:person_list", "-name"),
                                        ("people:need_list", "person"),
                                        ("people:jobseeker_list", "-registered_on")])
def test_the_register_lists_sort_and_answer_htmx_with_the_list_alone(tree, client_for, name,
                                                                       sort):
    person = make_person(unit=tree.community, name="张三")
    services.need_create(actor=SYSTEM, person=person, type="relief")
    services.jobseeker_register(actor=SYSTEM, person=person, work_wished="保洁", ability="full")
    client = client_for(tree.township_officer)
    full = client.get(reverse(name), {"sort": sort})
    assert 'aria-sort="' in full.content.decode() and 'role="search"' in full.content.decode()
    partial = client.get(reverse(name), {"sort": sort}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body and 'role="search"' not in body
    assert "<caption" in body and "张三" in body and 'aria-sort="' in body


def test_person_list_filters_by_open_need_type(tree, client_for):
    alone = make_person(unit=tree.community, name="甲某")
    both = make_person(unit=tree.community, name="乙某")
    services.need_create(actor=SYSTEM, person=alone, type="education")
    services.need_create(actor=SYSTEM, person=both, type="relief")
    closed = services.need_create(actor=SYSTEM, person=alone, type="relief")
    services.need_update(actor=SYSTEM, need=closed, status="met", closed_on=dt.date.today(),
                         outcome="已解决")
    client = client_for(tree.township_officer)

    def names(**params):
        return {p.name for p in client.get(reverse("people:person_list"), params)
                .context["page"]}

    assert names(need_type="relief") == {"乙某"}  # 甲某's relief need is met
    assert names(need_type="relief", open_needs="on") == {"乙某"}
    assert names(open_needs="on") == {"甲某", "乙某"}


def test_opening_the_edit_page_is_audited_like_the_file(tree, client_for):
    person = make_person(unit=tree.community, name="看某")
    client = client_for(tree.village_officer)

    def views():
        return AuditLog.objects.filter(action=Action.VIEW, object_id=str(person.pk))

    assert client.get(reverse("people:person_edit", args=[person.pk])).status_code == 200
    entry = views().get()
    assert entry.actor == tree.village_officer and entry.unit == tree.community
    assert entry.object_repr == "看某"
    # The file itself, the same kind of entry.
    client.get(reverse("people:person_detail", args=[person.pk]))
    assert views().count() == 2
    # Saving is audited as the change, not as another look.
    client.post(reverse("people:person_edit", args=[person.pk]), {"name": ""})
    assert views().count() == 2


def test_an_id_ending_in_x_is_found_whole_by_its_end_and_in_its_certificate(tree, client_for):
    """The check character X: in an ID, at the end of its part, inside a certificate."""
    number = next(n for n in (make_id() for _ in range(40)) if n.endswith("X"))
    make_person(unit=tree.community, name="张三", id_number=number)
    make_person(unit=tree.village, name="李四")
    client = client_for(tree.township_officer)
    for query in (number, number.lower(), number[-4:], number[-9:], f"{number}42"):
        body = client.get(reverse("people:person_list"), {"q": query}).content.decode()
        assert "张三" in body and "李四" not in body, query
