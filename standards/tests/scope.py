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
    # the 100-point assessment: 会宁县's draft scheme, its published one with its round, and
    # 郭城驿镇's score sheet (self-scored, so the inspectors' form opens)
    "standards:scheme_detail": ("assessment_draft", "get"),
    "standards:scheme_edit": ("assessment_draft", "get"),
    "standards:scheme_publish": ("assessment_draft", "post"),
    "standards:scheme_copy": ("assessment_draft", "get"),
    "standards:scheme_category_add": ("assessment_draft", "get"),
    "standards:scheme_item_add": ("assessment_draft", "get"),
    "standards:scheme_item_edit": ("assessment_draft_item", "get"),
    "standards:scheme_item_remove": ("assessment_draft_item", "post"),
    "standards:round_create": ("assessment_draft", "get"),
    "standards:round_detail": ("assessment_round", "get"),
    "standards:round_confirm": ("assessment_round", "post"),
    "standards:sheet_detail": ("assessment_sheet", "get"),
    "standards:sheet_inspect": ("assessment_sheet", "get"),
    "standards:sheet_self": ("assessment_sheet", "post"),
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
    _build_assessment(tree, year)


def _build_assessment(tree, year):
    from core.actors import SYSTEM
    from standards import assessment_services
    from standards.demo import build_scheme
    from standards.models import AssessmentItem

    scheme = build_scheme(actor=SYSTEM, county=tree.county, year=year)
    tree.assessment_draft = build_scheme(actor=SYSTEM, county=tree.county, year=year + 1,
                                         publish=False)
    tree.assessment_draft_item = AssessmentItem.objects.filter(
        category__scheme=tree.assessment_draft).first()
    tree.assessment_round = assessment_services.round_create(actor=SYSTEM, scheme=scheme)
    sheet = tree.assessment_round.sheets.get(unit=tree.other_township)
    hand = [i for i in AssessmentItem.objects.filter(category__scheme=scheme)
            if not i.computed]
    tree.assessment_sheet = assessment_services.sheet_self_score(
        actor=SYSTEM, sheet=sheet, values={i.pk: 5 for i in hand})
