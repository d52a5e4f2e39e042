"""The demo's training, appraisals and awards, for a county whose officers are appointed
already (workforce/demo.py calls ``load_training_demo(county)`` after them): three training
sessions of this year with their attendance (some officers short of the minimum, so the
shortfall list has something to show), last year's appraisals of every officer with one
不称职 awaiting an administrator's confirmation, and last year's selection of excellent
liaison officers with its list published.

Everything goes through the services (rules and audit as in use), drawn from one seeded
``random.Random``; dates are relative to today. Loading it twice adds nothing: it does
nothing when the county has a training session already."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from core.actors import SYSTEM
from orgs.models import Level, OrgUnit

from . import rules, services
from .choices import Decision, Grade, NominationDecision, PostKind
from .models import Appointment, Appraisal, TrainingSession

SEED = 13
AWARD_TITLE = rules.DEFAULT_AWARD_TITLE


def _grade(score: int) -> str:
    if score >= 90:
        return Grade.EXCELLENT
    if score >= 75:
        return Grade.COMPETENT
    if score >= 60:
        return Grade.BASIC
    return Grade.INCOMPETENT


def load_training_demo(county: OrgUnit) -> list[str]:
    if TrainingSession.objects.within(county).exists():
        return []
    rng = random.Random(SEED)
    today = timezone.localdate()
    year, last_year = today.year, today.year - 1
    officers = list(Appointment.objects.within(county).current()
                    .filter(post__kind__in=(PostKind.CHAIR, PostKind.LIAISON),
                            post__unit__level__in=(Level.TOWNSHIP, Level.VILLAGE))
                    .select_related("worker__unit", "post__unit")
                    .order_by("post__unit__path", "id"))
    if not officers:
        return []
    townships = list(OrgUnit.objects.active().filter(parent=county, level=Level.TOWNSHIP)
                     .order_by("path"))
    workers = {a.worker_id: a.worker for a in officers}
    liaison = [a.worker for a in officers if a.post.kind == PostKind.LIAISON]
    chairs = [a.worker for a in officers if a.post.kind == PostKind.CHAIR
              and a.post.unit.level == Level.TOWNSHIP]

    # Three sessions this year, already held (this year began at least a few days ago).
    first = max(dt.date(year, 1, 1), today - dt.timedelta(days=200))
    spring = services.training_create(
        actor=SYSTEM, unit=county, level="county", title="全县残疾人专职委员业务培训班",
        starts_on=first, ends_on=first + dt.timedelta(days=1), hours=Decimal(12),
        trainer="县残联康复部、教就部",
        content="残疾人证办理与动态更新、入户走访与《残疾人工作记录册》填写、康复服务需求登记")
    autumn_day = max(first, today - dt.timedelta(days=30))
    autumn = services.training_create(
        actor=SYSTEM, unit=county, level="county", title="乡镇残联理事长及专职委员政策培训",
        starts_on=autumn_day, ends_on=autumn_day, hours=Decimal(6), trainer="县残联办公室",
        content="残疾人两项补贴、公益性岗位补贴政策，七表一录一记台账规范")
    services.attendance_set(actor=SYSTEM, session=spring, workers=[
        w for w in workers.values() if rng.random() < 0.85])
    services.attendance_set(actor=SYSTEM, session=autumn, workers=[
        w for w in liaison + chairs if rng.random() < 0.6])
    sessions = 2
    if townships:
        township = townships[0]
        local_day = max(first, today - dt.timedelta(days=10))
        local = services.training_create(
            actor=SYSTEM, unit=township, level="township",
            title=f"{township.name}专职委员走访培训", starts_on=local_day, ends_on=local_day,
            hours=Decimal(3), trainer=f"{township.name}残联",
            content="网格化包片走访、服务需求跟踪")
        services.attendance_set(actor=SYSTEM, session=local, workers=[
            w for w in workers.values() if w.unit.path.startswith(township.path)
            and rng.random() < 0.7])
        sessions += 1

    # Last year's appraisals: every officer in post then; one 不称职 proposes non-renewal.
    appraised, weak = 0, None
    last_day = dt.date(last_year, 12, 31)
    candidates = [a for a in officers if a.starts_on <= last_day]
    weak_index = rng.randrange(len(candidates)) if candidates else None
    for index, appointment in enumerate(candidates):
        if index == weak_index:
            score, grade, decision, comments = 52, Grade.INCOMPETENT, Decision.NOT_RENEW, \
                "全年入户走访不足三成，台账未按时更新"
        else:
            score = rng.randint(68, 98)
            grade = _grade(score)
            if grade == Grade.INCOMPETENT:
                grade = Grade.BASIC
            decision = Decision.COMMEND if grade == Grade.EXCELLENT and rng.random() < 0.5 \
                else Decision.RENEW
            comments = ""
        appraisal = services.appraisal_record(
            actor=SYSTEM, appointment=appointment, year=last_year, score=Decimal(score),
            grade=grade, decision=decision, comments=comments)
        appraised += 1
        if grade == Grade.INCOMPETENT:
            weak = appraisal

    # Last year's selection: each township nominates its best village liaison officer.
    award = services.award_round_create(actor=SYSTEM, unit=county, year=last_year,
                                        title=AWARD_TITLE)
    scores = dict(Appraisal.objects.filter(year=last_year, appointment__in=candidates)
                  .values_list("appointment__worker_id", "score"))
    nominations = []
    for township in townships:
        village_officers = [a.worker for a in officers if a.post.kind == PostKind.LIAISON
                            and a.post.unit.level == Level.VILLAGE
                            and a.post.unit.path.startswith(township.path)
                            and (weak is None or a.pk != weak.appointment_id)]
        if not village_officers:
            continue
        best = max(village_officers, key=lambda w: (scores.get(w.pk, 0), -w.pk))
        nominations.append(services.nomination_create(
            actor=SYSTEM, award=award, unit=township, worker=best,
            reason="全年入户走访全覆盖，残疾人证办理、需求登记及时准确"))
    if nominations:
        ranked = sorted(nominations, key=lambda n: -scores.get(n.worker_id, 0))
        chosen = {n.pk for n in ranked[:max(1, len(ranked) * 2 // 3)]}
        services.nominations_decide(actor=SYSTEM, award=award, decisions={
            n.pk: NominationDecision.SELECTED if n.pk in chosen
            else NominationDecision.NOT_SELECTED for n in nominations})
        services.award_publish(actor=SYSTEM, award=award)
    return [f"training: {sessions} sessions, {appraised} appraisals of {last_year} "
            f"({1 if weak else 0} 不称职 awaiting confirmation), "
            f"{len(nominations)} nominations for {last_year} {AWARD_TITLE}"]
