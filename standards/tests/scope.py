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
# Responsibility agreements: 会宁县's with 郭城驿镇, a draft (with a task) and a signed one
# inspected in its first quarter.
OBJECT_URLS |= {
    "standards:agreement_detail": ("draft_agreement", "get"),
    "standards:agreement_edit": ("draft_agreement", "get"),
    "standards:agreement_task_add": ("draft_agreement", "get"),
    "standards:agreement_task_remove": ("draft_agreement_task", "post"),
    "standards:agreement_sign": ("draft_agreement", "get"),
    "standards:agreement_pdf": ("signed_agreement", "get"),
    "standards:agreement_inspect": ("signed_agreement", "get"),
    "standards:agreement_inspection_detail": ("agreement_inspection", "get"),
    "standards:agreement_accept": ("signed_agreement", "get"),
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
    build_agreements(tree)
    _build_assessment(tree, year)


def build_agreements(tree):
    import datetime as dt

    from django.utils import timezone

    from core.actors import SYSTEM
    from standards import agreements_services as services

    year = timezone.localdate().year
    tree.draft_agreement = services.agreement_create(
        actor=SYSTEM, party_a=tree.county, party_b=tree.other_township, year=year + 1)
    tree.draft_agreement_task = services.task_add(
        actor=SYSTEM, agreement=tree.draft_agreement, text="走访率", target_value=95,
        target_unit="%", indicator="visit_rate")
    signed = services.agreement_create(actor=SYSTEM, party_a=tree.county,
                                       party_b=tree.other_township, year=year)
    task = services.task_add(actor=SYSTEM, agreement=signed, text="建立残疾人之家",
                             target_text="年内建成")
    today = timezone.localdate()
    day = min(today, dt.date(year, 1, 5))
    tree.signed_agreement = services.agreement_sign(
        actor=SYSTEM, agreement=signed, signatory_a="张县长", signatory_b="李镇长",
        signed_a_on=day, signed_b_on=day)
    tree.agreement_inspection = services.inspection_record(
        actor=SYSTEM, agreement=signed, quarter=1, inspected_on=min(today, dt.date(year, 3, 20)),
        inspectors="县残联 王五", findings={task.pk: ("met", "")})


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
