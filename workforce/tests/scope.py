"""The workforce's pages that name an object (see core/tests/test_out_of_scope.py), and the
objects they ask for, all in 郭城驿镇."""

from core.actors import SYSTEM
from workforce import services
from workforce.tests.factories import make_confirmed_run, make_officer, make_policy

OBJECT_URLS = {
    "workforce:worker_detail": ("worker", "get"),
    "workforce:worker_edit": ("worker", "get"),
    "workforce:worker_appoint": ("worker", "get"),
    "workforce:appointment_edit": ("appointment", "get"),
    "workforce:appointment_end": ("appointment", "get"),
    "workforce:board_unit": ("other_township", "get"),
    "workforce:norm_edit": ("norm", "get"),
    "workforce:policy_edit": ("policy", "get"),
    "workforce:payroll_detail": ("payroll_run", "get"),
    "workforce:payroll_confirm": ("payroll_run", "post"),
    "workforce:payroll_refresh": ("payroll_run", "post"),
    "workforce:payroll_adjust": ("payroll_run", "get"),
    "workforce:payroll_sheet": ("payroll_run", "get"),
    "workforce:payroll_pdf": ("payroll_run", "get"),
    "workforce:payroll_bank": ("payroll_run", "get"),
}


def build(tree):
    tree.appointment = make_officer(unit=tree.other_village, name="郭专委")
    tree.worker = tree.appointment.worker
    tree.norm = services.norm_create(actor=SYSTEM, unit=tree.county, level=5,
                                     kind="liaison", count=1, extra_threshold=50)
    # Subsidies and payroll: a policy of the township and its confirmed March 2024.
    tree.worker.bank_account = "6228480010000000001"
    tree.worker.save(update_fields=["bank_cipher"])
    tree.policy = make_policy(unit=tree.other_township)
    tree.payroll_run = make_confirmed_run(unit=tree.other_township)


# ---- training, appraisal and awards (issue 13, second part) ---------------------------------

OBJECT_URLS.update({
    "workforce:training_detail": ("training", "get"),
    "workforce:training_edit": ("training", "get"),
    "workforce:training_attendance": ("training", "get"),
    "workforce:appraisal_form": ("appointment", "get"),
    "workforce:appraisal_confirm": ("appraisal", "get"),
    "workforce:award_detail": ("award", "get"),
    "workforce:award_nominate": ("award", "get"),
    "workforce:award_decide": ("award", "get"),
    "workforce:award_publish": ("award", "post"),
})

_build_posts = build


def build(tree):  # noqa: F811 - the posts' objects, then the training's
    import datetime as dt

    from django.utils import timezone

    _build_posts(tree)
    today = timezone.localdate()
    tree.training = services.training_create(
        actor=SYSTEM, unit=tree.other_township, title="郭城驿镇专职委员培训", level="township",
        starts_on=today - dt.timedelta(days=3), ends_on=today - dt.timedelta(days=3),
        hours=4)
    services.attendance_set(actor=SYSTEM, session=tree.training, workers=[tree.worker])
    tree.appraisal = services.appraisal_record(
        actor=SYSTEM, appointment=tree.appointment, year=today.year, score=40,
        grade="incompetent", decision="not_renew", comments="")
    tree.award = services.award_round_create(actor=SYSTEM, unit=tree.other_township,
                                             year=today.year, title="优秀残疾人工作专职委员")
    services.nomination_create(actor=SYSTEM, award=tree.award, unit=tree.other_township,
                               worker=tree.worker, reason="走访到位")
