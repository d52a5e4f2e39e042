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


# ---- demonstration sites and rules documents (issue 16, second part) ----------------------------
# 会宁县 designates 红堡子村 as a demonstration village; 红堡子村's rules document with a photo.
OBJECT_URLS.update({
    "standards:site_list": ("county", "get"),
    "standards:site_candidates": ("county", "get"),
    "standards:site_designate": ("county", "get"),
    "standards:site_targets": ("county", "get"),
    "standards:site_detail": ("demo_site", "get"),
    "standards:site_withdraw": ("demo_site", "get"),
    "standards:rules_add": ("other_village", "get"),
    "standards:rules_detail": ("rules_document", "get"),
    "standards:township_summary": ("county", "get"),
})

_build_standards = build


def build(tree):  # noqa: F811 — the standards' objects, then the sites'
    from django.utils import timezone

    from core.actors import SYSTEM
    from ledgers import services as ledger_services
    from ledgers.tests.files import jpeg_bytes, upload_of
    from standards import sites_services

    _build_standards(tree)
    today = timezone.localdate()
    tree.demo_site = sites_services.site_designate(
        actor=SYSTEM, county=tree.county, unit=tree.other_village, year=today.year,
        designated_on=today, document_number="会残联发〔2026〕8号")
    clean = ledger_services.read_upload(upload_of(jpeg_bytes(), "rules.jpg"))
    tree.rules_document = sites_services.rules_document_add(
        actor=SYSTEM, unit=tree.other_village, year=today.year, title="村残协工作制度",
        adopted_on=today, files=[(clean, "rules.jpg")])
