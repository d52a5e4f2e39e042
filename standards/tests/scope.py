"""The standards' pages that name an object (see core/tests/test_out_of_scope.py), and the
objects they ask for, all in 会宁县 and 郭城驿镇: a standard 会宁县 published (a draft copy
of the national 六有, which a neighbouring county does not see), its item, and a confirmed
item of 红堡子村."""

OBJECT_URLS = {
    "standards:attainment": ("other_township", "get"),
    "standards:unit": ("other_village", "get"),
    "standards:confirm": ("other_village", "get"),
    "standards:coverage": ("county", "get"),
    "standards:confirmation_detail": ("standard_confirmation", "get"),
    "standards:confirmation_withdraw": ("standard_confirmation", "post"),
    "standards:standard_detail": ("county_standard", "get"),
    "standards:standard_edit": ("county_standard", "get"),
    "standards:standard_copy": ("county_standard", "get"),
    "standards:standard_publish": ("county_standard", "post"),
    "standards:item_add": ("county_standard", "get"),
    "standards:item_edit": ("county_standard_item", "get"),
    "standards:item_remove": ("county_standard_item", "post"),
    "standards:attainment_freeze": ("other_township", "get"),
}


def build(tree):
    from django.utils import timezone

    from core.actors import SYSTEM
    from standards import services

    year = timezone.localdate().year
    national = {s.code: s for s in services.defaults_ensure(year=year)}
    tree.county_standard = services.standard_copy(
        actor=SYSTEM, standard=national["liuyou"], year=year + 1, region=tree.county)
    tree.county_standard_item = tree.county_standard.items.first()
    item = national["liuyou"].items.get(kind="confirmed", order=3)
    tree.standard_confirmation = services.confirmation_record(
        actor=SYSTEM, unit=tree.other_village, item=item, year=year,
        confirmed_on=timezone.localdate(), note="活动室", by_name="郭干事")
