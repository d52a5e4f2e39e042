"""What a reform does with the workforce (orgs/successors.py). The workers a unit appointed
go to its successor. Its posts: when the unit merges into another or is split, its
organisation goes on in the successor (the part that keeps the rest) and so do its posts
and their holders, but for the appointments the reform names to end; when the unit is
abolished, its organisation ends with it — its posts end and their appointments close on
the reform's day with the reform as their reason. A successor with two chairs in post is a
conflict the reform must resolve (end one) before it applies. Norms, rules, training,
awards and subsidy policies move; a locked payroll stays with the unit that paid it."""

from django.db.models import Count, F, Q, Value
from django.db.models.functions import Greatest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from orgs import successors

from .choices import EndReason, PostKind
from .models import (
    Appointment,
    Appraisal,  # noqa: F401 - through its appointment's post
    AwardRound,
    Nomination,
    PayrollLine,
    PayrollRun,
    Post,
    SelectionRule,
    StaffingNorm,
    SubsidyPolicy,
    TrainingSession,
    Worker,
)

SINGLE_HOLDER = (PostKind.CHAIR,)


def _open_posts(unit_ids, on):
    return Post.objects.filter(unit_id__in=unit_ids).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def _end(appointments, handover) -> int:
    reform = handover.reform
    note = str(_("Reform: %(reform)s") % {"reform": reform.document_number or reform.title})
    return appointments.update(ended_on=Greatest(Value(handover.on), F("starts_on")),
                               end_reason=EndReason.REFORM, end_note=note[:200],
                               version=F("version") + 1)


def hand_over_posts(handover: successors.Handover) -> None:
    if not handover.whole:
        return
    posts = _open_posts(handover.source_ids, handover.on)
    current = Appointment.objects.filter(post__in=posts, ended_on__isnull=True)
    if handover.abolished:
        handover.counted("workforce.appointment_ended", _end(current, handover))
        handover.counted("workforce.post_ended", posts.update(valid_to=handover.on))
        return
    chosen = handover.options.get("end_appointments") or []
    if chosen:
        handover.counted("workforce.appointment_ended", _end(current.filter(pk__in=chosen),
                                                             handover))
    handover.counted("workforce.post", posts.update(unit_id=handover.target.pk))


def chairs_in_conflict(unit_ids, on) -> list[str]:
    """Units among ``unit_ids`` with more than one chair in post after the run."""
    rows = (Appointment.objects.current(on).filter(
        post__in=_open_posts(unit_ids, on).filter(kind__in=SINGLE_HOLDER))
        .values("post__unit_id", "post__unit__name").annotate(n=Count("pk")).filter(n__gt=1))
    found = []
    for row in rows:
        names = "、".join(Appointment.objects.current(on).filter(
            post__unit_id=row["post__unit_id"], post__kind__in=SINGLE_HOLDER)
            .order_by("starts_on", "pk").values_list("worker__name", flat=True))
        found.append(_("%(unit)s would have %(n)d chairs in post (%(names)s): choose the "
                       "appointments that end with the reform.")
                     % {"unit": row["post__unit__name"], "n": row["n"], "names": names})
    return found


def appointment_choices(unit_ids, on) -> list[tuple[int, str]]:
    """The appointments in post in these units: those a merge may end (a second chair)."""
    rows = (Appointment.objects.current(on).filter(post__in=_open_posts(unit_ids, on))
            .select_related("worker", "post__unit").order_by("post__unit__code", "post__kind",
                                                              "starts_on"))
    return [(a.pk, f"{a.post.unit.name} · {a.post.display_title()} · {a.worker.name}")
            for a in rows]


successors.register(
    successors.Holding("workforce.worker", _lazy("workers"), Worker),
    successors.Holding("workforce.post", _lazy("posts and their holders"), Post,
                       hand_over=hand_over_posts, conflicts=chairs_in_conflict,
                       option=("end_appointments", _lazy("Appointments that end with the reform"),
                               appointment_choices)),
    successors.Holding("workforce.staffingnorm", _lazy("staffing norms"), StaffingNorm,
                       unique=("level", "kind")),
    successors.Holding("workforce.selectionrule", _lazy("selection rules"), SelectionRule,
                       unique=("kind",)),
    successors.Holding("workforce.training", _lazy("training sessions"), TrainingSession),
    successors.Holding("workforce.awardround", _lazy("award rounds"), AwardRound,
                       unique=("year", "title")),
    successors.Holding("workforce.nomination", _lazy("nominations"), Nomination),
    successors.Holding("workforce.subsidypolicy", _lazy("subsidy policies"), SubsidyPolicy),
    successors.Holding("workforce.payrollrun", _lazy("payroll runs"), PayrollRun,
                       policy=successors.STAY),
    successors.Holding("workforce.payrollline", _lazy("payroll lines"), PayrollLine,
                       policy=successors.STAY),
)
